"""`manage.py backup` and `manage.py restore` (operations/backup.py, operations/restore.py), on
whichever database the suite runs on: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API
on SQLite.

The tests are transactional: pg_dump is another process, and sees only committed rows."""

import json
import shutil
from types import SimpleNamespace

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from wagtail.images import get_image_model

from demo.factories.members import OrganisationFactory, grid_2027
from members.models import Organisation, Receipt
from members.receipts import issue_receipt_for, store_receipt_pdf
from operations import backup as backup_module
from operations import backup_database, backup_files
from tests.members.test_receipts import paid_payment

pytestmark = pytest.mark.django_db(transaction=True)

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def stores(settings, tmp_path, monkeypatch):
    """Public media, private files and backups in this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": FILE_SYSTEM},
        "private": {"BACKEND": FILE_SYSTEM, "OPTIONS": {"location": tmp_path / "private"}},
    }
    settings.BACKUP_DIR = tmp_path / "backups"
    # A FileField takes its storage once, when the model is defined: give the receipts' field
    # the private storage the settings now name, the one the backup reads.
    monkeypatch.setattr(Receipt._meta.get_field("pdf"), "storage", storages["private"])
    return SimpleNamespace(media=tmp_path / "media", private=tmp_path / "private")


@pytest.fixture
def members_data(stores):
    """Two organisations with a paid membership and its issued receipt PDF, and an image."""
    grid = grid_2027()
    receipts = []
    for name in ("Les Jardins Partagés", "Épicerie solidaire du Marais"):
        payment = paid_payment(OrganisationFactory(name=name), grid=grid)
        receipts.append(store_receipt_pdf(issue_receipt_for(payment)))
    image = wagtail_factories.ImageFactory(title="Atelier de réparation")
    return SimpleNamespace(receipts=receipts, image=image)


def stored_bytes(alias, name):
    with storages[alias].open(name, "rb") as handle:
        return handle.read()


def state():
    """What a restore must bring back: rows and the receipts' and image's bytes."""
    receipts = {r.number: r.pdf.name for r in Receipt.objects.order_by("number")}
    image = get_image_model().objects.get(title="Atelier de réparation")
    return {
        "receipts": receipts,
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "receipt_files": {name: stored_bytes("private", name) for name in receipts.values()},
        "image_file": stored_bytes("default", image.file.name),
    }


def table_counts():
    return backup_database.current_counts(backup_database._table_names(connection))


def run_backup(*args):
    call_command("backup", *args, stdout=open("/dev/null", "w"))
    folders = [p for p in backup_root_folders()]
    return max(folders, key=lambda p: json.loads((p / "manifest.json").read_text())["created_at"])


def backup_root_folders():
    root = backup_files.backup_root()
    return sorted(p for p in root.iterdir() if (p / "manifest.json").exists())


def restore(folder, *args):
    # The restore replaces the database under Django's feet: start it on a fresh connection.
    connection.close()
    call_command("restore", str(folder), *args, stdout=open("/dev/null", "w"))


def wipe(stores):
    """An empty site: no rows, no files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(stores.media, ignore_errors=True)
    shutil.rmtree(stores.private, ignore_errors=True)


def test_restore_after_losing_everything_brings_back_the_same_rows_and_files(stores, members_data):
    before = state()
    counts = table_counts()
    assert len(before["receipts"]) == 2 and all(before["receipt_files"].values())

    folder = run_backup()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == counts
    assert ["members", "0001_initial"] in manifest["migrations"]
    saved = {(f["storage"], f["name"]) for f in manifest["files"]}
    assert {("private", name) for name in before["receipts"].values()} <= saved
    assert ("default", members_data.image.file.name) in saved

    wipe(stores)
    assert not Organisation.objects.exists() and not Receipt.objects.exists()
    assert not stores.private.exists()

    restore(folder, "--yes")

    assert state() == before
    assert table_counts() == counts


def test_restore_replaces_changed_files_and_removes_extra_ones_only_with_prune(
    stores, members_data
):
    before = state()
    folder = run_backup()
    receipt_name = next(iter(before["receipt_files"]))
    private = storages["private"]
    private.delete(receipt_name)
    private.save(receipt_name, ContentFile(b"not the receipt"))
    private.save("receipts/stray.pdf", ContentFile(b"added after the backup"))
    OrganisationFactory(name="Créée après la sauvegarde")

    restore(folder, "--yes")
    assert state() == before
    assert private.exists("receipts/stray.pdf")

    restore(folder, "--yes", "--prune")
    assert state() == before
    assert not private.exists("receipts/stray.pdf")


def changes_after_the_backup():
    """Made after the backup: a restore would undo both."""
    OrganisationFactory(name="Créée après la sauvegarde")
    image = get_image_model().objects.get(title="Atelier de réparation")
    storages["default"].delete(image.file.name)
    return image.file.name


def assert_nothing_restored(image_name, before):
    assert Organisation.objects.filter(name="Créée après la sauvegarde").exists()
    assert not storages["default"].exists(image_name)
    assert {r.number for r in Receipt.objects.all()} == set(before["receipts"])
    for name, content in before["receipt_files"].items():
        assert stored_bytes("private", name) == content


def tamper_receipt(folder, manifest):
    entry = next(f for f in manifest["files"] if f["storage"] == "private")
    path = folder / "files" / "private" / entry["name"]
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF  # same size, other bytes
    path.write_bytes(bytes(content))


def tamper_database(folder, manifest):
    with open(folder / manifest["database"]["file"], "ab") as handle:
        handle.write(b"\0")


