"""A backup's database: saved and loaded by the tools made for it, pg_dump and pg_restore
(a consistent snapshot while the site runs) and SQLite's online backup API (idem), with the row
count of every table to compare after a restore.
"""

import os
import sqlite3
import subprocess

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .backup_files import BackupError

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def _connection():
    connection = connections["default"]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Base de données %(vendor)s non prise en charge (PostgreSQL ou SQLite seulement).")
            % {"vendor": connection.vendor}
        )
    return connection


def _table_names(connection):
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _pg_command(connection, program, *arguments):
    """The command line and environment of a PostgreSQL client program: the password goes
    through PGPASSWORD, never on the command line (other users can read it in `ps`)."""
    params = connection.settings_dict
    _args, extra_env = connection.client.settings_to_cmd_args_env(params, [])
    args = [program, "--no-password"]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    if params.get("NAME"):
        args += ["--dbname", str(params["NAME"])]
    return args + list(arguments), {**os.environ, **(extra_env or {})}


def _run(args, env=None):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            _("Programme introuvable : %(program)s (installez le client PostgreSQL).")
            % {"program": args[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s a échoué : %(error)s")
            % {"program": args[0], "error": result.stderr.strip() or result.returncode}
        )


def _count(cursor, quote, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def dump_database(folder):
    """Write the database into `folder`; return (file name, applied migrations, row counts),
    the counts and migrations read from the very state that was saved."""
    connection = _connection()
    target = folder / DATABASE_FILES[connection.vendor]
    if connection.in_atomic_block:
        raise BackupError(_("Une sauvegarde ne peut pas se faire dans une transaction."))
    if connection.vendor == "postgresql":
        # One snapshot for the counts and for pg_dump: the manifest describes exactly the dump,
        # even while the site keeps writing.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _count(cursor, connection.ops.quote_name, _table_names(connection))
            migrations = sorted(MigrationRecorder(connection).applied_migrations())
            args, env = _pg_command(
                connection, "pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file",
                str(target),
            )  # fmt: skip
            _run(args, env)
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            # The copy inherits WAL mode, which would need -wal and -shm files beside it: make
            # it one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            # Counted in the copy itself: what was saved, whatever the site wrote meanwhile.
            cursor = copy.cursor()
            existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
            tables = [name for name in _table_names(connection) if name in existing]
            counts = _count(cursor, connection.ops.quote_name, tables)
            migrations = []
            if "django_migrations" in existing:
                migrations = sorted(cursor.execute("SELECT app, name FROM django_migrations"))
        finally:
            copy.close()
    return target.name, [list(item) for item in migrations], counts


def load_database(path):
    """Replace the configured database with the saved one."""
    connection = _connection()
    if connection.in_atomic_block:
        raise BackupError(_("Une restauration ne peut pas se faire dans une transaction."))
    if connection.vendor == "postgresql":
        # pg_restore drops the tables this connection may have used: let it go first.
        connection.close()
        args, env = _pg_command(
            connection, "pg_restore", "--clean", "--if-exists", "--no-owner",
            "--single-transaction", str(path),
        )  # fmt: skip
        _run(args, env)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def current_counts(tables):
    connection = _connection()
    existing = set(_table_names(connection))
    with connection.cursor() as cursor:
        found = _count(cursor, connection.ops.quote_name, [t for t in tables if t in existing])
    return {table: found.get(table) for table in tables}
