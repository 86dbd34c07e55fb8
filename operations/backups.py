"""Backups of the whole site (issue 7; README, "Backups"): the database, the
photos (MEDIA_ROOT) and the documents (DOCUMENTS_ROOT) in one folder, with a
manifest; and restoring one into an empty database.

A backup folder holds:

- `database.sqlite3` (SQLite, copied with SQLite's online backup API: a
  consistent copy while the site runs) or `database.dump` (PostgreSQL,
  `pg_dump --format=custom` of the server's own major version);
- `files.tar`: `media/` and `documents/`, the two folders as they are on disk;
- `manifest.json`: when, which database, the Django migrations applied, the
  number of releases, photos, documents and revisions, and a SHA-256 checksum
  of each file.

The database is copied first, then the files: a file is written only after
its row is committed and deleted only after its row's deletion is, so every
row of the copy has its file unless it was deleted in the seconds between the
two (`manage.py media_cleanup` after a restore names any such file, and
removes the files of rows added meanwhile).
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from reversion.models import Revision

from releases.documents import document_storage
from releases.models import Department, Event, EventCover, Release, ReleaseDocument, ReleaseImage, Tag
from serving.pagecache import public_content_changed

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FILES_ARCHIVE = "files.tar"

# What the manifest counts, and a restore checks it finds again.
COUNTED = {
    "releases": Release,
    "photos": ReleaseImage,
    "event covers": EventCover,
    "documents": ReleaseDocument,
    "revisions": Revision,
}
# Tables of personal data (README, "Privacy"): the alerts' subscribers, and
# the outbox, whose every row names a recipient. A backup leaves their rows
# out unless asked (`backup --with-subscribers`): a restored site has no
# subscriber and no record of past deliveries, and sends nothing again (a
# message is written only when something happens).
PERSONAL_TABLES = ["alerts_subscriptiontag", "alerts_subscription", "alerts_subscriber", "outbox_message"]
# A database holding a row of any of these is not empty: a restore would
# replace what someone wrote.
CONTENT_MODELS = [Release, Event, Department, Tag, ReleaseImage, ReleaseDocument, Revision]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# Backing up


def create_backup(folder, *, using="default", log=print, with_subscribers=False):
    """Write a backup of the database `using`, MEDIA_ROOT and DOCUMENTS_ROOT
    into `folder`, which must not exist yet or be empty, without the rows of
    PERSONAL_TABLES unless `with_subscribers`. Returns the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for the backup.")
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        database_file = folder / DATABASE_FILES[connection.vendor]
        log(f"Database ({connection.vendor}) to {database_file.name}...")
        left_out = [] if with_subscribers else PERSONAL_TABLES
        if connection.vendor == "sqlite":
            dump_sqlite(connection, database_file, left_out=left_out)
        else:
            dump_postgresql(connection, database_file, left_out=left_out)
        if left_out:
            log(f"Left out, as personal data: the rows of {', '.join(left_out)} (--with-subscribers keeps them).")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": database_file.name, **server_version(connection)},
            "migrations": applied_migrations(connection),
            "counts": counts(using),
            "personal_data_left_out": left_out,
            "files": None,
        }
        if file_folders():
            log(f"Photos and documents to {FILES_ARCHIVE}...")
            manifest["files"] = {"file": FILES_ARCHIVE, **archive_files(folder / FILES_ARCHIVE)}
        else:
            log("Photos and documents are in an object store, not on disk: back them up with its own tools.")
        manifest["checksums"] = {path.name: sha256(path) for path in sorted(folder.iterdir())}
        # Written last: a folder without it is an unfinished backup.
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return manifest


def dump_sqlite(connection, path, *, left_out=()):
    if connection.in_atomic_block:
        # The online backup waits for the connection's own open transaction.
        raise BackupError("A backup cannot be taken inside a transaction.")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(target)
        tables = {row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in left_out:
            if table in tables:
                target.execute(f'DELETE FROM "{table}"')
        if left_out:
            target.commit()
            # Nothing of the deleted rows left in the file's free pages.
            target.execute("VACUUM")
    finally:
        target.close()


def dump_postgresql(connection, path, *, left_out=()):
    pg_dump = postgresql_program("pg_dump", server_major(connection))
    run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"]
        + [f"--exclude-table-data={table}" for table in left_out],
        libpq_environment(connection.settings_dict),
    )


def file_folders():
    """{name in the archive: folder on disk} of the photos and documents; empty
    when they are kept in an object store."""
    storages = {"media": default_storage, "documents": document_storage()}
    if not all(isinstance(storage, FileSystemStorage) for storage in storages.values()):
        return {}
    return {"media": Path(settings.MEDIA_ROOT), "documents": Path(settings.PRESSROOM_DOCUMENTS_ROOT)}


def archive_files(path):
    """Write both folders into the tar archive `path`; {folder: number of files}."""
    numbers = {}
    with tarfile.open(path, "w") as archive:
        for name, root in file_folders().items():
            files = sorted(item for item in root.rglob("*") if item.is_file()) if root.is_dir() else []
            for item in files:
                archive.add(item, arcname=f"{name}/{item.relative_to(root).as_posix()}", recursive=False)
            numbers[name] = len(files)
    return numbers


def applied_migrations(connection):
    """{app: [migration, ...]} of the migrations applied to `connection`."""
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def counts(using):
    """{label: number of rows} of COUNTED; 0 where the table is not there yet
    (a database not migrated up to this version)."""
    tables = set(connections[using].introspection.table_names())
    return {
        label: model._base_manager.using(using).count() if model._meta.db_table in tables else 0
        for label, model in COUNTED.items()
    }


def server_version(connection):
    if connection.vendor == "postgresql":
        return {"server_version": connection.pg_version}
    return {"sqlite_version": sqlite3.sqlite_version}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# PostgreSQL's own programs


