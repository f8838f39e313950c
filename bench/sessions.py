"""Logged-in pages: a demo user for each role, the session cookie the load client sends as that
user, and the SQL queries of their pages, counted in-process.

Run by the harness in a subprocess with a configuration's environment (production settings,
page cache off), once the demo is loaded, so that it sees the same database as the gunicorn
workers:

    python -m bench.sessions OUT.json

Each user is logged in with the test client's `force_login`: the session is stored by the
configured engine (the database), where the gunicorn workers read it, so the cookie written to
OUT.json opens their pages to the load client. Staff are left out: their pages ask for a second
factor (home/staff_otp/).

The roles and their pages:
  member     the member portal's home and their organisation's page: a contact of a demo
             organisation that has memberships; the demo has no such contact (its members are
             organisations, its contacts are the award's applicants), so the bench makes one, on
             the organisation with the most payments;
  juror      the jury's home and the scoring page of their first dossier: the demo juror with
             the most assignments, on the latest edition that has any;
  volunteer  « Mon espace »: the demo volunteer whose offer has the most matches.

The queries are counted with a second client, logged in as the same user (a session of its
own, so the counting leaves the measured session as it was): emptied caches (cold), then again
(warm), as bench/queries.py does for the public pages.
"""

import sys

from . import module_run
from .queries import HOST, cold_and_warm

MEMBER_EMAIL = "banc-adherent@example.org"


def member() -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from members.models import Contact, Organisation

    contact = (
        Contact.objects.filter(organisation__memberships__isnull=False, user__is_staff=False)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    note = ""
    if contact is None:
        organisation = (
            Organisation.objects.filter(memberships__isnull=False)
            .annotate(payments=Count("memberships__payments"))
            .order_by("-payments", "pk")
            .first()
        )
        if organisation is None:
            return {"error": "no organisation with a membership in the demo"}
        user, _ = get_user_model().objects.get_or_create(
            username=MEMBER_EMAIL, defaults={"email": MEMBER_EMAIL, "first_name": "Banc"}
        )
        contact, _ = Contact.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": Contact.Role.PRESIDENT}
        )
        note = f"contact added by the bench to « {organisation.name} »"
    pages = [
        ("portal home", reverse("members:portal")),
        ("organisation page", reverse("members:organisation", args=[contact.organisation_id])),
    ]
    return {"user": contact.user, "pages": pages, "note": note}


def juror() -> dict:
    from django.db.models import Count, Q
    from django.urls import reverse

    from awards.models import Application, Juror

    submitted = ~Q(assignments__application__status=Application.Status.DRAFT)
    seat = (
        Juror.objects.filter(user__is_staff=False)
        .annotate(assigned=Count("assignments", filter=submitted))
        .filter(assigned__gt=0)
        .select_related("user", "edition")
        .order_by("-edition__year", "-assigned", "pk")
        .first()
    )
    if seat is None:
        return {"error": "no juror with assignments in the demo"}
    first = (
        seat.assignments.exclude(application__status=Application.Status.DRAFT)
        .order_by("application_id")
        .first()
    )
    pages = [
        ("jury home", reverse("awards:jury_home")),
        ("scoring page", reverse("awards:jury_application", args=[first.application_id])),
    ]
    return {"user": seat.user, "pages": pages, "note": f"edition {seat.edition.year}"}


def volunteer() -> dict:
    from django.db.models import Count
    from django.urls import reverse

    from forms.models import VolunteerOffer

    offer = (
        VolunteerOffer.objects.filter(user__isnull=False, user__is_staff=False)
        .annotate(matched=Count("matches"))
        .select_related("user")
        .order_by("-matched", "pk")
        .first()
    )
    if offer is None:
        return {"error": "no volunteer with an account in the demo"}
    pages = [("volunteer space", reverse("volunteering:my_space"))]
    return {"user": offer.user, "pages": pages, "note": f"{offer.matched} matches"}


ROLES = {"member": member, "juror": juror, "volunteer": volunteer}


def logged_in_client(user):
    from django.test import Client

    # A page that fails is reported with its status (500) rather than stopping the count.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    client.force_login(user)
    return client


def measure() -> dict:
    from django.conf import settings

    roles = []
    for role, pick in ROLES.items():
        picked = pick()
        if "error" in picked:
            roles.append({"role": role, "error": picked["error"]})
            continue
        user = picked["user"]
        session = logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        counting = logged_in_client(user)
        roles.append(
            {
                "role": role,
                "user": user.email,
                "note": picked["note"],
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "pages": [
                    {"page": label, "path": path, **cold_and_warm(counting, path)}
                    for label, path in picked["pages"]
                ],
            }
        )
    return {"roles": roles}


if __name__ == "__main__":
    module_run.write(measure, sys.argv[1:])
