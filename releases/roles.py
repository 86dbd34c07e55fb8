"""The press office's roles, as groups of permissions.

Administrators are superusers and need no group. Data migrations give
every new database the groups, each with its own copy of the roles as they
were (0002, 0005, 0006, 0008): a change to ROLES needs a migration that
gives the groups their new permissions (tests/test_roles.py checks that the
groups end up with exactly ROLES).
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
    (codenames of the releases app), which must exist: for a database whose
    tables were emptied after its migrations (the transactional tests; the
    permissions come back with the post_migrate signal that emptying sends)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))
