"""Steps of the volunteer matching the browser tests share: the association's contact, and the
two public forms filled in (the volunteer's offer, the association's board need), consent
included; sending them is left to the test."""

import re

from demo.factories.members import OrganisationFactory
from tests.e2e.portal_steps import contact_who_logs_in

VOLUNTEER_EMAIL = "camille.durand@exemple.fr"
ASSOCIATION_EMAIL = "tresorerie@jardins.example.org"


def make_association_contact():
    """Inès Morel, president of « Les Jardins Partagés » (Loire-Atlantique), who logs in with
    PASSWORD; returns the organisation."""
    organisation = OrganisationFactory(name="Les Jardins Partagés", departement="44")
    contact_who_logs_in(ASSOCIATION_EMAIL, organisation, first_name="Inès", last_name="Morel")
    return organisation


def fill_offer(page, skill):
    """Camille Durand, without an account, offers `skill` (expert level), 8 hours a month."""
    page.get_by_label("Prénom").fill("Camille")
    page.locator("#id_last_name").fill("Durand")
    page.get_by_label("Adresse e-mail").fill(VOLUNTEER_EMAIL)
    page.get_by_label(skill).select_option("3")
    page.get_by_label("Disponibilité (heures par mois)").fill("8")
    page.get_by_label("Départements où vous pouvez siéger").fill("44, 49")
    page.get_by_label("Motivation").fill("Mettre ma pratique de la finance au service d’un CA.")
    page.get_by_label(re.compile("J’accepte que ces informations")).check()


def fill_need(page, skill):
    """A treasurer wanted in Nantes, `skill` at expert level, 6 hours a month for 3 years."""
    page.get_by_label("Fonction recherchée").select_option("treasurer")
    page.get_by_label(skill).select_option("3")
    page.get_by_label("Temps demandé (heures par mois)").fill("6")
    page.get_by_label("Durée du mandat (mois)").fill("36")
    page.get_by_label("Département").fill("44")
    page.get_by_label("Commune").fill("Nantes")
    page.get_by_label("Description").fill("Tenir les comptes et préparer le budget annuel.")
    page.get_by_label(re.compile("J’accepte que ces informations")).check()
