"""The archive import's background jobs (`import_archive --background`,
README "Moving a site"): they take a run's id, and running one twice does
no harm: a run is carried out by one worker at a time (ImportRun.objects.claim),
and an import run again passes over what it brought in already."""

import io

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from imports.models import ImportRun


@shared_task(name="imports.run_import")
def run_import(run_id):
    run = ImportRun.objects.claim(run_id, lease_seconds=settings.PRESSROOM_IMPORT_LEASE_SECONDS)
    if run is None:  # another worker has it, or it is over
        return None
    try:
        call_command("import_archive", *run.arguments, run=run.pk, stdout=io.StringIO(), stderr=io.StringIO())
    except Exception as error:  # whatever stopped it, the operator reads why in the admin
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=f"{type(error).__name__}: {error}", finished_at=timezone.now()
        )
        raise
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FINISHED, finished_at=timezone.now())
    return run.pk


@shared_task(name="imports.resume_stalled")
def resume_stalled():
    """Run by beat every minute (settings: CELERY_BEAT_SCHEDULE): queue again
    the runs whose job was lost with a broker or whose worker died. They go
    on where they were: the items imported already are unchanged."""
    stalled = ImportRun.objects.requeue_stalled(lease_seconds=settings.PRESSROOM_IMPORT_LEASE_SECONDS)
    for pk in stalled:
        run_import.delay(pk)
    return stalled
