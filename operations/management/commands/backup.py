"""`manage.py backup`: the database, photos and documents in one folder
(operations/backups.py; README, "Backups")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from operations.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: a consistent copy while the site runs; PostgreSQL: pg_dump of the "
        "server's version), the photos (MEDIA_ROOT) and the documents (DOCUMENTS_ROOT) into one folder, "
        "backups/<time>/ unless --output names another, with a manifest. `manage.py restore <folder>` "
        "restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The folder to write, new or empty (default: backups/<UTC time>/).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")
        parser.add_argument(
            "--with-subscribers",
            action="store_true",
            help="Keep the alerts' subscribers and the outgoing mail (personal data, left out by default).",
        )

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, verbosity=1, with_subscribers=False, **options):
        folder = output or settings.BASE_DIR / "backups" / timezone.now().strftime("%Y-%m-%d-%H%M%S")
        log = self.stdout.write if verbosity > 0 else lambda message: None
        try:
            manifest = create_backup(folder, using=database, log=log, with_subscribers=with_subscribers)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counted = ", ".join(f"{number} {label}" for label, number in manifest["counts"].items())
        log(self.style.SUCCESS(f"Backup written to {folder}: {counted}."))
