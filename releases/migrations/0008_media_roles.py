from django.db import migrations


def sync_roles(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Press staff may add, change and view photos, documents and cover
    photos; editors may delete them too (releases/roles.py)."""

    dependencies = [
        ("releases", "0007_media"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
