"""Steps of the award application the browser tests share: the applicant, and the dossier's
step 2 (the partnership) filled in."""

from demo.factories.members import OrganisationFactory
from tests.e2e.portal_steps import contact_who_logs_in

APPLICANT_EMAIL = "alice@jardins.example.org"


def make_applicant():
    """Alice Martin, president of « Les Jardins Partagés », who logs in with PASSWORD."""
    organisation = OrganisationFactory(name="Les Jardins Partagés")
    return contact_who_logs_in(
        APPLICANT_EMAIL, organisation, first_name="Alice", last_name="Martin"
    )


def fill_partnership(page):
    """Step 2's fields up to « Résultats et utilité sociale observés » (« Perspectives », the
    last one, is left to the test: filled in, or the focus that makes the draft save)."""
    page.get_by_label("Titre du partenariat").fill("Du bois et des liens")
    page.get_by_label("Résumé").fill("Des salariés forment des jeunes à la menuiserie au jardin.")
    page.get_by_label("Date de début du partenariat").fill("2024-09-01")
    page.get_by_label("Territoire").fill("Nantes Nord")
    page.get_by_label("Bénéficiaires").fill("30 jeunes par an")
    page.get_by_label("Ce qu’apporte l’association").fill("Le lieu et l’accompagnement.")
    page.get_by_label("Ce qu’apporte l’entreprise").fill("Des formateurs et du bois.")
    page.get_by_label("Résultats et utilité sociale observés").fill("Douze jeunes en emploi.")
