"""What an import remembers: each item it brought in, by its identity in the
source (ImportedItem), the old site's addresses, which answer 301 to the
release they became (OldAddress; imports/middleware.py), and the runs in the
background (ImportRun; imports/tasks.py)."""

import logging
from datetime import timedelta
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from celery import current_app
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from releases.models import Release

logger = logging.getLogger(__name__)

# Longer addresses are not looked up: nothing recorded could match them.
PATH_LENGTH = 500
QUERY_LENGTH = 500


def split_address(address):
    """(path, query) of an old address ("https://old.example/az/news/1234/?b=2&a=1",
    "/index.php?id=1234&lang=ru"), as the middleware compares them: the path
    percent-decoded and without its trailing slash, the query's parameters
    sorted, so that "?lang=ru&id=1" is "?id=1&lang=ru". The host is dropped:
    the old site's domain is expected to point at this one."""
    parts = urlsplit((address or "").strip())
    return normalize_path(unquote(parts.path)), normalize_query(parts.query)


def normalize_path(path):
    path = "/" + path.lstrip("/")
    return path.rstrip("/") or "/"


def normalize_query(query):
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


class OldAddressQuerySet(models.QuerySet):
    def for_request(self, path, query):
        """The old address a request for `path` and `query` (as received)
        stands for, whose release the public may read; None otherwise. One
        query on the (path, query) index: the address with this very query,
        else the path recorded without one (the old site's links carried
        tracking parameters as often as not)."""
        path = normalize_path(path)
        query = normalize_query(query)
        if len(path) > PATH_LENGTH or len(query) > QUERY_LENGTH or "\x00" in path + query:
            # Longer than any kept, or with a NUL, which no kept address
            # holds and PostgreSQL refuses in a query.
            return None
        found = (
            self.filter(path=path, query__in={query, ""}, release__in=Release.objects.readable())
            .select_related("release")
            .only("query", "release__language", "release__slug")
            .order_by("-query")
        )
        return next(iter(found[:1]), None)


class OldAddress(models.Model):
    """An address of the old site (path and query) that answers with a
    permanent redirect (301) to a release."""

    path = models.CharField(
        _("path"),
        max_length=PATH_LENGTH,
        help_text=_("As on the old site, without the domain, for example: /az/news/1234"),
    )
    query = models.CharField(
        _("query"),
        max_length=QUERY_LENGTH,
        blank=True,
        help_text=_(
            "The part after “?”, for example: id=1234&lang=ru. Left empty, the path answers whatever "
            "query it comes with."
        ),
    )
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="old_addresses", verbose_name=_("release")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        ordering = ["path", "query"]
        verbose_name = _("address on the old site")
        verbose_name_plural = _("addresses on the old site")
        constraints = [
            models.UniqueConstraint(
                fields=["path", "query"],
                name="old_address_unique",
                violation_error_message=_("This address already leads to a release."),
            ),
        ]

    def __str__(self):
        return f"{self.path}?{self.query}" if self.query else self.path

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the uniqueness check, so that "/news/1/" typed in the admin
        # is found to be "/news/1" recorded already.
        self.normalize()

    def normalize(self):
        self.path, self.query = normalize_path(unquote(self.path)), normalize_query(self.query.lstrip("?"))

    def requested_as(self):
        """The address as a client sends it: the path percent-encoded again
        (it is kept decoded, as the middleware compares it)."""
        path = quote(self.path)
        return f"{path}?{self.query}" if self.query else path


class ImportedItem(models.Model):
    """One item of an imported source, by its identity there: a WordPress
    post's id, a feed entry's id, a CSV row's id, a saved page's path. A
    second run of the same source finds it here, and leaves it (the same
    fingerprint) or updates its release."""

    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The site or file the item came from, for example: customs.gov.az"),
    )
    source_id = models.CharField(_("identity in the source"), max_length=500)
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="imported_items", verbose_name=_("release")
    )
    translation_group = models.CharField(_("translation group in the source"), max_length=200, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    # Of the photos and documents alone: when only the text changed, a
    # second run leaves the files as they are.
    files_fingerprint = models.CharField(_("fingerprint of the files"), max_length=64, editable=False)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["source", "source_id"]
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_item_unique"),
        ]
        indexes = [
            models.Index(fields=["source", "translation_group"], name="imported_item_translations"),
        ]

    def __str__(self):
        return f"{self.source} {self.source_id}"


