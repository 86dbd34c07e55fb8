"""Backups (issue 7; operations/backups.py): `manage.py backup` and `manage.py
restore` round-trip the releases, their photos with every rendition, their
documents and their revisions into an empty database (a new SQLite file, or a
new PostgreSQL database) and empty folders, and refuse what would lose data.

The tests are transactional: the backup reads the database from outside the
test's connection (pg_dump), so what it should find must be committed."""

import copy
import io
import json

import pytest
import reversion
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from operations.backups import BackupError, applied_migrations, postgresql_program
from releases.documents import prepare_document
from releases.models import Release, ReleaseDocument, ReleaseImage
from serving.models import PublicContentVersion
from tests.pictures import minimal_pdf, prepared_image, upload

RESTORED = "restored"


@pytest.fixture
def site(make_release, django_user_model):
    """Two releases, one with two photos, a document and a revision."""
    editor = django_user_model.objects.create_superuser("chief", "chief@example.com", "a-long-password")
    release = make_release(title="The 88th session of the WCO Policy Commission", tags=["WCO"])
    with reversion.create_revision():
        reversion.set_user(editor)
        release.lead = "The delegation is led by the Chairman."
        release.save()
        release.tags.set(["WCO", "Green Customs"])
    make_release(title="A seminar on electronic declarations")
    for order, size in enumerate([(500, 400), (300, 200)], start=1):
        image = ReleaseImage(release=release, alt_text=f"Photo {order}.", order=order, is_lead=order == 1)
        image.attach(prepared_image(size=size))
        image.save()
    document = ReleaseDocument(release=release, title="Agenda")
    document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
    document.save()
    return release


