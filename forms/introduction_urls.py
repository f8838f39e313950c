"""Introduction addresses, included by forms/urls.py under /benevolat/."""

from django.urls import path

from . import introduction_views as views

urlpatterns = [
    path("mise-en-relation/<str:token>/", views.match_answer, name="match_answer"),
    path("mon-espace/", views.my_space, name="my_space"),
    path(
        "mon-espace/mise-en-relation/<int:pk>/<str:side>/",
        views.my_space_answer,
        name="my_space_answer",
    ),
    path(
        "besoins/<int:pk>/confirmer/<str:token>/",
        views.need_confirm,
        name="need_confirm",
    ),
]
