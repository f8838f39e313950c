"""wagtail-modeladmin's « Historique » page checks no permission: anyone with access to the admin
could read the name and change log of any organisation, payment or application by trying ids.
This one asks what the model's listing asks."""

from django.core.exceptions import PermissionDenied
from wagtail_modeladmin.views import HistoryView


class PermissionCheckedHistoryView(HistoryView):
    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
