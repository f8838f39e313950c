"""The demo site, kept apart from the apps it fills.

- `factories/`: one factory module per app (factory_boy), shared by the demo and the tests;
- `content/`: the public site's pages, news, images and identity (`load_demo_content`);
- `members.py`, `awards/`, `volunteering/`, `legal.py`: each app's demo data and its loader;
- `management/commands/load_demo_*`: the commands `make run` calls on an empty database.

Every loader is idempotent: it finds what it made by a natural key and never duplicates it.
"""