def server_major(connection):
    connection.ensure_connection()
    return connection.pg_version // 10000


def postgresql_program(name, major):
    """The path of `name` (pg_dump, pg_restore) of PostgreSQL `major`, the
    server's own major version: Debian's versioned client first, then the one
    on PATH if it is of that version."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    if on_path := shutil.which(name):
        candidates.append(Path(on_path))
    found = []
    for program in candidates:
        if program.is_file() and os.access(program, os.X_OK):
            version = program_major(program)
            if version == major:
                return str(program)
            found.append(f"{program} is version {version}")
    raise BackupError(
        f"{name} of PostgreSQL {major}, the server's version, is not installed"
        + (f" ({'; '.join(found)})" if found else "")
        + f". On Debian or Ubuntu: apt-get install postgresql-client-{major}."
    )


def program_major(program):
    """12 for "pg_dump (PostgreSQL) 12.4"; None if it says no version."""
    output = subprocess.run([program, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\)\s+(\d+)", output)
    return int(match.group(1)) if match else None


def libpq_environment(settings_dict):
    """The environment that points PostgreSQL's programs at the database of
    `settings_dict` (from DATABASE_URL): the password never on a command line."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def run(command, environment):
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        program = Path(command[0]).name
        raise BackupError(f"{program} failed (exit status {result.returncode}): {result.stderr.strip()}")


# Restoring


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST} (an unfinished backup has none).")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of format {manifest.get('format')}; this version reads {FORMAT}.")
    return manifest


def restore_backup(folder, *, using="default", force=False, log=print):
    """Restore the backup in `folder` into the database `using`, MEDIA_ROOT and
    DOCUMENTS_ROOT, then migrate the database up to this code's migrations.
    Refused when the database or the folders hold anything (unless `force`),
    when the backup is of another kind of database, or when it was made by a
    newer version of Pressroom. Returns the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; the database to restore into is {connection.vendor}."
        )
    check_migrations(manifest["migrations"])
    if connection.vendor == "postgresql":
        check_server_version(manifest, connection)
    check_checksums(folder, manifest)
    if not force:
        check_empty(connection, manifest)

    database_file = folder / manifest["database"]["file"]
    log(f"Database ({vendor}) from {database_file.name}...")
    if vendor == "sqlite":
        restore_sqlite(database_file, connection)
    else:
        restore_postgresql(database_file, connection)
    if manifest["files"]:
        restore_files(folder / manifest["files"]["file"], log=log)
    log("Migrating the database to this version's migrations...")
    call_command("migrate", database=using, interactive=False, verbosity=0)
    found = counts(using)
    if found != manifest["counts"]:
        raise BackupError(f"The restored database holds {found}, the backup's manifest says {manifest['counts']}.")
    # Pages kept before the restore show what is no longer there.
    public_content_changed(using=using)
    return manifest


def check_migrations(applied):
    """Refuse a backup with a migration this code does not have: it was made by
    a newer version, whose schema this code cannot read."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, names in applied.items() for name in names if (app, name) not in known)
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of Pressroom: its database has migrations this code lacks "
            f"({', '.join(unknown)}). Install that version (or a later one), then restore."
        )


def check_server_version(manifest, connection):
    made_on = manifest["database"].get("server_version", 0) // 10000
    target = server_major(connection)
    if made_on > target:
        raise BackupError(
            f"This backup was dumped from PostgreSQL {made_on}; the server to restore into is {target}. "
            f"Restore into PostgreSQL {made_on} or later."
        )


def check_checksums(folder, manifest):
    for name, expected in manifest["checksums"].items():
        path = folder / name
        if not path.is_file() or sha256(path) != expected:
            raise BackupError(f"{path} is missing or damaged (its checksum differs from the manifest's).")


def check_empty(connection, manifest):
    """Refuse to overwrite content: the database may have tables (`migrate`
    may have run) but no row of CONTENT_MODELS, and the folders no file."""
    tables = set(connection.introspection.table_names())
    for model in [*CONTENT_MODELS, get_user_model()]:
        if model._meta.db_table in tables and model._base_manager.using(connection.alias).exists():
            raise BackupError(
                f"The database is not empty (it holds {model._meta.verbose_name_plural}): restore into an "
                "empty database, or give --force to replace its content."
            )
    if manifest["files"]:
        for name, root in file_folders().items():
            if root.is_dir() and any(item.is_file() for item in root.rglob("*")):
                raise BackupError(
                    f"{root} ({name}) is not empty: restore into empty folders, or give --force to add the "
                    "backup's files to it."
                )


def restore_sqlite(path, connection):
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        with connection.wrap_database_errors:
            # Page by page over the whole database: the file ends up as the
            # backup was, whatever it held.
            source.backup(connection.connection)
    finally:
        source.close()


def restore_postgresql(path, connection):
    pg_restore = postgresql_program("pg_restore", server_major(connection))
    # Tables the backup does not have (a newer schema, or content replaced
    # with --force) would stop the migrations that follow.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        libpq_environment(connection.settings_dict),
    )


def restore_files(path, *, log):
    """Unpack the archive's `media/` and `documents/` into MEDIA_ROOT and
    DOCUMENTS_ROOT; files already there stay (an orphan is media_cleanup's)."""
    folders = file_folders()
    if not folders:
        log(f"Photos and documents are kept in an object store: upload the files of {path} with its own tools.")
        return
    with tarfile.open(path) as archive:
        for member in archive:
            top, _, rest = member.name.partition("/")
            if top not in folders or not rest:
                continue
            member.name = rest
            # "data": no absolute paths, no way out of the folder, no links
            # out of it, no devices.
            archive.extract(member, folders[top], filter="data")
