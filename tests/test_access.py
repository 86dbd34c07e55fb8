"""Signing in to the admin (issue 7, "Access"): brute force locked out per
user name and address (django-axes), the client's address behind trusted
proxies (serving/client.py), the same answer for user names that exist and
ones that do not, sessions that end when idle and on signing out, and users
who may change users but cannot raise anyone's access."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from releases.roles import EDITORS, PRESS_STAFF, Role
from serving.client import client_address

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "a-long-password"  # tests/conftest.py's users'
WRONG = "not-the-password"
INVALID_LOGIN = (
    "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive."
)
LOCKED = "Too many failed attempts to sign in with this user name from your address"


def sign_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX}, **headers)


def fail_until_locked(client, username, **headers):
    """Fail to sign in as `username` as often as the limit allows, the last
    failure included: returns the last response."""
    for _attempt in range(5):
        response = sign_in(client, username, WRONG, **headers)
    return response


def error_note(response):
    """The text of the page's error note, whitespace folded."""
    content = response.content.decode()
    start = content.index('class="errornote"')
    text = content[content.index(">", start) + 1 : content.index("</p>", start)]
    return " ".join(text.split())


# Failed sign-ins and the lockout


def test_failure_limit_and_lockout_time_default_to_five_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_every_failed_sign_in_is_kept_with_its_address(client, press_user):
    sign_in(client, "press", WRONG, REMOTE_ADDR="198.51.100.4")
    sign_in(client, "nobody-by-this-name", WRONG, REMOTE_ADDR="198.51.100.4")
    failures = AccessFailureLog.objects.order_by("pk").values_list("username", "ip_address")
    assert list(failures) == [("press", "198.51.100.4"), ("nobody-by-this-name", "198.51.100.4")]


def test_failed_sign_in_with_a_known_and_an_unknown_user_name_gets_the_same_answer(client, press_user):
    known = sign_in(client, "press", WRONG)
    unknown = sign_in(client, "nobody-by-this-name", WRONG)
    assert known.status_code == unknown.status_code == 200
    assert error_note(known) == error_note(unknown) == INVALID_LOGIN
    assert known.context["form"].errors == unknown.context["form"].errors


def test_fifth_failure_in_a_row_locks_the_user_name_out_with_a_clear_page(client, press_user):
    for _attempt in range(4):
        assert sign_in(client, "press", WRONG).status_code == 200
    response = sign_in(client, "press", WRONG)
    assert response.status_code == 429
    assert LOCKED in error_note(response)
    assert "locked for 30 minutes" in error_note(response)
    assert "An administrator can unlock it sooner" in response.content.decode()


