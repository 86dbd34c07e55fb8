import pytest
from django.contrib.auth.models import Group

from releases.roles import AUTHORED_MODELS, EDITORS, OTHER_APPS, PRESS_STAFF, ROLES

pytestmark = pytest.mark.django_db


def permissions_of(group_name):
    """The group's permissions, as app_label.codename."""
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_migration_creates_the_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {PRESS_STAFF, EDITORS}


@pytest.mark.parametrize("role", [PRESS_STAFF, EDITORS])
def test_role_has_exactly_the_permissions_of_roles_py(role):
    others = {f"{app}.{codename}" for app, roles in OTHER_APPS.items() for codename in roles[role]}
    assert permissions_of(role) == {f"releases.{codename}" for codename in ROLES[role]} | others


def test_press_staff_may_add_change_and_view_what_they_author():
    expected = {f"releases.{action}_{model}" for model in AUTHORED_MODELS for action in ("add", "change", "view")}
    assert {p for p in permissions_of(PRESS_STAFF) if p.startswith("releases.")} == expected


@pytest.mark.parametrize("codename", ["publish_release", "withdraw_release"])
def test_press_staff_may_not_publish_or_withdraw(codename):
    assert f"releases.{codename}" not in permissions_of(PRESS_STAFF)


def test_press_staff_may_not_delete_anything():
    assert not any(".delete_" in permission for permission in permissions_of(PRESS_STAFF))


def test_press_staff_have_no_permission_on_users_or_groups():
    assert not any(permission.startswith("auth.") for permission in permissions_of(PRESS_STAFF))


def test_editors_may_publish_withdraw_and_delete():
    permissions = permissions_of(EDITORS)
    assert {"releases.publish_release", "releases.withdraw_release"} <= permissions
    assert {f"releases.delete_{model}" for model in AUTHORED_MODELS} <= permissions


def test_editors_have_everything_press_staff_have():
    assert permissions_of(PRESS_STAFF) < permissions_of(EDITORS)


def test_editors_have_no_permission_on_users_or_groups():
    assert not any(permission.startswith("auth.") for permission in permissions_of(EDITORS))


def test_press_staff_member_has_the_role_permissions(press_user):
    assert press_user.has_perm("releases.change_release")
    assert not press_user.has_perm("releases.publish_release")
    assert not press_user.has_perm("releases.delete_release")
    assert not press_user.has_perm("auth.view_user")


def test_editor_has_the_role_permissions(editor):
    assert editor.has_perm("releases.publish_release")
    assert editor.has_perm("releases.withdraw_release")
    assert editor.has_perm("releases.delete_release")
    assert not editor.has_perm("auth.view_user")
