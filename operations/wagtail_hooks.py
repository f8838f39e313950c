"""« Tâches planifiées » in the admin's settings menu: the scheduler's runs, read only, with the
last heartbeat of the worker and of the scheduler above them.

Runs are written by the scheduler alone: the add, edit, copy and delete views are not even
routed, and the permission policy refuses those actions to everyone, superusers included.
"""

import django_filters
from django.contrib.auth import get_permission_codename
from django.db import DatabaseError
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

# Late here when /health/ says so.
from .health import HEARTBEAT_LATE_SECONDS
from .heartbeats import last_beats
from .jobs import JOBS
from .models import JobRun

VIEW_RUNS = "operations.view_jobrun"
# The processes whose heartbeat staff look for, with their names in the admin.
PROCESSES = (("worker", _("Exécuteur des tâches")), ("scheduler", _("Planificateur")))


def can_view_runs(user):
    """The runs' output can name members and addresses (a reminder's recipients): staff with
    the permission (superusers have it), nobody else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False, _("Réservé à l’équipe du réseau.")
    if not user.has_perm(VIEW_RUNS):
        return False, _("Il faut la permission « voir les tâches planifiées ».")
    return True, ""


class RunsPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and can_view_runs(user)[0]

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"]).filter(is_staff=True, is_active=True)


register_permission_policy(JobRun, RunsPermissionPolicy(JobRun))


def local_datetime(value):
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def period_label(run):
    return local_datetime(run.period_start)


def started_label(run):
    return local_datetime(run.started_at)


def duration_label(run):
    duration = run.duration
    if duration is None:
        return "—"
    seconds = duration.total_seconds()
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": number_format(seconds, 1)}
    minutes, seconds = divmod(round(seconds), 60)
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}


def heartbeats(now=None):
    """What the page says of each process: its last beat, and whether it is late."""
    now = now or timezone.now()
    try:
        beats = last_beats()
    except DatabaseError:
        beats = {}
    rows = []
    for name, label in PROCESSES:
        last = beats.get(name)
        late = last is None or (now - last).total_seconds() > HEARTBEAT_LATE_SECONDS
        rows.append({"label": label, "last": last, "late": late})
    return rows


class RunsIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heartbeats"] = heartbeats()
        return context


class RunInspectView(InspectView):
    def get_output_display_value(self):
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', self.object.output or "—")

    def get_error_display_value(self):
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', self.object.error or "—")

    def get_period_start_display_value(self):
        return local_datetime(self.object.period_start)

    def get_started_at_display_value(self):
        return local_datetime(self.object.started_at)

    def get_finished_at_display_value(self):
        return local_datetime(self.object.finished_at)


def _job_choices():
    return [(job.name, job.name) for job in JOBS]


class RunsFilterSet(WagtailFilterSet):
    # A list of the jobs rather than a text field that must be typed exactly.
    job = django_filters.ChoiceFilter(label=_("Tâche"), choices=_job_choices)

    class Meta:
        model = JobRun
        fields = ["status", "job"]


class JobRunViewSet(ModelViewSet):
    model = JobRun
    icon = "time"
    menu_label = _("Tâches planifiées")
    add_to_settings_menu = True
    menu_order = 910
    url_prefix = "taches-planifiees"
    index_view_class = RunsIndexView
    index_template_name = "operations/admin/runs_index.html"
    inspect_view_class = RunInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "job",
        "period_start",
        "status",
        "started_at",
        "finished_at",
        "host",
        "pid",
        "output",
        "error",
    ]
    copy_view_enabled = False
    filterset_class = RunsFilterSet
    list_per_page = 50
    list_display = [
        "job",
        Column("period", label=_("Période"), accessor=period_label, sort_key="period_start"),
        "status",
        Column("started", label=_("Début"), accessor=started_label, sort_key="started_at"),
        Column("duration", label=_("Durée"), accessor=duration_label),
    ]

    def get_urlpatterns(self):
        # Read only: no route to create, edit, copy or delete a run.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        # Only « view » means something here: it is the dedicated permission to give a group.
        codename = get_permission_codename("view", self.model_opts)
        return super().get_permissions_to_register().filter(codename=codename)


@hooks.register("register_admin_viewset")
def register_job_run_viewset():
    return JobRunViewSet("job_runs")
