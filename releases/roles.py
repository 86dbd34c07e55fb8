"""The press office's roles, as groups of permissions.

Administrators are superusers and need no group. The data migrations call
sync_roles so that every new database has the groups; a migration that adds a
model adds its permissions to ROLES and calls sync_roles again. An earlier
migration, run on a new database, sees models that a later one adds not yet
there: sync_roles gives what exists, and the later migration the rest
(tests/test_roles.py checks that the groups end up with exactly ROLES).
"""

PRESS_STAFF = "Press staff"
EDITORS = "Editors"

AUTHORED_MODELS = ["release", "event", "delegation", "delegationmember", "department", "tag", "taggedrelease"]
# Photos and documents (issue 5).
AUTHORED_MODELS += ["releaseimage", "releasedocument", "eventcover"]

ROLES = {
    PRESS_STAFF: [f"{action}_{model}" for model in AUTHORED_MODELS for action in ("add", "change", "view")],
    EDITORS: [
        *(f"{action}_{model}" for model in AUTHORED_MODELS for action in ("add", "change", "view", "delete")),
        "publish_release",
        "withdraw_release",
        "view_workflowevent",
        # Deleting a release deletes its share links: the admin asks for this
        # permission. The share link admin itself deletes none (it revokes).
        "add_sharelink",
        "change_sharelink",
        "delete_sharelink",
        "view_sharelink",
        "view_sharelinkview",
    ],
}


def sync_roles(apps):
    """Create the role groups and give each exactly the permissions of ROLES
    (codenames of the releases app)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run; a fresh
    # database needs them now. The migration state's app config stub lacks the
    # models_module that create_permissions looks for; the real registry's app
    # config (the browser tests pass it) has one and must keep it.
    app_config = apps.get_app_config("releases")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))
