"""Automatic assignment of jurors to applications: K jurors per application, balanced load.

Rules, whatever the entry point:
- a juror who declared a conflict of interest on an application is never assigned to it again;
- a juror never scores the application of the company they work for: same SIRET, or the same
  name once normalised (case, accents, punctuation and legal form ignored);
- nor an application they filed themselves;
- nor the application of an association they are a contact of, or whose SIRET is their
  employer's;
- the least-loaded juror comes first (load: their assignments in the edition, conflicts
  excluded), ties broken by the juror's id, so the same data always gives the same result.

Applications with the fewest possible jurors are served first, so that the constrained ones are
not left without jurors by the others. Manual assignment is the admin's create form
(`admin_forms.AssignmentForm`), which applies the same company rule.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Contact

from .emails import notify_assignment
from .models import Application, AwardEdition, Juror, JuryAssignment

logger = logging.getLogger(__name__)

# Statuses whose applications are scored by the jury.
ASSIGNABLE_STATUSES = (Application.Status.SUBMITTED, Application.Status.ELIGIBLE)
LEGAL_FORMS = {"sa", "sas", "sasu", "sarl", "eurl", "snc", "sca", "scop", "scic", "sci", "gie"}


def normalise_company_name(name: str) -> str:
    """« Boulangerie Martin S.A.R.L. » and « boulangerie  martin » are the same company."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace(".", "")  # S.A.R.L. → sarl
    words = [word for word in re.split(r"[^0-9a-z]+", text) if word]
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def normalise_siret(siret: str) -> str:
    return re.sub(r"\D", "", siret or "")


def same_company(juror: Juror, application: Application) -> bool:
    """Does the juror work for the applying company?"""
    juror_siret = normalise_siret(juror.company_siret)
    if juror_siret and juror_siret == normalise_siret(application.company_siret):
        return True
    juror_name = normalise_company_name(juror.company_name)
    return bool(juror_name) and juror_name == normalise_company_name(application.company_name)


def contact_pairs(users, organisations) -> set[tuple[int, int]]:
    """The (user id, organisation id) pairs where the user is a contact of the organisation,
    in one query."""

    return set(
        Contact.objects.filter(user__in=users, organisation__in=organisations).values_list(
            "user_id", "organisation_id"
        )
    )


def conflict_reason(
    juror: Juror, application: Application, contacts: set[tuple[int, int]] | None = None
) -> str | None:
    """Why the juror may not score the application (the first reason found), or None.

    `contacts`: the (user id, organisation id) contact pairs already loaded (auto_assign);
    without it, one query."""
    if same_company(juror, application):
        return _("Ce juré travaille pour l’entreprise candidate.")
    if juror.user_id == application.created_by_id:
        return _("Ce juré a déposé ce dossier.")
    juror_siret = normalise_siret(juror.company_siret)
    if juror_siret and juror_siret == normalise_siret(application.organisation.siret):
        return _("Ce juré travaille pour l’association candidate.")
    if contacts is None:
        contacts = contact_pairs([juror.user_id], [application.organisation_id])
    if (juror.user_id, application.organisation_id) in contacts:
        return _("Ce juré est un contact de l’association candidate.")
    return None


@dataclass
class ShortApplication:
    application: Application
    assigned: int
    wanted: int


@dataclass
class AssignmentReport:
    created: list[JuryAssignment] = field(default_factory=list)
    short: list[ShortApplication] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return len(self.created)


def notify_assignment_later(assignment_id: int) -> None:
    """Tell the juror once the current transaction commits."""
    transaction.on_commit(lambda: notify_assignment.enqueue(assignment_id))


def auto_assign(edition: AwardEdition, k: int | None = None) -> AssignmentReport:
    """Give each submitted or eligible application of the edition up to `k` jurors (default:
    the edition's jurors per application), counting the assignments it already has (conflicts
    excluded). Returns what was created and the applications left short."""
    k = edition.jurors_per_application if k is None else k
    report = AssignmentReport()
    with transaction.atomic():
        # One automatic assignment at a time per edition: two staff members clicking at once
        # do not both fill the same gaps.
        AwardEdition.objects.select_for_update().filter(pk=edition.pk).first()
        jurors = list(Juror.objects.filter(edition=edition).order_by("pk"))
        applications = list(
            Application.objects.filter(edition=edition, status__in=ASSIGNABLE_STATUSES)
            .select_related("organisation")
            .order_by("pk")
        )
        contacts = contact_pairs(
            [juror.user_id for juror in jurors], [app.organisation_id for app in applications]
        )
        existing = list(
            JuryAssignment.objects.filter(application__edition=edition).values_list(
                "application_id", "juror_id", "status"
            )
        )
        taken = {(app_id, juror_id) for app_id, juror_id, _status in existing}
        active = Counter(
            app_id
            for app_id, _juror_id, status in existing
            if status != JuryAssignment.Status.CONFLICT
        )
        load = Counter(
            juror_id
            for _app_id, juror_id, status in existing
            if status != JuryAssignment.Status.CONFLICT
        )
        for juror in jurors:
            load.setdefault(juror.pk, 0)

        candidates = {
            app.pk: [
                juror
                for juror in jurors
                if (app.pk, juror.pk) not in taken and conflict_reason(juror, app, contacts) is None
            ]
            for app in applications
        }
        # The most constrained first (fewest possible jurors), then by dossier number.
        needing = sorted(
            (app for app in applications if active[app.pk] < k),
            key=lambda app: (len(candidates[app.pk]) - (k - active[app.pk]), app.pk),
        )
        new = []
        for app in needing:
            missing = k - active[app.pk]
            chosen = sorted(candidates[app.pk], key=lambda j: (load[j.pk], j.pk))[:missing]
            for juror in chosen:
                new.append(JuryAssignment(application=app, juror=juror))
                load[juror.pk] += 1
                active[app.pk] += 1
            if active[app.pk] < k:
                report.short.append(ShortApplication(app, active[app.pk], k))
        for assignment in new:
            assignment.save()
            report.created.append(assignment)
            notify_assignment_later(assignment.pk)
    report.short.sort(key=lambda item: item.application.pk)
    return report
