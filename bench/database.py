"""The benchmark's PostgreSQL database: created when it is missing, migrated,
seeded up to the size wanted, vacuumed and analysed."""

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pressroom_bench"
DEFAULT_SIZE = 100_000


def default_url(size):
    """pressroom_bench at the default size; pressroom_bench_1m and the like
    otherwise, so that each size keeps its own database."""
    if size == DEFAULT_SIZE:
        return DEFAULT_URL
    return f"{DEFAULT_URL}_{size_label(size)}"


def size_label(size):
    """100000 -> '100k', 1000000 -> '1m', 1234 -> '1234'."""
    for unit, word in ((1_000_000, "m"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{word}"
    return str(size)


def ensure_database(url):
    """Create the database of `url` when it does not exist; True when created."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"The benchmark runs on PostgreSQL; DATABASE_URL is {url}.")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        connection.close()


def prepare(size, *, seed):
    """Migrate, collect static files (the production settings serve them
    from the manifest) and seed releases up to `size`; returns the number of
    releases. Django must be set up."""
    from django.core.management import call_command
    from django.db import connection

    from releases.models import Release

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    present = Release.objects.count()
    if present < size:
        print(f"Seeding {size - present:,} releases (the database has {present:,}).", flush=True)
        call_command("seed_releases", count=size - present, seed=seed)
    elif present > size:
        print(f"The database has {present:,} releases, more than {size:,}: measuring with them all.")
    # As autovacuum would have by then on a live site: planner statistics, and
    # the visibility map that index-only scans need. Quick when nothing changed.
    print("VACUUM ANALYZE", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Release.objects.count()
