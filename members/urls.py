"""/espace-membre/: each subject keeps its addresses in its own module."""

from . import payment_urls, portal_urls, receipt_urls

app_name = "members"

urlpatterns = portal_urls.urlpatterns + payment_urls.urlpatterns + receipt_urls.urlpatterns
