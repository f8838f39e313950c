"""Members log in with their e-mail address (staff keep their user names too)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .contacts import same_email


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email") or username
        if not email or "@" not in email or password is None:
            return None
        users = list(get_user_model()._default_manager.filter(email__iexact=email.strip())[:2])
        if len(users) != 1:
            # Unknown, or shared by two accounts: refuse rather than guess. Run the hasher anyway
            # so that timing does not tell which addresses exist.
            get_user_model()().set_password(password)
            return None
        user = users[0]
        if not same_email(email.strip(), user.email):
            # The database's case-insensitive match is wider than ours (PostgreSQL folds « ı »
            # to « i »): such a spelling would escape the login counters keyed on our folding.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
