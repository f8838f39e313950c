"""The bulletin d'adhésion: filled in on the MembershipPage (see pages.py)."""

from django.shortcuts import render


def serve_bulletin(page, request):
    return render(request, "members/membership_page.html", {"page": page, "self": page})