@pytest.fixture
def backup(site, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", output=str(folder), stdout=io.StringIO())
    return folder


@pytest.fixture
def empty_database(tmp_path):
    """empty_database(alias): a new, empty database beside the test's, as
    `alias`: a new SQLite file, or a new PostgreSQL database."""
    source = connections["default"]
    made = []

    def make(alias):
        settings_dict = copy.deepcopy(source.settings_dict)
        if source.vendor == "postgresql":
            settings_dict["NAME"] = f"{source.settings_dict['NAME']}_{alias}"
            with source._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
                cursor.execute(f"CREATE DATABASE {settings_dict['NAME']}")
        else:
            settings_dict["NAME"] = str(tmp_path / f"{alias}.sqlite3")
        # Made by hand rather than added to the settings: the test case lets
        # a connection it did not know of at its start be used.
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        made.append((alias, settings_dict["NAME"]))
        return alias

    yield make
    for alias, name in made:
        connections[alias].close()
        del connections[alias]
        if source.vendor == "postgresql":
            with source._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
def restored(empty_database):
    return empty_database(RESTORED)


@pytest.fixture
def new_folders(settings, tmp_path):
    """MEDIA_ROOT and DOCUMENTS_ROOT moved to new, empty folders, as on a new
    machine; returns the old ones."""
    old = settings.MEDIA_ROOT, settings.PRESSROOM_DOCUMENTS_ROOT
    settings.MEDIA_ROOT = tmp_path / "new-media"
    settings.PRESSROOM_DOCUMENTS_ROOT = tmp_path / "new-documents"
    return old


def restore(folder, *, database=RESTORED, **options):
    call_command("restore", str(folder), database=database, stdout=io.StringIO(), **options)


def assert_everything_came_back(site, backup, restored, new_folders, settings):
    old_media, old_documents = new_folders
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"] == {"releases": 2, "photos": 2, "event covers": 0, "documents": 1, "revisions": 1}
    assert "0001_initial" in manifest["migrations"]["releases"]
    assert manifest["created_at"]

    restore(backup, database=restored)

    release = Release.objects.using(restored).get(pk=site.pk)
    assert release.title == "The 88th session of the WCO Policy Commission"
    assert sorted(release.tags.names()) == ["Green Customs", "WCO"]
    assert Release.objects.using(restored).count() == 2

    images = list(ReleaseImage.objects.using(restored).filter(release=release))
    assert [image.alt_text for image in images] == ["Photo 1.", "Photo 2."]
    for image in images:
        names = image.stored_names()
        assert len(names) > 1  # the original and its renditions
        for name in names:
            assert (settings.MEDIA_ROOT / name).read_bytes() == (old_media / name).read_bytes()
        assert len(image.renditions) >= 1

    document = ReleaseDocument.objects.using(restored).get()
    assert (settings.PRESSROOM_DOCUMENTS_ROOT / document.file.name).read_bytes() == minimal_pdf()
    assert (old_documents / document.file.name).exists()

    versions = Version.objects.using(restored).get_for_object(release)
    assert [version.field_dict["lead"] for version in versions] == ["The delegation is led by the Chairman."]
    assert versions[0].revision.user.username == "chief"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's; the next test is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_new_file(site, backup, restored, new_folders, settings):
    assert_everything_came_back(site, backup, restored, new_folders, settings)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_new_database(site, backup, restored, new_folders, settings):
    assert_everything_came_back(site, backup, restored, new_folders, settings)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_content_unless_forced(backup, restored, new_folders):
    restore(backup)
    Release.objects.using(RESTORED).filter(title__startswith="A seminar").delete()
    with pytest.raises(CommandError, match="The database is not empty .* --force"):
        restore(backup)
    restore(backup, force=True)
    assert Release.objects.using(RESTORED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_folders_with_files_unless_forced(backup, restored):
    # MEDIA_ROOT still holds the photos the backup was made of.
    with pytest.raises(CommandError, match="is not empty: restore into empty folders"):
        restore(backup)
    assert not connections[RESTORED].introspection.table_names()


def edit_manifest(folder, change):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_made_by_a_newer_version(backup):
    edit_manifest(backup, lambda manifest: manifest["migrations"]["releases"].append("9999_from_the_future"))
    with pytest.raises(CommandError, match=r"newer version of Pressroom.*releases\.9999_from_the_future"):
        restore(backup, database="default")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_the_other_kind_of_database(backup):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    edit_manifest(backup, lambda manifest: manifest["database"].update(vendor=other))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        restore(backup, database="default")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup(backup):
    with open(backup / "files.tar", "r+b") as archive:
        archive.truncate(1024)
    with pytest.raises(CommandError, match="files.tar is missing or damaged"):
        restore(backup, database="default")


def test_restore_refuses_an_unfinished_backup(tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"")
    with pytest.raises(CommandError, match="has no manifest.json"):
        restore(tmp_path, database="default")


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", output=str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_a_missing_pg_dump_names_the_package_to_install(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump of PostgreSQL 99.*apt-get install postgresql-client-99"):
        postgresql_program("pg_dump", 99)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the same on PostgreSQL, only slower")
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_an_older_version_is_migrated_after_the_restore(empty_database, tmp_path, new_folders):
    older = empty_database("older")
    call_command("migrate", "contenttypes", database=older, verbosity=0)
    call_command("backup", output=str(tmp_path / "older-backup"), database=older, stdout=io.StringIO())
    restored = empty_database(RESTORED)
    restore(tmp_path / "older-backup", database=restored)
    assert applied_migrations(connections[restored]) == applied_migrations(connections["default"])
    assert Release.objects.using(restored).count() == 0


@pytest.mark.django_db(transaction=True)
def test_pages_kept_before_a_restore_are_not_served_after(client, settings, backup, restored, new_folders):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    client.get("/releases/")
    restore(backup, database=restored)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/releases/").status_code == 200
    assert queries.captured_queries
    assert PublicContentVersion.current(using=restored) is not None


@pytest.mark.django_db(transaction=True)
def test_subscribers_and_outgoing_mail_are_left_out_unless_asked(site, tmp_path, restored, empty_database, new_folders):
    """Personal data (README, "Privacy"): the alerts' subscribers and the
    outbox's rows, each naming an address, are not in a backup unless
    `--with-subscribers` asks for them."""
    from alerts import services
    from alerts.models import Subscriber, Subscription
    from outbox.models import Message

    subscription = services.subscribe(email="reader@example.org", language="en", frequency="immediately")
    services.confirm(subscription, "immediately")
    assert Message.objects.filter(to="reader@example.org").exists()
    without, with_them = tmp_path / "without", tmp_path / "with"
    call_command("backup", output=str(without), stdout=io.StringIO())
    call_command("backup", output=str(with_them), with_subscribers=True, stdout=io.StringIO())
    manifest = json.loads((without / "manifest.json").read_text())
    assert "alerts_subscriber" in manifest["personal_data_left_out"]
    if connection.vendor == "sqlite":
        assert b"reader@example.org" not in (without / "database.sqlite3").read_bytes()
    restore(without, database=restored)
    assert not Subscriber.objects.using(restored).exists() and not Message.objects.using(restored).exists()
    assert Release.objects.using(restored).count() == 2
    other = empty_database("restored_with")
    restore(with_them, database=other, force=True)
    assert Subscription.objects.using(other).get().subscriber.email == "reader@example.org"