def test_locked_out_user_name_is_refused_even_with_the_right_password(client, press_user):
    fail_until_locked(client, "press")
    response = sign_in(client, "press", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_a_known_and_an_unknown_user_name_look_the_same(client, press_user):
    known = fail_until_locked(client, "press")
    unknown = fail_until_locked(client, "nobody-by-this-name")
    assert known.status_code == unknown.status_code == 429
    assert error_note(known) == error_note(unknown)


def test_lockout_holds_the_user_name_from_that_address_only(client, press_user, editor):
    fail_until_locked(client, "press", REMOTE_ADDR="198.51.100.4")
    # The same person from another address, another person from the same one.
    assert sign_in(Client(), "press", PASSWORD, REMOTE_ADDR="198.51.100.5").status_code == 302
    assert sign_in(Client(), "editor", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_lockout_ends_after_the_lockout_time(client, press_user):
    fail_until_locked(client, "press")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    assert sign_in(client, "press", PASSWORD).status_code == 302


def test_successful_sign_in_clears_earlier_failures(client, press_user):
    for _attempt in range(4):
        sign_in(client, "press", WRONG)
    assert sign_in(client, "press", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    for _attempt in range(4):
        assert sign_in(client, "press", WRONG).status_code == 200


def test_administrator_unlocks_a_user_name_by_deleting_its_access_attempt(client, press_user, administrator):
    fail_until_locked(client, "press")
    attempt = AccessAttempt.objects.get(username="press")
    administrator_client = Client()
    administrator_client.force_login(administrator)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert administrator_client.post(url, {"post": "yes"}).status_code == 302
    assert sign_in(client, "press", PASSWORD).status_code == 302


def test_axes_reset_username_command_unlocks_a_user_name(client, press_user):
    fail_until_locked(client, "press")
    call_command("axes_reset_username", "press", stdout=None)
    assert sign_in(client, "press", PASSWORD).status_code == 302


def test_lockout_page_is_translated(client, press_user):
    response = fail_until_locked(client, "press", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert LOCKED not in response.content.decode()
    assert "30" in error_note(response)


# The client's address


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        # No trusted proxy: the header is anyone's to send, and ignored.
        (0, "198.51.100.4", "203.0.113.9", "198.51.100.4"),
        (0, "unix:/run/gunicorn.sock", "203.0.113.9", None),
        # One proxy: the address it appended, whatever the client put before.
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        # Two proxies: the address the outer one appended.
        (2, "10.0.0.2", "192.0.2.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # Fewer entries than proxies: what the innermost proxy saw.
        (2, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", " 2001:db8::7 ", "2001:db8::7"),
        # Not an address: the connection's.
        (1, "10.0.0.2", "unknown", "10.0.0.2"),
    ],
)
def test_client_address_trusts_x_forwarded_for_only_as_far_as_the_trusted_proxies(
    settings, proxies, remote_addr, forwarded_for, expected
):
    settings.PRESSROOM_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


def test_behind_a_trusted_proxy_lockout_is_per_client_not_per_proxy(settings, client, press_user):
    settings.PRESSROOM_TRUSTED_PROXIES = 1
    fail_until_locked(client, "press", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    other = sign_in(Client(), "press", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 302


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_escape_the_lockout(client, press_user):
    fail_until_locked(client, "press", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    forged = sign_in(Client(), "press", PASSWORD, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert forged.status_code == 429


# Sessions


def test_session_lasts_the_idle_time_and_every_request_moves_its_end(settings, client, press_user):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    response = sign_in(client, "press", PASSWORD)
    assert response.cookies["sessionid"]["max-age"] == 60 * 60
    session = Session.objects.get()
    later = timezone.now() + timedelta(minutes=50)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(INDEX).status_code == 200
    assert Session.objects.get().expire_date > session.expire_date + timedelta(minutes=45)


def test_idle_session_has_ended(client, press_user):
    sign_in(client, "press", PASSWORD)
    later = timezone.now() + timedelta(minutes=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_signing_out_ends_the_session_for_good(client, press_user):
    sign_in(client, "press", PASSWORD)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("admin:logout"))
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=old_cookie).exists()


def test_public_pages_set_no_session_cookie(client, make_release):
    """Saving the session on every request only concerns signed-in people:
    readers' pages stay free of cookies (and cacheable)."""
    release = make_release()
    for url in ["/", "/releases/", release.get_absolute_url()]:
        assert "sessionid" not in client.get(url).cookies, url
    assert not Session.objects.exists()


def test_session_and_csrf_cookies_are_http_only_and_same_site_lax(client, press_user):
    response = sign_in(client, "press", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    page = client.get(reverse("admin:password_change"))
    assert page.cookies["csrftoken"]["httponly"]
    assert page.cookies["csrftoken"]["samesite"] == "Lax"


# Users who may change users


@pytest.fixture
def user_manager(db, django_user_model):
    """A staff user who is not an administrator, given the permission to
    view and change users (and groups)."""
    user = django_user_model.objects.create_user("manager", "manager@example.com", PASSWORD, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "change_user", "view_group", "change_group"]
        )
    )
    return user


def user_change_form(user, **fields):
    """What the user change form posts for `user`, with `fields` changed."""
    joined = timezone.localtime(user.date_joined)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "_save": "Save",
        **fields,
    }


def escalation(user):
    """Everything that would raise `user`'s access."""
    return user_change_form(
        user,
        role="administrator",
        is_staff="on",
        is_superuser="on",
        groups=[Group.objects.get(name=EDITORS).pk],
        user_permissions=list(Permission.objects.values_list("pk", flat=True)),
    )


def test_user_who_may_change_users_cannot_make_themselves_superuser(client, user_manager):
    client.force_login(user_manager)
    url = reverse("admin:auth_user_change", args=[user_manager.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    response = client.post(url, escalation(user_manager) | {"first_name": "Managing"})
    assert response.status_code == 302
    user_manager.refresh_from_db()
    assert user_manager.first_name == "Managing"  # the rest of the form saved
    assert not user_manager.is_superuser
    assert not user_manager.groups.exists()
    assert set(user_manager.user_permissions.values_list("codename", flat=True)) == {
        "view_user",
        "change_user",
        "view_group",
        "change_group",
    }


def test_user_who_may_change_users_cannot_raise_another_users_access(client, user_manager, press_user):
    client.force_login(user_manager)
    url = reverse("admin:auth_user_change", args=[press_user.pk])
    assert client.post(url, escalation(press_user)).status_code == 302
    press_user.refresh_from_db()
    assert not press_user.is_superuser
    assert not press_user.user_permissions.exists()


def test_user_who_may_change_users_cannot_touch_an_administrators_account(client, user_manager, administrator):
    client.force_login(user_manager)
    change = reverse("admin:auth_user_change", args=[administrator.pk])
    page = client.get(change)
    assert page.status_code == 200  # seen, read only
    assert 'name="email"' not in page.content.decode()
    assert client.post(change, user_change_form(administrator, email="mine@example.com")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[administrator.pk])
    assert client.post(password, {"password1": "a-new-long-pass", "password2": "a-new-long-pass"}).status_code == 403
    administrator.refresh_from_db()
    assert administrator.email == "admin@example.com"
    assert administrator.check_password(PASSWORD)


def test_user_who_may_change_groups_cannot_give_a_group_permissions(client, user_manager):
    client.force_login(user_manager)
    group = Group.objects.get(name=EDITORS)
    permissions = set(group.permissions.all())
    url = reverse("admin:auth_group_change", args=[group.pk])
    data = {"name": EDITORS, "permissions": list(Permission.objects.values_list("pk", flat=True)), "_save": "Save"}
    assert client.post(url, data).status_code == 302
    assert set(group.permissions.all()) == permissions


def test_administrator_may_make_a_user_superuser(administrator_client, press_user):
    url = reverse("admin:auth_user_change", args=[press_user.pk])
    assert administrator_client.post(url, escalation(press_user)).status_code == 302
    press_user.refresh_from_db()
    assert press_user.is_superuser


# One control for a role (issue 16)


def role_form(user, role, **fields):
    return user_change_form(user, role=role, **fields)


@pytest.mark.parametrize(
    ("role", "staff", "superuser", "groups"),
    [
        (Role.PRESS_STAFF, True, False, {PRESS_STAFF}),
        (Role.EDITOR, True, False, {EDITORS}),
        (Role.ADMINISTRATOR, True, True, set()),
        (Role.NONE, False, False, set()),
    ],
)
def test_the_role_sets_staff_status_and_group_together(
    administrator_client, django_user_model, role, staff, superuser, groups
):
    user = django_user_model.objects.create_user("newcomer", "newcomer@example.com", PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))  # a role it had before
    url = reverse("admin:auth_user_change", args=[user.pk])
    response = administrator_client.post(url, role_form(user, role))
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (staff, superuser)
    assert set(user.groups.values_list("name", flat=True)) == groups


def test_other_groups_are_kept_when_the_role_changes(administrator_client, press_user):
    translators = Group.objects.create(name="Translators")
    press_user.groups.add(translators)
    url = reverse("admin:auth_user_change", args=[press_user.pk])
    data = role_form(press_user, Role.EDITOR, groups=[translators.pk, Group.objects.get(name=PRESS_STAFF).pk])
    assert administrator_client.post(url, data).status_code == 302
    assert set(press_user.groups.values_list("name", flat=True)) == {"Translators", EDITORS}


def test_the_form_opens_on_the_users_role(administrator_client, press_user, editor):
    for user, role in ((press_user, Role.PRESS_STAFF), (editor, Role.EDITOR)):
        page = administrator_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
        assert f'<option value="{role}" selected>' in page
        assert 'name="is_staff"' not in page and 'name="is_superuser"' not in page


def test_a_new_user_gets_a_role_as_they_are_added(administrator_client, django_user_model):
    data = {
        "username": "newcomer",
        "usable_password": "true",
        "password1": "a-long-new-password",
        "password2": "a-long-new-password",
        "role": Role.PRESS_STAFF,
        "_save": "Save",
    }
    response = administrator_client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302
    user = django_user_model.objects.get(username="newcomer")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [PRESS_STAFF]


def test_an_administrator_cannot_take_away_their_own_role(administrator_client, administrator):
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    response = administrator_client.post(url, role_form(administrator, Role.EDITOR))
    assert response.status_code == 200
    assert "You cannot take away your own administrator role." in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_superuser


def test_the_user_list_shows_each_role_in_a_fixed_number_of_queries(
    administrator_client, press_user, editor, django_user_model, django_assert_max_num_queries
):
    url = reverse("admin:auth_user_changelist")
    administrator_client.get(url)
    with django_assert_max_num_queries(12) as few:
        page = administrator_client.get(url).content.decode()
    assert "Press staff" in page and "Editor" in page and "Administrator" in page
    for number in range(10):
        django_user_model.objects.create_user(f"more{number}", password=PASSWORD).groups.add(
            Group.objects.get(name=EDITORS)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        administrator_client.get(url)


NO_ACCESS = "Your user name and password are correct, but this account has no access to the admin."


def test_sign_in_says_plainly_when_a_correct_account_has_no_access(client, django_user_model):
    django_user_model.objects.create_user("reader", "reader@example.com", PASSWORD)
    page = sign_in(client, "reader", PASSWORD).content.decode()
    assert NO_ACCESS in page
    assert "_auth_user_id" not in client.session


def test_sign_in_tells_strangers_nothing_of_an_account_without_access(client, django_user_model):
    django_user_model.objects.create_user("reader", "reader@example.com", PASSWORD)
    for username, password in (("reader", WRONG), ("nobody", PASSWORD)):
        page = sign_in(client, username, password).content.decode()
        assert NO_ACCESS not in page
        assert INVALID_LOGIN in page
