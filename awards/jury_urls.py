"""The jury area, under /jury/."""

urlpatterns = []
