"""The register of processing activities (RGPD art. 30), declared in code by the apps that do
the processing.

Each app lists what it does with personal data in its own `processing.py`, next to the models
it describes, and calls `register()`: the register staff export, the privacy notice visitors
read and (later) the retention rules all come from these declarations, so none of them can
drift away from the others. This module knows no app: the apps know it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The legal bases of RGPD art. 6.1 a site like ours uses, with the article they come from.
CONSENT = "consent"
CONTRACT = "contract"
LEGAL_OBLIGATION = "legal_obligation"
LEGITIMATE_INTEREST = "legitimate_interest"
LEGAL_BASES = {
    CONSENT: _("consentement de la personne (RGPD art. 6.1.a)"),
    CONTRACT: _("exécution d’un contrat ou de mesures précontractuelles (RGPD art. 6.1.b)"),
    LEGAL_OBLIGATION: _("obligation légale (RGPD art. 6.1.c)"),
    LEGITIMATE_INTEREST: _("intérêt légitime de l’association (RGPD art. 6.1.f)"),
}

# Whom the privacy notice speaks to: each processing says which of them it concerns, and the
# notice groups its sections by them, in this order.
MEMBER = "member"
APPLICANT = "applicant"
JUROR = "juror"
VOLUNTEER = "volunteer"
VISITOR = "visitor"
AUDIENCES = {
    MEMBER: _("Organisations adhérentes et leurs contacts"),
    APPLICANT: _("Candidats au prix « La part des autres » et entreprises partenaires"),
    JUROR: _("Membres du jury"),
    VOLUNTEER: _("Bénévoles et associations du bénévolat de compétences"),
    VISITOR: _("Visiteurs du site"),
}

# The service providers that process data on the association's behalf (RGPD art. 28). Their
# names for the e-mail provider and the host are the association's own choice: the notice reads
# them from the legal settings (privacy.models.LegalSettings) when it shows them.
HOST = "host"
MAIL = "mail"
STRIPE = "stripe"


@dataclass(frozen=True)
class Processor:
    slug: str
    name: str
    role: str
    location: str
    safeguards: str = ""


PROCESSORS = {
    HOST: Processor(
        HOST,
        _("Hébergeur du site"),
        _("héberge le site, sa base de données et ses fichiers"),
        _("voir les mentions légales"),
    ),
    MAIL: Processor(
        MAIL,
        _("Prestataire d’envoi des e-mails"),
        _("achemine les e-mails que le site envoie"),
        _("voir les mentions légales"),
    ),
    STRIPE: Processor(
        STRIPE,
        "Stripe Payments Europe Ltd",
        _("encaisse les paiements par carte et prélèvement SEPA et prévient la fraude"),
        _("Irlande (Union européenne), avec des transferts vers les États-Unis"),
        _(
            "clauses contractuelles types de la Commission européenne et adhésion au cadre "
            "de protection des données UE–États-Unis"
        ),
    ),
}


@dataclass(frozen=True)
class Processing:
    """One processing activity, as RGPD art. 30.1 asks the controller to describe it."""

    slug: str
    name: str
    purpose: str
    legal_basis: str
    audiences: tuple[str, ...]
    people: str
    data: str
    recipients: str
    retention: str
    security: str
    processors: tuple[str, ...] = ()
    transfers: str = ""
    # Where the register lists it: lower first, then by name.
    order: int = 100
    app_label: str = field(default="", compare=False)

    def __post_init__(self):
        if self.legal_basis not in LEGAL_BASES:
            raise ImproperlyConfigured(f"{self.slug}: unknown legal basis {self.legal_basis!r}.")
        for audience in self.audiences:
            if audience not in AUDIENCES:
                raise ImproperlyConfigured(f"{self.slug}: unknown audience {audience!r}.")
        for processor in self.processors:
            if processor not in PROCESSORS:
                raise ImproperlyConfigured(f"{self.slug}: unknown processor {processor!r}.")

    @property
    def legal_basis_label(self):
        return LEGAL_BASES[self.legal_basis]

    def processor_list(self):
        return [PROCESSORS[slug] for slug in self.processors]

    def transfers_text(self):
        """Transfers outside the EU: the declared ones, else a plain « none »."""
        return self.transfers or _("aucun")


_REGISTER: dict[str, Processing] = {}


def register(*processings, app_label=""):
    """Add processing activities to the register. A slug names one activity: declaring it
    twice (two apps, or a copy-paste) is a mistake that would hide one of them."""
    for processing in processings:
        if processing.slug in _REGISTER:
            raise ImproperlyConfigured(f"Processing {processing.slug!r} is declared twice.")
        if app_label:
            object.__setattr__(processing, "app_label", app_label)
        _REGISTER[processing.slug] = processing


def processings():
    """Every declared processing activity, in the register's order."""
    return sorted(_REGISTER.values(), key=lambda item: (item.order, str(item.name)))


def processing(slug):
    return _REGISTER[slug]


def by_audience():
    """[(audience label, [processing, …]), …] in the notice's order, skipping empty groups."""
    groups = []
    for key, label in AUDIENCES.items():
        items = [item for item in processings() if key in item.audiences]
        if items:
            groups.append((key, label, items))
    return groups
