"""Migrations that do what they did when they were written: a data migration
carries its own copy of the code it runs (Django's advice), so that editing
the app later (releases/roles.py, releases/tagnames.py) cannot change what
an old migration does to a new database."""

import ast
from pathlib import Path

import pytest

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
