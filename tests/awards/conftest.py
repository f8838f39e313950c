import pytest


@pytest.fixture
def admin_client(client):
    """The test client logged in as a superuser (admin@example.org): staff's side of the award.
    Replaces pytest-django's own, whose user has another address."""
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("admin@example.org", "admin@example.org", "pw")
    client.force_login(user)
    return client
