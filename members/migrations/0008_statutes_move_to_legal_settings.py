"""The statutes move to the legal settings (privacy.LegalSettings), shown in the footer too;
the « privacy page » setting goes: the privacy notice is now its own page type."""

from django.db import migrations


def move_statutes(apps, schema_editor):
    MembershipSettings = apps.get_model("members", "MembershipSettings")
    LegalSettings = apps.get_model("privacy", "LegalSettings")
    for options in MembershipSettings.objects.exclude(statutes_document=None):
        legal = LegalSettings.objects.first() or LegalSettings()
        if legal.statutes_document_id is None:
            legal.statutes_document_id = options.statutes_document_id
            legal.save()


def move_statutes_back(apps, schema_editor):
    MembershipSettings = apps.get_model("members", "MembershipSettings")
    LegalSettings = apps.get_model("privacy", "LegalSettings")
    legal = LegalSettings.objects.exclude(statutes_document=None).first()
    if legal is not None:
        MembershipSettings.objects.update(statutes_document_id=legal.statutes_document_id)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_contact_invitations"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_statutes, move_statutes_back),
        migrations.RemoveField(model_name="membershipsettings", name="privacy_page"),
        migrations.RemoveField(model_name="membershipsettings", name="statutes_document"),
    ]
