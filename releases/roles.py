"""The press office's roles, as groups of permissions.

Administrators are superusers and need no group. Data migrations give
every new database the groups, each with its own copy of the roles as they
were (0002, 0005, 0006, 0008): a change to ROLES needs a migration that
gives the groups their new permissions (tests/test_roles.py checks that the
groups end up with exactly ROLES).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

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

# The roles' permissions in other apps, by app label; each app's migrations
# give them (alerts: 0002_roles, distribution: 0002_roles).
OTHER_APPS = {
    "alerts": {
        # Counts of subscribers and each release's sending report; the
        # addresses themselves are for administrators only.
        PRESS_STAFF: ["view_subscriber_counts", "view_sending"],
        EDITORS: ["view_subscriber_counts", "view_sending", "pause_sending"],
    },
    "distribution": {
        # Press staff keep media contacts and lists and prepare a send;
        # editors also delete contacts, send, revoke and read the tracing.
        PRESS_STAFF: [
            f"{action}_{model}" for model in ("mediacontact", "medialist") for action in ("add", "change", "view")
        ],
        EDITORS: [
            *(
                f"{action}_{model}"
                for model in ("mediacontact", "medialist")
                for action in ("add", "change", "view", "delete")
            ),
            "view_distribution",
            "send_distribution",
            "view_recipient",
        ],
    },
}


def sync_roles(apps):
    """Create the role groups and give each exactly the permissions of ROLES
    (codenames of the releases app) and OTHER_APPS, which must exist: for a database whose
    tables were emptied after its migrations (the transactional tests; the
    permissions come back with the post_migrate signal that emptying sends)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    from django.db.models import Q

    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q(content_type__app_label="releases", codename__in=codenames)
        for app, roles in OTHER_APPS.items():
            wanted |= Q(content_type__app_label=app, codename__in=roles.get(name, []))
        group.permissions.set(Permission.objects.filter(wanted))


class Role(models.TextChoices):
    """What a person may do, as one choice on their user form: it sets their
    staff status, administrator (superuser) status and role group together
    (assign_role), so that nobody ends up in a group without access to the
    admin, or with access and no permissions."""

    NONE = "none", _("None: no access to the admin")
    PRESS_STAFF = "press_staff", _("Press staff")
    EDITOR = "editor", _("Editor")
    ADMINISTRATOR = "administrator", _("Administrator")


ROLE_GROUPS = {Role.PRESS_STAFF: PRESS_STAFF, Role.EDITOR: EDITORS}


def role_of(user):
    """The role `user` holds; NONE for an account without access to the
    admin, or with access and no role group."""
    if user.is_superuser:
        return Role.ADMINISTRATOR
    if not user.is_staff:
        return Role.NONE
    names = {group.name for group in user.groups.all()}
    for role in (Role.EDITOR, Role.PRESS_STAFF):
        if ROLE_GROUPS[role] in names:
            return role
    return Role.NONE


def assign_role(user, role):
    """Give the saved `user` exactly `role`: staff and superuser status,
    and the role group (other groups it is in are kept)."""
    from django.contrib.auth.models import Group

    user.is_staff = role != Role.NONE
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
