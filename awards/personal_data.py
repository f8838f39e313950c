"""What the award holds about one person (privacy.personal_data): the applications they filed,
and, if they sat on a jury, their juror record, assignments and scores; and its part of erasing
that person.

A juror's erasure removes who they are, not what they did: their scores and comments are the
jury's deliberation, on which an edition's ranking and its laureates rest (the network's
legitimate interest; the retention rule awards-juror-records lets them go with the edition).
Their name is their account's, which the privacy app anonymises last; here the employer, its
SIRET and the public presentation go, the name leaves the award page, and Wagtail's history
names them « Juré effacé n°<pk> ».

Applications belong to the organisation that filed them: they stay, pointing at the anonymised
account (`created_by` is PROTECT). Their partner company's contact is another person's data.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from home.cache import invalidate_page_cache
from privacy.personal_data import Section, register_section

from .models import Application, Juror, JuryAssignment, Score


def application_rows(user):
    applications = (
        Application.objects.filter(created_by=user)
        .select_related("edition", "organisation")
        .order_by("-edition__year", "pk")
    )
    return [
        {
            _("édition"): application.edition.year,
            _("association"): application.organisation.name,
            _("titre"): str(application),
            _("statut"): application.get_status_display(),
            _("accord de publication"): application.publication_consent,
            _("créé le"): application.created_at,
            _("déposé le"): application.submitted_at,
        }
        for application in applications
    ]


def juror_rows(user):
    jurors = Juror.objects.filter(user=user).select_related("edition", "user")
    return [
        {
            _("édition"): juror.edition.year,
            _("nom"): str(juror),
            _("employeur"): juror.company_name,
            _("SIRET de l’employeur"): juror.company_siret,
            _("présentation publique"): juror.bio,
            _("nom affiché sur la page du prix"): juror.is_public,
        }
        for juror in jurors.order_by("-edition__year")
    ]


def assignment_rows(user):
    # The application by its title only: with blind judging, the juror never saw the association.
    assignments = (
        JuryAssignment.objects.filter(juror__user=user)
        .select_related("application__edition")
        .order_by("-application__edition__year", "assigned_at", "pk")
    )
    return [
        {
            _("édition"): assignment.application.edition.year,
            _("dossier"): str(assignment.application),
            _("statut"): assignment.get_status_display(),
            _("affecté le"): assignment.assigned_at,
            _("notes soumises le"): assignment.submitted_at,
            _("conflit d’intérêts déclaré"): assignment.status == JuryAssignment.Status.CONFLICT,
            _("motif du conflit d’intérêts"): assignment.conflict_reason,
            _("conflit déclaré le"): assignment.conflict_declared_at,
        }
        for assignment in assignments
    ]


def score_rows(user):
    scores = (
        Score.objects.filter(assignment__juror__user=user)
        .select_related("assignment__application__edition", "criterion")
        .order_by(
            "-assignment__application__edition__year",
            "assignment__application_id",
            "criterion__sort_order",
            "pk",
        )
    )
    return [
        {
            _("édition"): score.assignment.application.edition.year,
            _("dossier"): str(score.assignment.application),
            _("critère d’évaluation"): score.criterion.label,
            # None: « sans objet ».
            _("note"): score.value,
            _("note maximale"): score.criterion.scale_max,
            _("commentaire"): score.comment,
            _("modifiée le"): score.updated_at,
        }
        for score in scores
    ]


def erased_juror_name(pk):
    # Stored (in Wagtail's history), so in the site's language whatever the admin's.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Juré effacé n°%(pk)s") % {"pk": pk}


def _relabel_history(jurors):
    """Wagtail's history keeps each juror's and each assignment's name as it was (its label,
    « Prénom Nom » and « Prénom Nom — Dossier »): name them by their pseudonym instead."""

    def relabel(model, pk, label):
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
            label=label
        )

    assignments = JuryAssignment.objects.filter(juror__in=jurors).select_related("application")
    for juror in jurors:
        relabel(Juror, juror.pk, erased_juror_name(juror.pk))
    for assignment in assignments:
        relabel(
            JuryAssignment,
            assignment.pk,
            f"{erased_juror_name(assignment.juror_id)} — {assignment.application}",
        )


def erase(user):
    """Pseudonymise the person's juror records (see the module's docstring): employer, its
    SIRET and public presentation emptied, no longer named on the award page. Assignments,
    conflict declarations, scores and comments stay. Their applications stay too: nothing to do
    (the account is anonymised by the privacy app). Returns the number of juror records."""
    jurors = list(Juror.objects.filter(user=user))
    if not jurors:
        return 0
    Juror.objects.filter(pk__in=[juror.pk for juror in jurors]).update(
        company_name="", company_siret="", bio="", is_public=False
    )
    _relabel_history(jurors)
    # update() sends no post_save: the award pages showing this jury forget it themselves.
    transaction.on_commit(invalidate_page_cache)
    return len(jurors)


register_section(
    Section(
        "award-applications",
        gettext_lazy("Candidatures"),
        application_rows,
        order=20,
    ),
    Section(
        "jury-records",
        gettext_lazy("Travail de jury : fiches de juré"),
        juror_rows,
        erase,
        order=21,
    ),
    Section(
        "jury-assignments",
        gettext_lazy("Travail de jury : dossiers confiés"),
        assignment_rows,
        order=22,
    ),
    Section("jury-scores", gettext_lazy("Travail de jury : notes"), score_rows, order=23),
)
