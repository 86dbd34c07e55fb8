from django.db import migrations

# The roles as releases/roles.py (OTHER_APPS) gave them when this migration was
# written, copied so that later changes there leave this migration as it was.
PRESS_STAFF = "Press staff"
EDITORS = "Editors"
ROLES = {
    PRESS_STAFF: [f"{action}_{model}" for model in ("mediacontact", "medialist") for action in ("add", "change", "view")],
    EDITORS: [
        *(f"{action}_{model}" for model in ("mediacontact", "medialist") for action in ("add", "change", "view", "delete")),
        "view_distribution",
        "send_distribution",
        "view_recipient",
    ],
}


def give_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run.
    app_config = apps.get_app_config("distribution")
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
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="distribution", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_media_distribution"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(give_roles, migrations.RunPython.noop)]
