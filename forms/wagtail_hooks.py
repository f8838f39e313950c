"""Staff back office of the volunteer matching, in Wagtail's admin (wagtail-modeladmin), group
« Bénévolat »: board needs, volunteers' offers, matches, companies and the shared skill list,
with filters, search and CSV/XLSX export; and the matching views of `admin_views` (suggestions
per need and per offer, a match's follow-up) as row buttons, under /admin/benevolat/.

Who sees what is Django's model permissions on this app (view/add/change/delete), given to
staff groups: without any permission on a model, no menu item and no list.

Needs and offers arrive through the public forms (with the sender's consent and a verified
e-mail): staff correct them here but do not create them. A match lives through the actions of
`admin_views` (propose, introduce, follow, close), which send the e-mails and keep the dates
coherent: never through a generic create, edit or delete form, for anyone.
"""

from django import forms as django_forms
from django.contrib import admin
from django.db.models import Count
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from forms import admin_urls
from home.admin_lists import ServicesOnlyPermissionHelper, titled

from .admin_lists import (
    ADMIN_NAMESPACE,
    ActionButtonHelper,
    NeedAdminForm,
    NoCreatePermissionHelper,
    OfferAdminForm,
    OfferDepartementFilter,
    VolunteeringIndexView,
    skills_text,
)
from .dashboard import FunnelPanel
from .models import BoardNeed, Company, Match, Skill, VolunteerOffer

# --- Board needs -------------------------------------------------------------------------------


class NeedButtonHelper(ActionButtonHelper):
    action = "need_suggestions"
    label = _("Suggestions")
    title = _("Bénévoles suggérés pour ce besoin")

    def shows_action(self, obj):
        return obj.status in (BoardNeed.Status.OPEN, BoardNeed.Status.IN_PROGRESS)