def remove_image(folder, manifest):
    entry = next(f for f in manifest["files"] if f["storage"] == "default")
    (folder / "files" / "default" / entry["name"]).unlink()


def other_engine(folder, manifest):
    manifest["database"]["vendor"] = "oracle"
    (folder / "manifest.json").write_text(json.dumps(manifest))


def escaping_name(folder, manifest):
    manifest["files"][0]["name"] = "../../escaped.txt"
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "tamper, message",
    [
        (tamper_receipt, "a été modifié"),
        (tamper_database, "a été modifié"),
        (remove_image, "manque"),
        (other_engine, "oracle"),
        (escaping_name, "Nom de fichier invalide"),
    ],
)
def test_a_damaged_backup_restores_nothing(stores, members_data, tamper, message):
    before = state()
    folder = run_backup()
    tamper(folder, json.loads((folder / "manifest.json").read_text()))
    image_name = changes_after_the_backup()

    with pytest.raises(CommandError, match=message) as refused:
        restore(folder, "--yes", "--prune")

    assert "rien n’a été modifié" in str(refused.value)
    assert_nothing_restored(image_name, before)


def test_restore_without_yes_says_what_it_would_replace_and_changes_nothing(stores, members_data):
    before = state()
    folder = run_backup()
    image_name = changes_after_the_backup()

    with pytest.raises(CommandError) as refused:
        restore(folder)

    message = str(refused.value)
    assert "--yes" in message
    assert str(connection.settings_dict["NAME"]) in message
    assert "stockage « private »" in message and "stockage « default »" in message
    assert_nothing_restored(image_name, before)


def test_a_folder_without_manifest_is_not_a_backup(stores, tmp_path):
    (tmp_path / "half").mkdir()
    with pytest.raises(CommandError, match="manifest.json manque"):
        restore(tmp_path / "half", "--yes")


def test_an_interrupted_backup_leaves_no_complete_looking_folder(stores, members_data, monkeypatch):
    copy = backup_module.copy_from_storage
    copied = []

    def copy_then_fail(*args):
        if copied:
            raise OSError("disque plein")
        copied.append(copy(*args))
        return copied[-1]

    monkeypatch.setattr(backup_module, "copy_from_storage", copy_then_fail)
    output = stores.media.parent / "explicit"

    for args in ([], ["--output", str(output)]):
        copied.clear()
        with pytest.raises(CommandError, match="aucun dossier de sauvegarde.*disque plein"):
            call_command("backup", *args)
        assert copied  # it failed in the middle of the files, not before
        assert not output.exists()
    root = backup_files.backup_root()
    assert list(root.iterdir()) == []  # not even the temporary folder is left


def test_keep_removes_only_the_oldest_backups(stores, members_data):
    root = backup_files.backup_root()
    (root / "notes").mkdir(parents=True)  # not a backup: never counted nor removed
    first = run_backup()
    second = run_backup()
    third = run_backup("--keep", "2")

    assert backup_root_folders() == sorted([second, third])
    assert not first.exists()
    assert (root / "notes").is_dir()


def test_an_existing_output_folder_is_never_overwritten(stores, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("x")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", "--output", str(tmp_path / "taken"))
    assert (tmp_path / "taken" / "keep.txt").read_text() == "x"


@pytest.mark.django_db(transaction=False)
def test_the_database_password_goes_through_the_environment_only():
    fake = SimpleNamespace(
        client=DatabaseClient,
        settings_dict={
            "NAME": "ess",
            "USER": "ess",
            "PASSWORD": "s3cret-pass",
            "HOST": "db.internal",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        },
    )
    args, env = backup_database._pg_command(fake, "pg_dump", "--format=custom")
    assert not any("s3cret-pass" in arg for arg in args)
    assert env["PGPASSWORD"] == "s3cret-pass"
    assert env["PGSSLMODE"] == "require"
    assert args[:2] == ["pg_dump", "--no-password"]
    assert ["--dbname", "ess"] == args[args.index("--dbname") : args.index("--dbname") + 2]


# --- Object storage -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free port of 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_stores(settings, tmp_path, s3_endpoint):
    import boto3

    options = {
        "endpoint_url": s3_endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    suffix = tmp_path.name.lower().replace("_", "-")[-30:]
    buckets = {"default": f"media-{suffix}", "private": f"private-{suffix}"}
    for bucket in buckets.values():
        client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            alias: {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {**options, "bucket_name": bucket},
            }
            for alias, bucket in buckets.items()
        },
    }
    settings.BACKUP_DIR = tmp_path / "backups"


def test_files_in_object_storage_are_saved_and_restored_the_same_way(s3_stores):
    files = {
        ("default", "images/atelier.png"): b"\x89PNG image",
        ("default", "documents/2027/statuts.pdf"): b"%PDF statuts",
        ("private", "receipts/2027/recu-2027-0001.pdf"): b"%PDF receipt",
    }
    for (alias, name), content in files.items():
        storages[alias].save(name, ContentFile(content))
    OrganisationFactory(name="Les Jardins Partagés")

    folder = run_backup()
    for alias, name in files:
        storages[alias].delete(name)
    storages["private"].save("receipts/stray.pdf", ContentFile(b"after the backup"))
    OrganisationFactory(name="Créée après la sauvegarde")

    restore(folder, "--yes", "--prune")

    for (alias, name), content in files.items():
        assert stored_bytes(alias, name) == content
    assert not storages["private"].exists("receipts/stray.pdf")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Les Jardins Partagés"]
