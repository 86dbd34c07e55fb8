import argparse
import csv
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from imports.files import TIMEOUT_SECONDS, FileFinder
from imports.importer import Importer, Progress
from imports.mapping import Mapping, MappingError
from imports.models import ImportRun
from imports.sources import feeds, pages, spreadsheet, wxr

FORMATS = ["wxr", "rss", "csv", "html"]
FEED_LIMIT_BYTES = 50 * 1024 * 1024


def guess_format(source):
    if "://" in source:
        return "rss"
    path = Path(source)
    if path.is_dir():
        return "html"
    if path.suffix.lower() == ".csv":
        return "csv"
    try:
        with open(path, "rb") as file:
            head = file.read(4096)
    except OSError as error:
        raise CommandError(f"{source}: {error.strerror or error}.") from error
    return "wxr" if b"wordpress.org/export/" in head else "rss"


def readable_datetime(text):
    """The time `text` gives ("2023-06-20 11:52+04:00"), or None."""
    try:
        return parse_datetime(text)
    except ValueError:  # well formed, but no such day: 2023-02-31
        return None


class Command(BaseCommand):
    help = (
        "Import an existing archive: a WordPress export (wxr), an RSS or Atom feed (rss; a file or an address), "
        "a CSV file (csv) or a folder of saved HTML pages with a mapping of CSS selectors (html). Idempotent: "
        "each item is known by its source and its identity there, and a second run updates what changed and adds "
        "what is new. Old addresses answer 301 to their release. Nothing is sent, nobody is alerted."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file, a folder (html) or a feed's address (rss).")
        parser.add_argument("--format", choices=FORMATS, help="Guessed from the source when left out.")
        parser.add_argument("--language", help="The language of items that do not say theirs (az, en or ru).")
        parser.add_argument("--map", dest="mapping", help="The mapping file (TOML): README, 'Moving a site'.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done, and change nothing.")
        parser.add_argument("--since", help="Only items published on or after this date (2023-06-20).")
        parser.add_argument("--limit", type=int, help="At most this many items.")
        parser.add_argument(
            "--source-name", help="The source's identity (default: the site's address, or the mapping's source)."
        )
        parser.add_argument(
            "--files", action="append", default=[], help="A folder of the photos and documents (repeat for several)."
        )
        parser.add_argument(
            "--allow-host", action="append", default=[], help="A host photos, documents and feeds may be fetched from."
        )
        parser.add_argument(
            "--skip-broken-files",
            action="store_true",
            help="Import an item without a photo or document refused, instead of refusing the item.",
        )
        parser.add_argument("--report", help="Where the report (CSV) goes (default: import-report-<time>.csv).")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the import as a background job (Celery) and return at once; its progress, summary and "
            "report are in the admin's import runs. The workers must see the same files.",
        )
        # The background job's own call (imports/tasks.py): the run whose
        # progress and report this import records.
        parser.add_argument("--run", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, source, format, language, mapping, dry_run, since, limit, **options):
        options_mapping, options_since = mapping, since
        try:
            mapping = Mapping.load(mapping)
        except MappingError as error:
            raise CommandError(str(error)) from error
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        since = self.parse_since(since, mapping)
        format = format or guess_format(source)
        files, allow_host, report = options["files"], options["allow_host"], options["report"]
        folders = list(files)
        is_address = "://" in source
        if not is_address:
            if not Path(source).exists():
                raise CommandError(f"{source}: no such file or folder.")
            folders.append(str(Path(source) if Path(source).is_dir() else Path(source).parent))
        if options["background"]:
            return self.queue(source, format=format, language=language, mapping=options_mapping, dry_run=dry_run,
                              since=options_since, limit=limit, **options)  # fmt: skip
        run = ImportRun.objects.get(pk=options["run"]) if options["run"] else None
        if run is not None and not report:
            settings.PRESSROOM_IMPORT_REPORTS_ROOT.mkdir(parents=True, exist_ok=True)
            report = settings.PRESSROOM_IMPORT_REPORTS_ROOT / f"import-{run.pk}-{timezone.now():%Y%m%d-%H%M%S}.csv"
        finder = FileFinder(folders=folders, allowed_hosts=allow_host)
        items, name = self.reader(format, source, mapping, finder)
        name = options["source_name"] or mapping.source or name or Path(source).name
        importer = Importer(
            source=name, mapping=mapping, finder=finder, language=language, dry_run=dry_run,
            skip_broken_files=options["skip_broken_files"],
        )  # fmt: skip
        report = Path(report or f"import-report-{timezone.now():%Y%m%d-%H%M%S}.csv")
        progress = Progress(self.stderr, run=run)
        if run is not None:
            ImportRun.objects.filter(pk=run.pk).update(report=str(report.resolve()))
        self.stdout.write(
            f"Importing {source} ({format}) as source “{name}”{' (dry run: nothing is changed)' if dry_run else ''}."
        )
        with open(report, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["outcome", "where", "source_id", "release", "reason"])

            def on_outcome(outcome):
                writer.writerow(
                    [outcome.status, outcome.item.where, outcome.item.source_id, outcome.address, outcome.reason]
                )
                if outcome.status == "refused":
                    self.stderr.write(f"\rRefused {outcome.item.where}: {outcome.reason}")
                elif dry_run and outcome.status in ("created", "updated"):
                    verb = "create" if outcome.status == "created" else "update"
                    self.stdout.write(f"Would {verb} {outcome.address} from {outcome.item.where}: {outcome.item.title}")
                progress.step(importer.counts)

            try:
                counts = importer.run(items, since=since, limit=limit, on_outcome=on_outcome)
            except (OSError, ValueError, SyntaxError) as error:
                raise CommandError(f"{source}: {error}") from error
            progress.draw(importer.counts)
            self.stderr.write("")
        verb = "would be" if dry_run else "were"
        summary = (
            f"{sum(counts.values()):,} items: {counts['created']:,} {verb} created, {counts['updated']:,} {verb} "
            f"updated, {counts['unchanged']:,} unchanged, {counts['refused']:,} refused, {counts['skipped']:,} "
            f"passed over."
        )
        self.stdout.write(f"{summary} Report: {report}")
        if run is not None:
            run.record_progress(counts)
            ImportRun.objects.filter(pk=run.pk).update(summary=summary)

    def queue(self, source, *, format, language, mapping, dry_run, since, limit, **options):
        """Record the import as a run and queue its job (imports/tasks.py)
        once the run is committed. Paths are made absolute: the worker's
        working folder is not the operator's."""

        def absolute(path):
            return str(Path(path).resolve())

        arguments = [source if "://" in source else absolute(source)]
        for flag, value in (
            ("--format", format), ("--language", language), ("--map", mapping and absolute(mapping)),
            ("--since", since), ("--limit", limit and str(limit)), ("--source-name", options["source_name"]),
            ("--report", options["report"] and absolute(options["report"])),
        ):  # fmt: skip
            if value:
                arguments += [flag, value]
        arguments += [part for folder in options["files"] for part in ("--files", absolute(folder))]
        arguments += [part for host in options["allow_host"] for part in ("--allow-host", host)]
        arguments += [
            flag
            for flag, given in (("--dry-run", dry_run), ("--skip-broken-files", options["skip_broken_files"]))
            if given
        ]
        run = ImportRun.objects.queue(arguments)
        address = reverse("admin:imports_importrun_change", args=[run.pk])
        self.stdout.write(
            f"Queued as import run {run.pk}: a worker carries it out; its progress, summary and report are in the "
            f"admin ({settings.SITE_URL.rstrip('/')}{address})."
        )

    def parse_since(self, since, mapping):
        if not since:
            return None
        try:
            moment = parse_datetime(since) or (
                datetime.combine(day, datetime.min.time()) if (day := parse_date(since)) else None
            )
        except ValueError:  # well formed, but no such day: 2023-02-31
            moment = None
        if moment is None:
            raise CommandError(f"--since {since}: a date as 2023-06-20.")
        return timezone.make_aware(moment, mapping.time_zone) if timezone.is_naive(moment) else moment

    def reader(self, format, source, mapping, finder):
        """(items, the source's own name) for `format`."""
        if format == "wxr":
            return wxr.read(source, mapping=mapping), wxr.source_name(source)
        if format == "csv":
            return spreadsheet.read(source, parse_date=readable_datetime), ""
        if format == "html":
            if not Path(source).is_dir():
                raise CommandError(f"{source}: the html format reads a folder of pages.")
            return pages.read(source, mapping=mapping), ""
        content = self.fetch(source, finder) if "://" in source else Path(source).read_bytes()
        try:
            root = feeds.parse(content)
        except Exception as error:  # lxml's XMLSyntaxError and its kin
            raise CommandError(f"{source}: not an RSS or Atom feed ({error})") from error
        return feeds.read(root), feeds.source_name(root)

    def fetch(self, address, finder):
        host = urlsplit(address).hostname
        if urlsplit(address).scheme not in ("http", "https") or host not in finder.allowed_hosts:
            raise CommandError(f"{address}: fetch feeds only from hosts allowed with --allow-host ({host} is not).")
        try:
            with urllib.request.urlopen(address, timeout=TIMEOUT_SECONDS) as response:
                return response.read(FEED_LIMIT_BYTES)
        except OSError as error:
            raise CommandError(f"{address}: {error}") from error
