"""The shared list of sectors, editable afterwards by staff."""

from django.db import migrations

SECTORS = [
    ("solidarite", "Solidarité"),
    ("medico-social", "Médico-social"),
    ("education-populaire", "Éducation populaire"),
    ("economie-sociale", "Économie sociale"),
    ("protection-enfance", "Protection de l’enfance"),
    ("lutte-exclusions", "Lutte contre les exclusions"),
    ("insertion", "Insertion par l’activité économique"),
    ("handicap", "Handicap"),
    ("personnes-agees", "Personnes âgées"),
    ("sante", "Santé"),
    ("culture", "Culture"),
    ("sport", "Sport"),
    ("environnement", "Environnement"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("members", "Sector")
    for slug, name in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
