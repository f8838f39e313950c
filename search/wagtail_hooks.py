"""Staff back office of the search suggestions, in Wagtail's admin (wagtail-modeladmin), under
Paramètres › Suggestions de recherche, next to Wagtail's promoted results.

The list shows the candidate queries (those that found something for at least one visitor,
and those staff named), how many distinct visitors searched each in its best week, and whether
it is suggested now; staff approve or block one from its form, or name a query in advance
(« Ajouter ») to block it before anyone types it. Who may do so is Django's model permissions
on « suggestion de recherche », given to staff groups (superusers have them all).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import query_log
from .models import SearchTerm


class SearchTermForm(WagtailAdminModelForm):
    """The query is written as the search log writes it; once recorded it stays as it is (its
    visits were counted for that text), only its status changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["text"].disabled = True

    def clean_text(self):
        if self.instance.pk:
            return self.instance.text
        text = query_log.normalise(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(_("Saisissez la recherche telle qu’on la tape."))
        if SearchTerm.objects.filter(text=text).exists():
            raise forms.ValidationError(
                _("Cette recherche est déjà dans la liste : modifiez-la plutôt.")
            )
        return text


class SuggestedFilter(SimpleListFilter):
    """Whether the query is suggested to visitors today, by search.query_log's rule."""

    title = _("suggérée")
    parameter_name = "suggeree"

    def lookups(self, request, model_admin):
        return [("1", _("Oui")), ("0", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(suggested=self.value() == "1")
        return queryset


class SearchTermAdmin(ModelAdmin):
    model = SearchTerm
    menu_label = _("Suggestions de recherche")
    menu_icon = "search"
    add_to_settings_menu = True
    list_display = ("text", "visitors_column", "suggested_column", "status", "created_at")
    list_filter = ("status", SuggestedFilter)
    search_fields = ("text",)
    ordering = ("-suggested", "-visitors", "text")

    def get_queryset(self, request):
        # Annotated before ordering: the list is ordered by the annotations.
        terms = query_log.with_trust(SearchTerm.objects.all())
        return terms.order_by(*self.get_ordering(request))

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel("text"), FieldPanel("status", widget=forms.RadioSelect)],
            base_form_class=SearchTermForm,
        )

    @admin.display(description=_("visiteurs distincts (meilleure semaine)"), ordering="visitors")
    def visitors_column(self, obj):
        return obj.visitors

    @admin.display(description=_("suggérée"), boolean=True, ordering="suggested")
    def suggested_column(self, obj):
        return obj.suggested


modeladmin_register(SearchTermAdmin)
