"""Demo form pages: a contact form and a registration to a study day, published under a page the
demo content chooses. Running it again changes nothing (pages are found by their slug).

Like the rest of the demo content, the text is French content, not interface strings."""

from forms.pages import FormField, FormPage
from home.models import SiteIdentity

CONTACT_SLUG = "nous-contacter"
STUDY_DAY_SLUG = "journee-etude-gouvernance-associative"


def _field(label, field_type, required=True, choices="", help_text="", default_value=""):
    return FormField(
        label=label,
        field_type=field_type,
        required=required,
        choices=choices,
        help_text=help_text,
        default_value=default_value,
    )


def _staff_address(parent_page):

    site = parent_page.get_site()
    # The stored row, not SiteIdentity.for_site(), which reads through the cache.
    identity = SiteIdentity.objects.filter(site=site).first() if site else None
    return (identity.email if identity else "") or "contact@example.org"


def _contact_page(to_address):
    return FormPage(
        title="Nous contacter",
        slug=CONTACT_SLUG,
        intro=(
            "<p>Une question sur l’adhésion, le prix « La part des autres » ou le bénévolat "
            "de gouvernance ? Écrivez-nous : l’équipe vous répond sous quelques jours ouvrés.</p>"
        ),
        thank_you_text=(
            "<p>Merci pour votre message. Nous vous répondons au plus vite, en général sous "
            "trois jours ouvrés.</p>"
        ),
        to_address=to_address,
        subject="Site : nouveau message de contact",
        send_confirmation=True,
        confirmation_text=(
            "Nous vous répondrons sous quelques jours ouvrés. Pour une demande urgente, "
            "appelez-nous aux heures de bureau."
        ),
        show_in_menus=True,
        form_fields=[
            _field("Nom et prénom", "singleline"),
            _field("Adresse e-mail", "email"),
            _field("Association ou structure", "singleline", required=False),
            _field(
                "Votre demande concerne",
                "dropdown",
                choices="\n".join(
                    [
                        "L’adhésion au réseau",
                        "Le prix « La part des autres »",
                        "Le bénévolat de gouvernance",
                        "Autre chose",
                    ]
                ),
            ),
            _field("Message", "multiline"),
        ],
    )


def _study_day_page(to_address):
    return FormPage(
        title="Journée d’étude : gouvernance associative",
        slug=STUDY_DAY_SLUG,
        intro=(
            "<p>Une journée pour les dirigeantes et dirigeants bénévoles, les salariés et les "
            "partenaires des associations : comment renouveler un conseil d’administration, "
            "accueillir des administrateurs venus de l’entreprise et partager les "
            "responsabilités. Ateliers le matin, table ronde l’après-midi. Gratuit pour les "
            "adhérents, sur inscription.</p>"
        ),
        thank_you_text=(
            "<p>Votre inscription est enregistrée. Vous recevrez le programme détaillé et le "
            "plan d’accès une semaine avant la journée.</p>"
        ),
        to_address=to_address,
        subject="Inscription à la journée d’étude sur la gouvernance associative",
        send_confirmation=True,
        confirmation_subject="Votre inscription à la journée d’étude",
        confirmation_text=(
            "Nous avons bien noté votre inscription à la journée d’étude sur la gouvernance "
            "associative. Le programme détaillé et le plan d’accès vous seront envoyés une "
            "semaine avant. En cas d’empêchement, prévenez-nous en répondant à ce message."
        ),
        show_in_menus=False,
        form_fields=[
            _field("Nom et prénom", "singleline"),
            _field("Adresse e-mail", "email"),
            _field("Association ou entreprise", "singleline"),
            _field(
                "Vous êtes",
                "radio",
                choices="\n".join(
                    [
                        "Dirigeant·e bénévole d’association",
                        "Salarié·e d’association",
                        "Salarié·e d’entreprise (bénévolat, RSE)",
                        "Autre",
                    ]
                ),
            ),
            _field(
                "Ateliers du matin",
                "checkboxes",
                required=False,
                choices="\n".join(
                    [
                        "Renouveler son conseil d’administration",
                        "Accueillir un administrateur venu de l’entreprise",
                        "Trésorerie et responsabilités des dirigeants",
                    ]
                ),
            ),
            _field("Je reste au déjeuner", "checkbox", required=False),
            _field(
                "Besoins particuliers (accessibilité, régime alimentaire)",
                "multiline",
                required=False,
            ),
        ],
    )


def create_demo_form_pages(parent_page):
    """Publish the two demo form pages under `parent_page` (a home or content page) unless a
    page with their slug is already there; returns them (contact, study day)."""
    to_address = _staff_address(parent_page)
    pages = []
    for slug, build in ((CONTACT_SLUG, _contact_page), (STUDY_DAY_SLUG, _study_day_page)):
        page = FormPage.objects.child_of(parent_page).filter(slug=slug).first()
        if page is None:
            page = build(to_address)
            parent_page.add_child(instance=page)
            page.save_revision().publish()
        pages.append(page)
    return tuple(pages)
