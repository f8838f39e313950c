"""The admin's accessibility repairs that a template override would have to copy Wagtail for."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def name_search_landmarks():
    # The dashboard has two search forms (the sidebar's and its own) without a name: two
    # identical landmarks (axe « landmark-unique »). The script names the unnamed ones.
    return format_html('<script src="{}" defer></script>', static("home/js/admin-landmarks.js"))
