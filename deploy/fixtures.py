"""Accounts and content `make prodcheck` needs on top of the demo, printed as JSON.

Run with the topology's environment: `python -m deploy.fixtures PASSWORD`. The demo gives
jurors and applicants DEMO_PASSWORD; members' contacts and a page moderator get PASSWORD here.
Nothing of this runs in `make prod`.
"""

import json
import sys


def main(password):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from awards.models import Juror
    from home.models import NewsIndexPage, NewsPage
    from members.models import Contact

    User = get_user_model()
    members = []
    for contact in Contact.objects.select_related("user").order_by("pk")[:5]:
        contact.user.set_password(password)
        contact.user.save(update_fields=["password"])
        members.append(contact.user.email)
    jurors = sorted({juror.user.email for juror in Juror.objects.select_related("user")})[:3]
    moderator, _ = User.objects.get_or_create(
        username="prodcheck-moderateur",
        defaults={"email": "moderateur@prodcheck.example.org", "is_staff": True},
    )
    moderator.set_password(password)
    moderator.save()
    # Wagtail's own group: edits and publishes pages, uploads images, needs no second factor.
    moderator.groups.add(Group.objects.get(name="Moderators"))
    index = NewsIndexPage.objects.first()
    draft = NewsPage(title="Contrôle de production : une actualité publiée", live=False)
    index.add_child(instance=draft)
    draft.save_revision()
    print(
        json.dumps(
            {
                "members": members,
                "jurors": jurors,
                "moderator": moderator.username,
                "draft": {"id": draft.pk, "title": draft.title, "index": index.url},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
