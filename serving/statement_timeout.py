"""The statement timeout behind a pooler in transaction mode (README,
"PgBouncer"). Without a pooler each connection asks for DATABASE_STATEMENT_TIMEOUT
when it opens (pressroom/settings/base.py); PgBouncer refuses that, and a
SET would reach whichever client gets the server connection next. So there
the timeout is a default of the database role in this database, which every
server connection the pooler opens takes up, and which `migrate` checks."""

from django.conf import settings


def configured_ms():
    return settings.DATABASE_STATEMENT_TIMEOUT * 1000


def in_effect_ms(connection):
    """The statement timeout of this connection's session, in milliseconds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting::integer FROM pg_settings WHERE name = 'statement_timeout'")
        return cursor.fetchone()[0]


def set_role_default(connection, milliseconds):
    """Make `milliseconds` the timeout of every later session of the
    connection's role in its database (the role's own default: no
    privilege beyond its own is needed). Sessions open now keep theirs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        database = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"ALTER ROLE CURRENT_USER IN DATABASE {database} SET statement_timeout = {int(milliseconds)}")
