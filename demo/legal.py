"""The demo site's legal side: the settings (director, host, provider), the three legal pages
under the home page, and a statutes document, written for the demo in our own words."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph
from wagtail.documents import get_document_model
from wagtail.models import Site

from home.identity import site_identity
from home.pdf import build, plain, styles
from privacy.models import LegalSettings
from privacy.pages import AccessibilityStatementPage, LegalNoticePage, PrivacyNoticePage

SETTINGS = {
    "publication_director": "Claire Martin, présidente",
    "host_name": "Hébergement Exemple SAS",
    "host_address": "12 rue du Serveur\n44000 Nantes",
    # A number from the range ARCEP keeps for fiction, as the association's own.
    "host_phone": "02 61 91 04 99",
    "mail_provider": "Courrier Exemple (France)",
    "privacy_email": "donnees@example.org",
}

STATUTES = [
    ("Article 1 – Nom", "Il est fondé entre les adhérents aux présents statuts une association "
     "régie par la loi du 1er juillet 1901, nommée « {name} »."),
    ("Article 2 – Objet", "L’association rassemble les associations et structures de l’économie "
     "sociale et solidaire de la région pour les aider à se développer : partage de savoir-faire, "
     "mise en relation avec des entreprises et des bénévoles, valorisation de leurs actions, "
     "notamment par le prix « La part des autres »."),
    ("Article 3 – Siège", "Le siège est fixé à l’adresse de l’association ; il peut être "
     "transféré par décision du conseil d’administration."),
    ("Article 4 – Membres", "Sont membres les organisations qui adhèrent au réseau et paient la "
     "cotisation annuelle fixée par la grille votée en assemblée générale."),
    ("Article 5 – Perte de la qualité de membre", "La qualité de membre se perd par la démission, "
     "le non-paiement de la cotisation ou la radiation prononcée par le conseil d’administration, "
     "l’organisation ayant été invitée à s’expliquer."),
    ("Article 6 – Ressources", "Les ressources de l’association comprennent les cotisations, les "
     "subventions, les dons et toute ressource autorisée par la loi."),
    ("Article 7 – Assemblée générale", "L’assemblée générale réunit chaque année les membres à "
     "jour de leur cotisation. Elle approuve les comptes, vote la grille des cotisations et élit "
     "le conseil d’administration."),
    ("Article 8 – Conseil d’administration", "L’association est administrée par un conseil de "
     "six à quinze membres élus pour trois ans, qui choisit en son sein un bureau."),
    ("Article 9 – Dissolution", "En cas de dissolution, l’actif net est attribué à une association "
     "poursuivant un but similaire, désignée par l’assemblée générale."),
]  # fmt: skip

PAGES = [
    (LegalNoticePage, "mentions-legales", "Mentions légales", {}),
    (
        PrivacyNoticePage,
        "politique-de-confidentialite",
        "Politique de confidentialité",
        {
            "introduction": "Ce que le réseau fait des données que vous lui confiez, pourquoi, "
            "combien de temps, et comment garder la main dessus."
        },
    ),
    (
        AccessibilityStatementPage,
        "accessibilite",
        "Déclaration d’accessibilité",
        {
            "status": AccessibilityStatementPage.PARTIAL,
            "method": "Tests automatiques axe-core dans Chromium sur chaque page publique et "
            "chaque espace, à chaque version du site ; parcours complets au clavier seul.",
            "known_issues": "Le paiement en ligne s’affiche dans un cadre fourni par Stripe, "
            "dont nous ne maîtrisons pas l’accessibilité : le virement et le chèque restent "
            "possibles.",
        },
    ),
]


def statutes_pdf(name):
    style = styles()
    story = [Paragraph(plain(_("Statuts de l’association")), style["title"])]
    for heading, text in STATUTES:
        story.append(Paragraph(plain(heading), style["heading"]))
        story.append(Paragraph(plain(text.format(name=name)), style["body"]))
    identity = site_identity()
    return build(story, title=_("Statuts"), subject=_("Statuts"), identity=identity)


def ensure_statutes(legal):
    if legal.statutes_document_id:
        return
    Document = get_document_model()
    document = Document(title="Statuts de l’association")
    pdf = statutes_pdf(site_identity().name)
    document.file.save("statuts.pdf", ContentFile(pdf), save=False)
    document.save()
    legal.statutes_document = document


@transaction.atomic
def load_demo_legal(today=None):
    """Fill what is empty; add a legal page only where there is none. Returns pages made."""
    legal = LegalSettings.load()
    for field, value in SETTINGS.items():
        if not getattr(legal, field):
            setattr(legal, field, value)
    ensure_statutes(legal)
    legal.save()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return 0
    made = 0
    for model, slug, title, fields in PAGES:
        if model.objects.exists():
            continue
        page = model(title=title, slug=slug, show_in_menus=False, **fields)
        if model is AccessibilityStatementPage:
            page.checked_on = today
        site.root_page.specific.add_child(instance=page)
        page.save_revision().publish()
        made += 1
    return made
