"""The roles' permissions on the alerts (releases/roles.py, OTHER_APPS), as
they were when this migration was written: press staff and editors see the
counts of subscribers and the sending reports, editors pause them; the
addresses are for administrators only."""

from django.db import migrations

ROLES = {
    "Press staff": ["view_subscriber_counts", "view_sending"],
    "Editors": ["view_subscriber_counts", "view_sending", "pause_sending"],
}


def give(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # As releases/migrations/0002_roles.py: permissions are made after all
    # migrations; a fresh database needs them now.
    app_config = apps.get_app_config("alerts")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="alerts", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("releases", "0002_roles"),
    ]

    operations = [migrations.RunPython(give, migrations.RunPython.noop)]
