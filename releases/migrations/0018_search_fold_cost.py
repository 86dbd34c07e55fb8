from importlib import import_module

from django.db import migrations

# The body's folding, a third of the cost of a release's vector (issue 15:
# seeding ran some 30 % slower than before folding): translate() compares
# each character with every letter of its list in turn, 50 of them, and most
# characters match none. The letters that Azerbaijani and Russian text holds
# (the first seven of the list and the last, ё) are now folded first, and
# the others (names from elsewhere) only in a text that holds one of them.
# The vectors are the same, so none is computed again.
FOLDING = import_module("releases.migrations.0017_search_folding")
SOURCE = FOLDING.CREATE_FUNCTIONS.split("CREATE OR REPLACE FUNCTION releases_release_search_vector")[0]
FOLDED_BODY = "translate(body_text, fold_from, fold_to)"
assert FOLDED_BODY in SOURCE


def replaced(source):
    return source.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


CREATE_FUNCTIONS = replaced(
    SOURCE.replace(
        FOLDED_BODY,
        "CASE WHEN body_common ~ ('[' || rare_from || ']')"
        " THEN translate(body_common, rare_from, rare_to) ELSE body_common END",
    ).replace(
        "BEGIN\n",
        "    common_from text := left(fold_from, 7) || right(fold_from, 1);\n"
        "    common_to text := left(fold_to, 7) || right(fold_to, 1);\n"
        "    rare_from text := substr(fold_from, 8, length(fold_from) - 8);\n"
        "    rare_to text := substr(fold_to, 8, length(fold_to) - 8);\n"
        "    body_common text := translate(body_text, common_from, common_to);\n"
        "BEGIN\n",
        1,
    )
)
DROP_FUNCTIONS = replaced(SOURCE)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0017_search_folding"),
    ]

    operations = [
        migrations.RunPython(FOLDING.on_postgresql(CREATE_FUNCTIONS), FOLDING.on_postgresql(DROP_FUNCTIONS)),
    ]
