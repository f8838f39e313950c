"""What every app's staff lists share (wagtail-modeladmin): the index view with its safe exports,
the row buttons of the apps' own actions, the permission helper of the objects that change only
through services, a filter under another title, and the address of a list.

Written once here so that members, awards and forms behave the same: an export cell never runs
as a formula, and a filter value the field cannot take shows the list unfiltered, not a 500.
"""

from django.contrib.admin import AllValuesFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import IndexView

from .spreadsheet import spreadsheet_safe


def index_url(model, **filters):
    """The modeladmin list of `model`, filtered with its own query parameters."""
    url = reverse(f"{model._meta.app_label}_{model._meta.model_name}_modeladmin_index")
    return f"{url}?{urlencode(filters)}" if filters else url


class SafeIndexView(IndexView):
    """A staff list: CSV exports that run no formula, and invalid filters refused politely
    instead of a server error."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            # XLSX needs nothing: wagtail writes every text, « =… » included, as a string cell.
            return spreadsheet_safe(value)
        return value

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # A filter's value that its field cannot take (« ?year=abc »): the list again,
            # unfiltered, as Django's own admin does (`e=1` is ignored by the list).
            messages.error(
                request,
                _(
                    "Un filtre de la liste a une valeur invalide : "
                    "la liste est affichée sans filtre."
                ),
            )
            return redirect(f"{request.path}?{self.ERROR_FLAG}=1")


class RowButtonHelper(ButtonHelper):
    """A list's row buttons, with the app's own actions added by `row_button` in Wagtail's
    style: secondary, or « no » (red) for what cannot be undone."""

    def row_button(self, url, label, title, classnames_add=None, classnames_exclude=None,
                   style="button-secondary"):  # fmt: skip
        return {
            "url": url,
            "label": label,
            "title": title,
            "classname": self.finalise_classname(
                (classnames_add or []) + [style], classnames_exclude
            ),
        }


class ServicesOnlyPermissionHelper(PermissionHelper):
    """No generic create, edit or delete view, for anyone (superusers included): the list, the
    inspect view and the app's own actions (which go through its services) stay."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


def titled(title, base=AllValuesFieldListFilter):
    """A field's filter under another title (« tranche » rather than the tier's « libellé »)."""

    class TitledFilter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter
