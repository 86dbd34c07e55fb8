"""`manage.py restore <folder>`: a backup of `manage.py backup` back into an
empty database and empty photo and document folders (operations/backups.py;
README, "Backups")."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database of DATABASE_URL, MEDIA_ROOT and "
        "DOCUMENTS_ROOT, then migrate the database to this version. Refused when the database or the folders "
        "hold anything (unless --force), when the backup is of another kind of database, or when it was made "
        "by a newer version of Pressroom."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's folder, for example backups/2024-06-20-114500.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database's content, and add the files to folders that are not empty.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to restore into.")

    def handle(self, *args, backup, force=False, database=DEFAULT_DB_ALIAS, verbosity=1, **options):
        log = self.stdout.write if verbosity > 0 else lambda message: None
        try:
            manifest = restore_backup(backup, using=database, force=force, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counted = ", ".join(f"{number} {label}" for label, number in manifest["counts"].items())
        log(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}: {counted}."))
