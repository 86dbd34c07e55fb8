from django.db import migrations

# The roles as releases/roles.py defined them when this migration was
# written, and the code that gave them, copied so that later changes to
# releases/roles.py leave what the migrations do to a new database as it was.
# The later migrations that change the roles (0005, 0006, 0008) build theirs
# on these and give them with sync_roles.
PRESS_STAFF = "Press staff"
EDITORS = "Editors"
AUTHORED_MODELS = ["release", "event", "delegation", "delegationmember", "department", "tag", "taggedrelease"]
ROLES = {
    PRESS_STAFF: [f"{action}_{model}" for model in AUTHORED_MODELS for action in ("add", "change", "view")],
    EDITORS: [
        *(f"{action}_{model}" for model in AUTHORED_MODELS for action in ("add", "change", "view", "delete")),
        "publish_release",
        "withdraw_release",
    ],
}


def sync_roles(apps, roles):
    """Create the role groups and give each exactly the permissions of
    `roles` (codenames of the releases app)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run; a fresh
    # database needs them now. The migration state's app config stub lacks the
    # models_module that create_permissions looks for.
    app_config = apps.get_app_config("releases")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))


def create_roles(apps, schema_editor):
    sync_roles(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
