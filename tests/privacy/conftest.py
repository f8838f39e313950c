import pytest


@pytest.fixture
def legal_site(site_tree):
    """The test site with the demo's legal settings, statutes and three legal pages."""
    from django.utils import timezone

    from demo.legal import load_demo_legal

    load_demo_legal(timezone.localdate())
    return site_tree
