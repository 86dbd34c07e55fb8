"""Migrations that do what they did when they were written: a data migration
carries its own copy of the code it runs (Django's advice), so that editing
the app later (releases/roles.py, releases/tagnames.py) cannot change what
an old migration does to a new database."""

import ast
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField, AddIndex, CreateModel

import releases.migrations
import serving.migrations

PROJECT_PACKAGES = ("releases", "serving", "pressroom")
MIGRATIONS = sorted(
    path for app in (releases.migrations, serving.migrations) for path in Path(app.__file__).parent.glob("0*.py")
)


def app_imports(tree):
    """The imports of the project's own code in `tree` that are not Django's
    references to field arguments (`import releases.documents` at the top,
    for a field's storage or default), which must stay importable anyway."""
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PROJECT_PACKAGES:
            yield f"from {node.module} import ..."
        elif isinstance(node, ast.Import) and id(node) not in top_level:
            yield from (f"import {alias.name}" for alias in node.names if alias.name.split(".")[0] in PROJECT_PACKAGES)


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}.{path.stem}")
def test_migration_runs_no_code_of_the_app(migration):
    assert list(app_imports(ast.parse(migration.read_text()))) == []


# Zero-downtime deploys (README, "Deploying a new version"): a migration runs
# while the previous code serves, so it must not lock a large table for the
# minutes an index takes to build there. The tables that grow with the
# archive (a row or more per release), each a million rows and more.
LARGE_TABLES = {
    ("releases", "release"),
    ("releases", "taggedrelease"),
    ("releases", "releaseimage"),
    ("releases", "releasedocument"),
    ("releases", "workflowevent"),
    ("releases", "changenote"),
    ("releases", "sharelinkview"),
    ("outbox", "message"),
}
# Written while every table was small, before the rule: left as they are.
BEFORE_THE_RULE = {("releases", f"{number:04d}") for number in range(1, 14)} | {("serving", "0001"), ("outbox", "0001")}


def plain_index_builds(migration):
    """The operations of `migration` that would build an index on a large
    table that exists already, in a way that locks its writes."""
    created = {operation.name_lower for operation in migration.operations if isinstance(operation, CreateModel)}
    for operation in migration.operations:
        model = getattr(operation, "model_name_lower", None)
        if (migration.app_label, model) not in LARGE_TABLES or model in created:
            continue
        if isinstance(operation, AddIndex) and not isinstance(operation, AddIndexConcurrently):
            yield f"AddIndex {operation.index.name} on {operation.model_name}: use AddIndexConcurrently"
        elif isinstance(operation, AddField) and (operation.field.db_index or operation.field.unique):
            yield f"AddField {operation.name} with an index on {operation.model_name}: add its index concurrently"


def project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        module_path = Path(sys.modules[migration.__module__].__file__)
        if settings.BASE_DIR in module_path.parents and (app_label, name[:4]) not in BEFORE_THE_RULE:
            yield migration


def test_new_migrations_build_indexes_on_large_tables_concurrently():
    offences = [f"{m.app_label}.{m.name}: {offence}" for m in project_migrations() for offence in plain_index_builds(m)]
    assert offences == []


def test_the_rule_catches_a_plain_index_on_the_releases_table():
    from django.db import migrations, models

    class Migration(migrations.Migration):
        operations = [migrations.AddIndex("release", models.Index(fields=["title"], name="release_title"))]

    assert list(plain_index_builds(Migration("0099_title", "releases"))) == [
        "AddIndex release_title on release: use AddIndexConcurrently"
    ]