class BoardNeedAdmin(ModelAdmin):
    model = BoardNeed
    menu_label = _("Besoins")
    menu_icon = "clipboard-list"
    index_view_class = VolunteeringIndexView
    permission_helper_class = NoCreatePermissionHelper
    button_helper_class = NeedButtonHelper
    inspect_view_enabled = True
    list_display = (
        "organisation", "role", "skills_column", "departement", "commune", "hours_per_month",
        "status", "visibility", "created_at",
    )  # fmt: skip
    list_select_related = ("organisation",)
    list_filter = (
        "status",
        "role",
        "visibility",
        ("departement", titled(_("département"))),
        "skills",
        ("organisation__sectors", titled(_("secteur"), admin.RelatedFieldListFilter)),
    )
    search_fields = ("organisation__name", "commune", "departement", "description")
    list_export = (
        "pk", "organisation", "role_label", "skills_column", "hours_per_month", "mandate_months",
        "departement", "commune", "status_label", "visibility_label", "created_at",
        "confirmed_at", "closed_at", "description",
    )  # fmt: skip
    export_filename = "besoins"

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("organisation"),
                FieldPanel("role"),
                FieldRowPanel([FieldPanel("hours_per_month"), FieldPanel("mandate_months")]),
                FieldRowPanel([FieldPanel("departement"), FieldPanel("commune")]),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("visibility")]),
                MultiFieldPanel(
                    [
                        FieldPanel("skills_essential"),
                        FieldPanel("skills_important"),
                        FieldPanel("skills_useful"),
                    ],
                    heading=_("Compétences recherchées"),
                ),
            ],
            base_form_class=NeedAdminForm,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("need_skills__skill")

    @admin.display(description=_("compétences recherchées"))
    def skills_column(self, obj):
        return skills_text(obj.need_skills.all(), lambda row: row.get_importance_display())

    @admin.display(description=_("fonction recherchée"), ordering="role")
    def role_label(self, obj):
        return obj.get_role_display()

    @admin.display(description=_("statut"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("visibilité"), ordering="visibility")
    def visibility_label(self, obj):
        return obj.get_visibility_display()


# --- Volunteers' offers ------------------------------------------------------------------------


class OfferButtonHelper(ActionButtonHelper):
    action = "offer_suggestions"
    label = _("Suggestions")
    title = _("Besoins suggérés pour ce bénévole")

    def shows_action(self, obj):
        return obj.status == VolunteerOffer.Status.AVAILABLE


class VolunteerOfferAdmin(ModelAdmin):
    model = VolunteerOffer
    menu_label = _("Offres")
    menu_icon = "user"
    index_view_class = VolunteeringIndexView
    permission_helper_class = NoCreatePermissionHelper
    button_helper_class = OfferButtonHelper
    inspect_view_enabled = True
    inspect_view_fields_exclude = ("user",)
    list_display = (
        "name_column", "company", "skills_column", "departements_column", "hours_per_month",
        "status", "anonymous", "created_at",
    )  # fmt: skip
    list_select_related = ("company", "user")
    list_filter = (
        "status",
        OfferDepartementFilter,
        ("company", titled(_("entreprise"), admin.RelatedFieldListFilter)),
        "anonymous",
        "skills",
        ("preferred_sectors", titled(_("secteur préféré"), admin.RelatedFieldListFilter)),
    )
    search_fields = (
        "first_name", "last_name", "user__email", "company__name", "job_title", "motivation",
    )  # fmt: skip
    list_export = (
        "pk", "first_name", "last_name", "email", "phone", "company", "job_title",
        "skills_column", "hours_per_month", "departements_column", "sectors_column",
        "status_label", "anonymous", "created_at", "motivation",
    )  # fmt: skip
    export_filename = "offres"

    def get_edit_handler(self):
        return ObjectList(
            [
                MultiFieldPanel(
                    [
                        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
                        FieldRowPanel([FieldPanel("phone"), FieldPanel("job_title")]),
                        FieldPanel("company"),
                        FieldPanel("anonymous"),
                    ],
                    heading=_("Bénévole"),
                ),
                MultiFieldPanel(
                    [
                        FieldPanel("skills_expert"),
                        FieldPanel("skills_confirmed"),
                        FieldPanel("skills_basic"),
                    ],
                    heading=_("Compétences"),
                ),
                FieldPanel("hours_per_month"),
                FieldPanel("departements"),
                FieldPanel("preferred_sectors", widget=django_forms.CheckboxSelectMultiple),
                FieldPanel("motivation"),
                FieldPanel("status"),
            ],
            base_form_class=OfferAdminForm,
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("offer_skills__skill", "preferred_sectors")
        )

    @admin.display(description=_("nom"), ordering="last_name")
    def name_column(self, obj):
        return obj.full_name

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("compétences proposées"))
    def skills_column(self, obj):
        return skills_text(obj.offer_skills.all(), lambda row: row.get_level_display())

    @admin.display(description=_("départements"))
    def departements_column(self, obj):
        return ", ".join(obj.departements or [])

    @admin.display(description=_("secteurs préférés"))
    def sectors_column(self, obj):
        return ", ".join(sector.name for sector in obj.preferred_sectors.all())

    @admin.display(description=_("statut"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()


# --- Matches -----------------------------------------------------------------------------------


class MatchButtonHelper(ActionButtonHelper):
    action = "match_detail"
    label = _("Suivre")
    title = _("Suivre cette mise en relation")


class MatchAdmin(ModelAdmin):
    model = Match
    menu_label = _("Mises en relation")
    menu_icon = "link"
    index_view_class = VolunteeringIndexView
    permission_helper_class = ServicesOnlyPermissionHelper
    button_helper_class = MatchButtonHelper
    inspect_view_enabled = True
    list_display = (
        "need", "volunteer", "score", "status", "origin", "association_answer",
        "volunteer_answer", "created_at",
    )  # fmt: skip
    list_select_related = ("need__organisation", "offer__company")
    list_filter = (
        "status",
        "origin",
        ("need__departement", titled(_("département du besoin"))),
        ("offer__company", titled(_("entreprise"), admin.RelatedFieldListFilter)),
        ("need__role", titled(_("fonction recherchée"), admin.ChoicesFieldListFilter)),
        "association_answer",
        "volunteer_answer",
    )
    search_fields = (
        "need__organisation__name", "offer__first_name", "offer__last_name",
        "offer__user__email", "offer__company__name", "notes",
    )  # fmt: skip
    list_export = (
        "pk", "organisation", "role_label", "departement", "volunteer", "company", "score",
        "status_label", "origin_label", "association_answer_label", "volunteer_answer_label",
        "created_at", "introduced_at", "accepted_at", "declined_at", "ended_at", "notes",
    )  # fmt: skip
    export_filename = "mises-en-relation"

    @admin.display(description=_("bénévole"), ordering="offer__last_name")
    def volunteer(self, obj):
        # Staff know who the volunteer is; the anonymity is towards the association.
        return obj.offer.full_name

    @admin.display(description=_("association"), ordering="need__organisation__name")
    def organisation(self, obj):
        return obj.need.organisation.name

    @admin.display(description=_("fonction recherchée"))
    def role_label(self, obj):
        return obj.need.get_role_display()

    @admin.display(description=_("département"))
    def departement(self, obj):
        return obj.need.departement

    @admin.display(description=_("entreprise"))
    def company(self, obj):
        return obj.offer.company.name if obj.offer.company else ""

    @admin.display(description=_("statut"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("origine"))
    def origin_label(self, obj):
        return obj.get_origin_display()

    @admin.display(description=_("réponse de l’association"))
    def association_answer_label(self, obj):
        return obj.get_association_answer_display()

    @admin.display(description=_("réponse du bénévole"))
    def volunteer_answer_label(self, obj):
        return obj.get_volunteer_answer_display()


# --- Companies and skills ----------------------------------------------------------------------


class CompanyAdmin(ModelAdmin):
    model = Company
    menu_label = _("Entreprises")
    menu_icon = "site"
    index_view_class = VolunteeringIndexView
    list_display = ("name", "siret", "sector", "size", "contact_name", "volunteers", "created_at")
    list_select_related = ("sector",)
    list_filter = ("sector", "size")
    search_fields = ("name", "siret", "contact_name", "contact_email", "programme")
    list_export = (
        "name", "siret", "sector", "size_label", "contact_name", "contact_email",
        "contact_phone", "volunteers", "programme",
    )  # fmt: skip
    export_filename = "entreprises"
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("siret"), FieldPanel("size")]),
        FieldPanel("sector"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact RSE"),
        ),
        FieldPanel("programme"),
        FieldPanel("partner_organisations"),
        FieldPanel("dashboard_users"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(offer_count=Count("volunteer_offers"))

    @admin.display(description=_("bénévoles"), ordering="offer_count")
    def volunteers(self, obj):
        return getattr(obj, "offer_count", 0)

    @admin.display(description=_("taille"), ordering="size")
    def size_label(self, obj):
        return obj.get_size_display()


class SkillAdmin(ModelAdmin):
    model = Skill
    menu_label = _("Compétences")
    menu_icon = "tag"
    index_view_class = VolunteeringIndexView
    list_display = ("name", "slug", "order", "need_count", "offer_count")
    search_fields = ("name", "slug")
    list_export = ("name", "slug", "order", "need_count", "offer_count")
    export_filename = "competences"
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("order")]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                needs_total=Count("needs", distinct=True),
                offers_total=Count("offers", distinct=True),
            )
        )

    @admin.display(description=_("besoins"), ordering="needs_total")
    def need_count(self, obj):
        return getattr(obj, "needs_total", 0)

    @admin.display(description=_("offres"), ordering="offers_total")
    def offer_count(self, obj):
        return getattr(obj, "offers_total", 0)


@modeladmin_register
class VolunteeringGroup(ModelAdminGroup):
    menu_label = _("Bénévolat")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (BoardNeedAdmin, VolunteerOfferAdmin, MatchAdmin, CompanyAdmin, SkillAdmin)


# --- The matching views ------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_volunteering_admin_urls():
    # Imported here, when the admin builds its urls, not when wagtail loads the hooks.

    return [path("benevolat/", include((admin_urls.urlpatterns, ADMIN_NAMESPACE)))]


@hooks.register("construct_homepage_panels")
def add_funnel_panel(request, panels):
    if request.user.has_perm("forms.view_match"):
        panels.append(FunnelPanel())
