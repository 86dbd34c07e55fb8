"""`manage.py set_statement_timeout`: DATABASE_STATEMENT_TIMEOUT made the
database role's default, for a site behind a pooler in transaction mode
(README, "PgBouncer"; serving/statement_timeout.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from serving import statement_timeout


class Command(BaseCommand):
    help = "Make DATABASE_STATEMENT_TIMEOUT the database role's own statement timeout (for PgBouncer)."

    def handle(self, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The statement timeout is PostgreSQL's: DATABASE_URL points at another database.")
        milliseconds = statement_timeout.configured_ms()
        statement_timeout.set_role_default(connection, milliseconds)
        self.stdout.write(
            "Statement timeout of this database role "
            f"in this database: {milliseconds} ms, for sessions opened from now on. "
            "Have the pooler open new server connections (PgBouncer: RECONNECT in its console)."
        )
