"""Archive imports in the background (issue 19; imports/tasks.py): queued
with `import_archive --background`, carried out by a Celery job (eager in the
tests), followed in the admin, and taken up again where they were when their
worker is lost."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from imports import tasks
from imports.models import ImportedItem, ImportRun
from releases.models import Release

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
LEASE = 600


@pytest.fixture(autouse=True)
def reports(settings, tmp_path):
    settings.PRESSROOM_IMPORT_REPORTS_ROOT = tmp_path / "reports"
    settings.PRESSROOM_IMPORT_LEASE_SECONDS = LEASE
    return settings.PRESSROOM_IMPORT_REPORTS_ROOT


def queue(*args, source=FIXTURES / "releases.csv"):
    out = io.StringIO()
    call_command("import_archive", str(source), "--background", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_background_import_is_a_job_whose_progress_and_report_are_kept(reports, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        output = queue("--map", str(FIXTURES / "mapping.toml"))
    run = ImportRun.objects.get()
    # Queued, not done: the operator's session may end now.
    assert run.status == ImportRun.Status.QUEUED and not Release.objects.exists()
    assert f"import run {run.pk}" in output and f"/admin/imports/importrun/{run.pk}/" in output
    # The worker's folder is not the operator's: every path is absolute.
    assert run.arguments[0] == str(FIXTURES / "releases.csv") and str(FIXTURES / "mapping.toml") in run.arguments
    assert "--background" not in run.arguments
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED and run.attempts == 1
    assert run.created == ImportedItem.objects.count() > 0
    assert run.items == run.created + run.refused + run.skipped
    assert run.finished_at >= run.started_at and "were created" in run.summary
    report = Path(run.report)
    assert report.parent == reports and report.read_text().startswith("outcome,where,source_id,release,reason")


def test_the_admin_lists_runs_with_their_counts_and_hands_out_the_report(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue("--map", str(FIXTURES / "mapping.toml"))
    run = ImportRun.objects.get()
    listing = admin_client.get(reverse("admin:imports_importrun_changelist"))
    assert listing.status_code == 200 and "finished" in listing.content.decode()
    page = admin_client.get(reverse("admin:imports_importrun_change", args=[run.pk]))
    report_address = reverse("admin:imports_importrun_report", args=[run.pk])
    assert page.status_code == 200 and report_address in page.content.decode()
    report = admin_client.get(report_address)
    assert report.status_code == 200 and report["Content-Type"] == "text/csv"
    assert b"".join(report.streaming_content).startswith(b"outcome,where")
    assert admin_client.get(reverse("admin:imports_importrun_report", args=[run.pk + 1])).status_code == 404


def test_the_report_is_not_for_staff_who_may_not_see_runs(client, django_user_model):
    run = ImportRun.objects.create(source="x.csv", arguments=["x.csv"], report="/etc/passwd")
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    response = client.get(reverse("admin:imports_importrun_report", args=[run.pk]))
    assert response.status_code == 403


def test_a_job_given_twice_runs_once(django_capture_on_commit_callbacks):
    """Redis gives back a job not acknowledged within an hour: a long import
    must not be carried out twice at once."""
    run = ImportRun.objects.create(source="x", arguments=[str(FIXTURES / "releases.csv")])
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, heartbeat_at=timezone.now())
    assert tasks.run_import(run.pk) is None
    assert not Release.objects.exists()
    assert ImportRun.objects.get().attempts == 0


def test_a_run_whose_worker_died_is_queued_again_and_goes_on_where_it_was(django_capture_on_commit_callbacks, tmp_path):
    sheet = tmp_path / "three.csv"
    rows = [f"{n},Title {n},2023-01-0{n} 10:00,en,Press" for n in (1, 2, 3)]
    sheet.write_text("id,title,published_at,language,department\n" + "\n".join(rows) + "\n")
    with django_capture_on_commit_callbacks(execute=False):
        queue(source=sheet)
    run = ImportRun.objects.get()
    # The first worker imported part of the source, then died.
    call_command(
        "import_archive", str(sheet), "--limit", "1", "--report", str(tmp_path / "part.csv"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    first = set(ImportedItem.objects.values_list("release_id", flat=True))
    assert len(first) == 1
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, attempts=1)
    # Its lease is not up: nobody takes it over yet.
    assert tasks.resume_stalled() == []
    lost = timezone.now() - timedelta(seconds=LEASE + 1)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=lost)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_stalled() == [run.pk]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED and run.attempts == 2
    # The item imported before is left as it was, the rest brought in.
    assert (run.unchanged, run.created) == (1, 2)
    assert first < set(ImportedItem.objects.values_list("release_id", flat=True))
    assert tasks.resume_stalled() == []


def test_a_run_that_fails_says_why(django_capture_on_commit_callbacks, tmp_path):
    source = tmp_path / "gone.csv"
    source.write_text("title\nA title\n")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue(source=source)
    source.unlink()
    with pytest.raises(CommandError):
        for callback in callbacks:
            callback()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "no such file" in run.error


def test_background_checks_its_arguments_before_queueing(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        queue(source=tmp_path / "missing.csv")
    assert not ImportRun.objects.exists()


# The upload in the admin: its "add import run" page


@pytest.fixture
def uploads(settings, tmp_path):
    settings.PRESSROOM_IMPORT_UPLOADS_ROOT = tmp_path / "uploads"
    return settings.PRESSROOM_IMPORT_UPLOADS_ROOT


def upload(client, **fields):
    data = {"file": SimpleUploadedFile("archive.csv", (FIXTURES / "releases.csv").read_bytes()), **fields}
    return client.post(reverse("admin:imports_importrun_add"), data)


def test_an_administrator_uploads_an_archive_and_it_is_imported_in_the_background(
    admin_client, uploads, django_capture_on_commit_callbacks
):
    mapping = SimpleUploadedFile("customs.toml", (FIXTURES / "mapping.toml").read_bytes())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(admin_client, mapping=mapping, language="az", since="2020-01-01", allowed_hosts="")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:imports_importrun_change", args=[run.pk]
    )
    # Kept where the workers read them, in a folder of the run's own.
    source, kept_mapping = Path(run.arguments[0]), Path(run.arguments[run.arguments.index("--map") + 1])
    assert source.parent.parent == uploads and source.name == "archive.csv" and kept_mapping.parent == source.parent
    assert source.read_bytes() == (FIXTURES / "releases.csv").read_bytes()
    assert run.arguments[1:] == ["--language", "az", "--map", str(kept_mapping), "--since", "2020-01-01"]
    assert run.status == ImportRun.Status.QUEUED and not Release.objects.exists()
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED and run.created == ImportedItem.objects.count() > 0
    page = admin_client.get(response["Location"])
    assert f"Import {run.pk} is queued" in page.content.decode()


def test_an_upload_s_choices_reach_the_command(admin_client, uploads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            admin_client, format="csv", limit="2", allowed_hosts="customs.gov.az, old.customs.example",
            skip_broken_files="on", dry_run="on",
        )  # fmt: skip
    run = ImportRun.objects.get()
    assert run.arguments[1:] == [
        "--format", "csv", "--limit", "2", "--allow-host", "customs.gov.az", "--allow-host", "old.customs.example",
        "--skip-broken-files", "--dry-run",
    ]  # fmt: skip
    # A dry run: the report says what would be done, nothing is.
    assert run.status == ImportRun.Status.FINISHED and "would be created" in run.summary
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"mapping": SimpleUploadedFile("m.toml", b"[tags\n")}, "mapping", "Not a mapping file"),
        ({"mapping": SimpleUploadedFile("m.toml", b"colour = 'red'\n")}, "mapping", "unknown keys"),
        ({"allowed_hosts": "https://customs.gov.az/"}, "allowed_hosts", "Not a host name"),
        ({"limit": "0"}, "limit", "greater than or equal to 1"),
        ({"since": "2023-02-31"}, "since", "valid date"),
        ({"format": "html"}, "format", "valid choice"),
    ],
)
def test_a_wrong_choice_is_a_form_error_and_queues_nothing(admin_client, uploads, fields, field, message):
    response = upload(admin_client, **fields)
    assert response.status_code == 200 and message in str(response.context["form"].errors[field])
    assert not ImportRun.objects.exists() and not uploads.exists()


def test_an_upload_without_a_file_is_refused(admin_client, uploads):
    response = admin_client.post(reverse("admin:imports_importrun_add"), {})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_only_administrators_upload(client, editor, uploads):
    client.force_login(editor)
    assert client.get(reverse("admin:imports_importrun_add")).status_code == 403
    assert upload(client).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_broker_that_cannot_be_reached_leaves_the_run_for_resume_stalled(
    admin_client, uploads, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_import, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == ImportRun.Status.QUEUED
    monkeypatch.undo()
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=LEASE + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_stalled() == [run.pk]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED
