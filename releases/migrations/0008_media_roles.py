from importlib import import_module

from django.db import migrations

# Press staff may add, change and view photos, documents and cover photos;
# editors may delete them too (copied, as 0002 explains).
roles_0002 = import_module("releases.migrations.0002_roles")
roles_0006 = import_module("releases.migrations.0006_share_links")
MEDIA_MODELS = ["releaseimage", "releasedocument", "eventcover"]
ROLES = {
    roles_0002.PRESS_STAFF: [
        *roles_0006.ROLES[roles_0002.PRESS_STAFF],
        *(f"{action}_{model}" for model in MEDIA_MODELS for action in ("add", "change", "view")),
    ],
    roles_0002.EDITORS: [
        *roles_0006.ROLES[roles_0002.EDITORS],
        *(f"{action}_{model}" for model in MEDIA_MODELS for action in ("add", "change", "view", "delete")),
    ],
}


def sync_roles(apps, schema_editor):
    roles_0002.sync_roles(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0007_media"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
