"""The member portal: each contact sees only the organisations they act for."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .models import Organisation


class EmailAuthenticationForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Adresse e-mail")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.error_messages["invalid_login"] = _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, puis réessayez."
        )


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("members:portal")


def organisations_of(user):
    """The organisations this user is a contact of: the only ones they may see."""
    return Organisation.objects.filter(contacts__user=user).distinct()


@never_cache
@login_required(login_url="members:login")
def portal(request):
    organisations = organisations_of(request.user).prefetch_related("memberships__tier")
    return render(request, "members/portal.html", {"organisations": organisations})


@never_cache
@login_required(login_url="members:login")
def organisation_detail(request, pk):
    # Another organisation's page answers 404, as if it did not exist.
    organisation = get_object_or_404(organisations_of(request.user), pk=pk)
    memberships = organisation.memberships.select_related("tier").prefetch_related("payments")
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "memberships": memberships},
    )
