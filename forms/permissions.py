"""Who may see or do what in volunteering: the matching in the admin, the companies' figures.

As in members/permissions.py: querysets of what a user may reach, and decisions. The public
listing of board needs is open to all (forms/listing.py decides which needs are listed); a
volunteer's and an association's own answers go through signed links (forms/tokens.py).
"""

from .models import Company

# Staff who follow the matches: see the suggestions and the matches in the admin.
MATCH_PERMISSIONS = ("forms.view_match", "forms.change_match")
# Staff who act on them: propose a match, record its outcome.
ACT_PERMISSION = "forms.change_match"


def follows_matches(user):
    return user.is_authenticated and any(user.has_perm(p) for p in MATCH_PERMISSIONS)


def acts_on_matches(user):
    return user.is_authenticated and user.has_perm(ACT_PERMISSION)


def companies_for(user):
    """The companies whose aggregated figures this user follows (named by staff on the
    company), and no other."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(dashboard_users=user).order_by(
        "name",
        "pk",  # pragma: no mutate (same-named companies in one order each time)
    )