class ImportRunQuerySet(models.QuerySet):
    def claim(self, pk, *, lease_seconds):
        """The run `pk` for this worker to carry out, marked running, or None
        when another worker holds it (its last sign of life is less than
        `lease_seconds` old) or it is over. A task the broker gave twice
        (Redis gives back a task not acknowledged within an hour) thus runs
        once; one whose worker died is taken over when its lease is up."""
        now = timezone.now()
        stalled = models.Q(status=ImportRun.Status.RUNNING, heartbeat_at__lt=now - timedelta(seconds=lease_seconds))
        claimed = self.filter(models.Q(status=ImportRun.Status.QUEUED) | stalled, pk=pk).update(
            status=ImportRun.Status.RUNNING,
            started_at=Coalesce("started_at", now),
            heartbeat_at=now,
            attempts=models.F("attempts") + 1,
        )
        return self.get(pk=pk) if claimed else None

    def queue(self, arguments):
        """A new run of `import_archive` with `arguments` (the source first),
        its job queued once the run is committed (imports/tasks.py). The
        command's --background and the admin's upload both queue here."""
        with transaction.atomic():
            run = self.create(source=arguments[0], arguments=arguments)
            transaction.on_commit(lambda: _enqueue(run.pk))
        return run

    def requeue_stalled(self, *, lease_seconds):
        """The runs queued or running with no sign of life for `lease_seconds`
        (their task was lost with a broker, or their worker died), marked
        queued again as of now: their ids, for their jobs to be queued again,
        at most once a lease however long the queue's wait."""
        now = timezone.now()
        stalled = self.filter(
            status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING],
            heartbeat_at__lt=now - timedelta(seconds=lease_seconds),
        )
        with transaction.atomic():
            pks = list(stalled.select_for_update(skip_locked=True).values_list("pk", flat=True))
            self.filter(pk__in=pks).update(status=ImportRun.Status.QUEUED, heartbeat_at=now)
        return pks


def _enqueue(run_id):
    """Hand the run to a worker. A broker that cannot be reached loses
    nothing: the run stays queued, and beat's resume_stalled queues it again
    once its lease is up."""
    # The task by its name, as the worker knows it: imports/tasks.py reads
    # these models, and needs no import back.
    try:
        current_app.tasks["imports.run_import"].delay(run_id)
    except OperationalError:
        logger.warning("Broker unreachable: import run %s waits for resume_stalled", run_id, exc_info=True)


class ImportRun(models.Model):
    """An import run in the background (`import_archive --background`): a
    Celery job, with its progress and, once done, its summary and report.
    Interrupted (a worker stopped or lost), it is started again and goes on
    where it was: the items brought in already are passed over unchanged."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=1000, help_text=_("The file, folder or address imported."))
    arguments = models.JSONField(
        _("arguments"), default=list, help_text=_('import_archive\'s arguments, for example: ["export.xml"]')
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    items = models.PositiveIntegerField(_("items"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    skipped = models.PositiveIntegerField(_("passed over"), default=0)
    report = models.CharField(_("report"), max_length=1000, blank=True, help_text=_("The report file (CSV)."))
    summary = models.TextField(_("outcome"), blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("More than one: the run was interrupted and taken up again.")
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # The last sign of life: of the worker carrying it out, or of its queueing.
    heartbeat_at = models.DateTimeField(_("last progress"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_run_status")]

    def __str__(self):
        return _("Import %(number)s of %(source)s") % {"number": self.pk, "source": self.source}

    def record_progress(self, counts):
        """The counts of each outcome so far (importer.Importer.counts), and a
        sign of life."""
        figures = {name: counts[name] for name in ("created", "updated", "unchanged", "refused", "skipped")}
        ImportRun.objects.filter(pk=self.pk).update(items=sum(figures.values()), heartbeat_at=timezone.now(), **figures)
