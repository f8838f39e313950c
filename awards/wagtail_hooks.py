"""Staff back office for the award, in Wagtail's admin (wagtail-modeladmin), group « Prix »:
editions (with their prizes and grid), applications (filters, search, CSV export, decisions),
jurors (with their progress), assignments (manual assignment is the create form); and the
views of `admin_views` (ranking, exports, progress and reminders, automatic assignment,
publication of laureates).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView, EditView

from home.admin_lists import RowButtonHelper, SafeIndexView, ServicesOnlyPermissionHelper

from . import admin_decisions, admin_views
from .admin_forms import AssignmentForm
from .applications import DECISIONS
from .assignment import notify_assignment_later
from .models import Application, AwardEdition, Juror, JuryAssignment, juror_workload


class GridSafeEditView(EditView):
    """The edition's form: a frozen grid (the model's clean() on a criterion, a database check,
    or a scored criterion that cannot be deleted) is shown as the form's error, never as a
    server error, and nothing of the edition is saved."""

    def get_form(self):
        form = super().get_form()
        # A new criterion knows its edition before validation, so that its clean() sees
        # whether the grid is frozen.
        for criterion_form in form.formsets["criteria"].forms:
            if criterion_form.instance.edition_id is None:
                criterion_form.instance.edition_id = self.instance.pk
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            errors = error.messages
        except (ProtectedError, IntegrityError):
            errors = [
                _(
                    "Le jury a commencé à noter : la grille est figée. Un critère déjà noté ne "
                    "peut plus être supprimé."
                )
            ]
        for message in errors:
            form.add_error(None, message)
        messages.validation_error(self.request, self.get_error_message(), form)
        return self.render_to_response(self.get_context_data(form=form))


# --- Editions -----------------------------------------------------------------------------------


class EditionButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not self.request.user.has_perm(admin_views.VIEW_PERMISSION):
            return buttons
        for name, label in (
            ("ranking", _("Classement")),
            ("progress", _("Avancement du jury")),
            ("publish_laureates", _("Lauréats")),
        ):
            buttons.append(
                self.row_button(
                    reverse(f"awards_admin:{name}", args=[obj.pk]),
                    label,
                    f"{label} — {obj}",
                    classnames_add,
                    classnames_exclude,
                )
            )
        return buttons


class EditionAdmin(ModelAdmin):
    model = AwardEdition
    menu_label = _("Éditions")
    menu_icon = "date"
    index_view_class = SafeIndexView
    edit_view_class = GridSafeEditView
    button_helper_class = EditionButtonHelper
    list_display = ("year", "title", "call_opens_at", "call_closes_at", "scoring_deadline")
    search_fields = ("title",)


# --- Applications -------------------------------------------------------------------------------


class ApplicationPermissionHelper(ServicesOnlyPermissionHelper):
    """Applications are filed by applicants, and change by decisions: no free creation or
    editing here (the inspect view shows them whole)."""


class ApplicationButtonHelper(RowButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.is_draft or not self.request.user.has_perm(admin_views.CHANGE_PERMISSION):
            return buttons
        url = reverse("awards_admin:decision", args=[obj.pk])
        for status in DECISIONS:
            if status == obj.status:
                continue
            buttons.append(
                self.row_button(
                    f"{url}?statut={status.value}",
                    status.label,
                    _("Décision : %(status)s") % {"status": status.label},
                    classnames_add,
                    classnames_exclude,
                )
            )
        buttons.append(
            self.row_button(
                url,
                _("Notes de délibération"),
                _("Décision et notes de délibération"),
                classnames_add,
                classnames_exclude,
            )
        )
        return buttons


class ApplicationAdmin(ModelAdmin):
    model = Application
    menu_label = _("Dossiers")
    menu_icon = "doc-full-inverse"
    index_view_class = SafeIndexView
    permission_helper_class = ApplicationPermissionHelper
    button_helper_class = ApplicationButtonHelper
    inspect_view_enabled = True
    list_display = ("__str__", "organisation", "company_name", "edition", "status_label", "prize")
    list_select_related = ("organisation", "edition", "prize")
    list_filter = ("edition", "status", "publication_consent")
    search_fields = (
        "title", "organisation__name", "company_name", "company_siret", "created_by__email",
    )  # fmt: skip
    list_export = (
        "pk", "edition", "title", "organisation", "company_name", "company_siret", "status_label",
        "ineligibility_reason", "prize", "publication_consent", "submitted_at",
        "deliberation_notes",
    )  # fmt: skip
    export_filename = "dossiers"

    @admin.display(description=_("statut"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()


# --- Jurors and assignments ---------------------------------------------------------------------


class JurorAdmin(ModelAdmin):
    model = Juror
    menu_label = _("Jurés")
    menu_icon = "group"
    index_view_class = SafeIndexView
    list_display = ("__str__", "email", "edition", "company_name", "progress")
    list_filter = ("edition",)
    search_fields = ("user__first_name", "user__last_name", "user__email", "company_name")
    list_export = ("__str__", "email", "edition", "company_name", "company_siret", "progress")
    export_filename = "jures"
    panels = [
        FieldPanel("edition"),
        FieldPanel("user"),
        FieldPanel("company_name"),
        FieldPanel("company_siret"),
        FieldPanel("bio"),
        FieldPanel("is_public"),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "edition")
            .annotate(**juror_workload())
        )

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("notés / affectés"))
    def progress(self, obj):
        return f"{getattr(obj, 'done', 0)}/{getattr(obj, 'assigned', 0)}"


class AssignmentCreateView(CreateView):
    """A manual assignment: the juror hears of it, as with the automatic one."""

    def form_valid(self, form):
        response = super().form_valid(form)
        notify_assignment_later(form.instance.pk)
        return response


class AssignmentPermissionHelper(PermissionHelper):
    """An assignment is created (manual assignment) and inspected, never edited: moving it to
    another juror or application would carry its scores along."""

    def user_can_edit_obj(self, user, obj):
        return False


class AssignmentAdmin(ModelAdmin):
    model = JuryAssignment
    menu_label = _("Affectations")
    menu_icon = "list-ul"
    index_view_class = SafeIndexView
    create_view_class = AssignmentCreateView
    permission_helper_class = AssignmentPermissionHelper
    inspect_view_enabled = True
    list_display = ("juror", "application", "edition", "status_label", "assigned_at")
    list_select_related = ("juror__user", "application__edition")
    list_filter = ("application__edition", "status", "juror")
    search_fields = (
        "juror__user__last_name", "juror__user__email", "application__title",
        "application__organisation__name",
    )  # fmt: skip
    list_export = ("juror", "application", "edition", "status_label", "conflict_reason")
    export_filename = "affectations"

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel("application"), FieldPanel("juror")], base_form_class=AssignmentForm
        )

    @admin.display(description=_("édition"))
    def edition(self, obj):
        return obj.application.edition

    @admin.display(description=_("statut"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()


@modeladmin_register
class AwardsGroup(ModelAdminGroup):
    menu_label = _("Prix")
    menu_icon = "pick"
    menu_order = 250
    items = (EditionAdmin, ApplicationAdmin, JurorAdmin, AssignmentAdmin)


@hooks.register("register_admin_urls")
def register_awards_admin_urls():
    views = admin_views
    urls = [
        path("edition/<int:pk>/classement/", views.RankingView.as_view(), name="ranking"),
        path("edition/<int:pk>/notes.csv", views.ScoresCsvView.as_view(), name="scores_csv"),
        path("edition/<int:pk>/synthese.pdf", views.SummaryPdfView.as_view(), name="summary_pdf"),
        path("edition/<int:pk>/jury/", views.ProgressView.as_view(), name="progress"),
        path("edition/<int:pk>/affecter/", views.AutoAssignView.as_view(), name="auto_assign"),
        path(
            "edition/<int:pk>/laureats/",
            admin_decisions.PublishLaureatesView.as_view(),
            name="publish_laureates",
        ),
        path("dossier/<int:pk>/decision/", admin_decisions.DecisionView.as_view(), name="decision"),
    ]
    return [path("prix/", include((urls, "awards_admin"), namespace="awards_admin"))]
