"""The applicants' addresses, under /candidatures/."""

urlpatterns = []
