"""`manage.py media_cleanup`: files and rows of photos and documents back in
step (issue 5).

It removes only what it can be sure this site wrote and no longer uses:
files under this site's own folders (AWS_LOCATION_PREFIX in a shared
bucket), older than PRESSROOM_MEDIA_CLEANUP_MIN_AGE_HOURS, and written no
later than that after the latest upload the database knows of. A file newer
than that means the database is older than the files (a backup restored):
it is kept, and said."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from releases import documents, images
from releases.models import EventCover, ReleaseDocument, ReleaseImage

IMAGE_MODELS = [ReleaseImage, EventCover]
UPLOAD_MODELS = [*IMAGE_MODELS, ReleaseDocument]


def walk(storage, folder):
    """The name of every file under `folder` in `storage`, at any depth."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from walk(storage, f"{folder}/{name}")


class ProgressBar:
    """`label [#########.........] 12/40` on one line, redrawn as work is done."""

    WIDTH = 30

    def __init__(self, stream, label, total):
        self.stream, self.label, self.total, self.done = stream, label, total, 0
        self.draw()

    def advance(self):
        self.done += 1
        self.draw()

    def draw(self):
        filled = self.WIDTH * self.done // self.total if self.total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}", ending="")
        self.stream.flush()

    def close(self):
        self.stream.write("")


class Command(BaseCommand):
    help = (
        "Bring the files of photos and documents back in step with the database: remove the files no row uses "
        "(orphans), make the renditions that photos lack (after a crash, or after PRESSROOM_IMAGE_WIDTHS "
        "changed) and report rows whose file is gone. Safe to run at any time, also while people upload."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done; change nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (for logs).")
        parser.add_argument(
            "--min-age",
            type=int,
            default=settings.PRESSROOM_MEDIA_CLEANUP_MIN_AGE_HOURS,
            help="Keep orphan files younger than this many hours (default: PRESSROOM_MEDIA_CLEANUP_MIN_AGE_HOURS).",
        )

    def handle(self, *args, dry_run=False, no_progress=False, min_age=24, verbosity=1, **options):
        self.verbosity = verbosity
        self.show_progress = not no_progress and verbosity > 0
        image_storage = ReleaseImage._meta.get_field("file").storage
        document_storage = ReleaseDocument._meta.get_field("file").storage
        # The files first, then the rows: a file is written only once its
        # row is committed, so a file listed here has its row seen below,
        # unless the row is gone; and a row saved meanwhile loses nothing.
        image_files = set(walk(image_storage, images.FOLDER))
        document_files = set(walk(document_storage, documents.FOLDER))
        rows = [row for model in IMAGE_MODELS for row in model.objects.values_list("file", "width", "height")]
        document_rows = set(ReleaseDocument.objects.values_list("file", flat=True))

        kept = {name for row in rows for name in images.stored_names(*row)}
        orphans = [(image_storage, name) for name in sorted(image_files - kept)]
        orphans += [(document_storage, name) for name in sorted(document_files - document_rows)]
        orphans, spared = self.old_enough(orphans, min_age=min_age)
        incomplete = [
            row
            for row in rows
            if row[0] in image_files and any(rendition.name not in image_files for rendition in images.renditions(*row))
        ]
        lost = sorted({row[0] for row in rows if row[0] not in image_files} | (document_rows - document_files))

        freed = self.remove(orphans, dry_run=dry_run)
        made = self.render(image_storage, incomplete, dry_run=dry_run)
        self.report(orphans, freed, incomplete, made, lost, dry_run=dry_run)
        self.report_spared(spared, min_age=min_age)

    def old_enough(self, orphans, *, min_age):
        """The orphans that may go, and those kept: younger than `min_age`
        hours, or written more than that after the latest upload the
        database knows of (a file is written just after its row)."""
        latest = max(
            filter(None, (model.objects.aggregate(latest=Max("uploaded_at"))["latest"] for model in UPLOAD_MODELS)),
            default=None,
        )
        margin = timedelta(hours=min_age)
        removable, spared = [], []
        for storage, name in orphans:
            modified = storage.get_modified_time(name)
            if modified > timezone.now() - margin or (latest is not None and modified > latest + margin):
                spared.append((storage, name))
            else:
                removable.append((storage, name))
        return removable, spared

    def remove(self, orphans, *, dry_run):
        freed = 0
        progress = self.progress("Removing orphan files", len(orphans))
        for storage, name in orphans:
            freed += storage.size(name)
            if not dry_run:
                storage.delete(name)
            self.advance(progress)
        self.close(progress)
        return freed

    def render(self, storage, rows, *, dry_run):
        made = 0
        progress = self.progress("Making missing renditions", len(rows))
        for name, width, height in rows:
            if dry_run:
                made += sum(not storage.exists(rendition.name) for rendition in images.renditions(name, width, height))
            else:
                with storage.open(name, "rb") as original:
                    content = original.read()
                made += len(
                    images.make_renditions(storage, name, content, width=width, height=height, only_missing=True)
                )
            self.advance(progress)
        self.close(progress)
        return made

    def report(self, orphans, freed, incomplete, made, lost, *, dry_run):
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(orphans)} orphan file(s) {verb} removed ({filesizeformat(freed)}).")
        if self.verbosity > 1:
            for _storage, name in orphans:
                self.stdout.write(f"  {name}")
        self.stdout.write(f"{made} rendition(s) {verb} made, for {len(incomplete)} image(s).")
        if lost:
            self.stderr.write(
                f"{len(lost)} row(s) point at a file that is gone; upload those files again:\n"
                + "\n".join(f"  {name}" for name in lost)
            )

    def report_spared(self, spared, *, min_age):
        if spared:
            self.stdout.write(
                f"{len(spared)} orphan file(s) kept: younger than {min_age} hour(s), or newer than the latest "
                "upload the database knows of (a restored older backup?)."
            )
            if self.verbosity > 1:
                for _storage, name in spared:
                    self.stdout.write(f"  {name}")

    # Progress bars, on a terminal (or when asked for) only.

    def progress(self, label, total):
        return ProgressBar(self.stdout, label, total) if self.show_progress and total else None

    def advance(self, progress):
        if progress is not None:
            progress.advance()

    def close(self, progress):
        if progress is not None:
            progress.close()
