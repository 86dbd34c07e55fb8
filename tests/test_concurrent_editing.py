"""Two people editing one release (issue 6): the second save is refused, not
silently overwriting the first, with the second person's text kept and a
link to the difference; and each sees who else has the release open."""

import re
import threading
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from releases.admin.presence import PRESENCE_INTERVAL, PRESENCE_TIMEOUT
from releases.models import Release
from releases.revisions import release_versions
from tests.test_admin import RELEASE_ADD, RELEASE_LIST, add_form, change_form, form_of, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Presence is kept in the cache, which outlives each test's transaction."""
    cache.clear()
    yield
    cache.clear()


def signed_in(user):
    """An admin session of its own: another browser, another person."""
    client = Client()
    client.force_login(user)
    return client


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def editors_url(release):
    return reverse("admin:releases_release_editors", args=[release.pk])


def opened_version(response):
    """The version the change form carries, as rendered in its hidden input."""
    return int(re.search(r'name="known_version" value="(\d+)"', response.content.decode()).group(1))


@pytest.fixture
def release(press_user, department):
    """A draft press staff added in the admin: it has a revision at its version."""
    signed_in(press_user).post(RELEASE_ADD, add_form(department, title="The session began", lead="First lead."))
    return Release.objects.get()


@pytest.fixture
def press(press_user):
    return signed_in(press_user)


@pytest.fixture
def editor_session(editor):
    return signed_in(editor)


@pytest.fixture
def conflict(release, press, editor_session):
    """Both open the release; press staff save first; the editor's save then
    comes back refused. Returns the editor's response."""
    opened_by_press = opened_version(press.get(change_url(release)))
    opened_by_editor = opened_version(editor_session.get(change_url(release)))
    assert opened_by_press == opened_by_editor == release.version
    first = press.post(
        change_url(release),
        change_form(release, title="Title by press staff", known_version=opened_by_press),
    )
    assert first.status_code == 302
    return editor_session.post(
        change_url(release),
        change_form(
            release,
            with_published_at=True,
            title="Title by the editor",
            lead="Lead by the editor.",
            body="<p>Body by the editor.</p>",
            known_version=opened_by_editor,
        ),
    )


def test_second_save_is_refused(conflict):
    assert conflict.status_code == 200
    assert form_of(conflict).has_error("__all__", code="conflict")


def test_refusal_names_who_saved_and_when(conflict):
    saved = Release.objects.get()
    message = form_of(conflict).non_field_errors()[0]
    when = formats.date_format(timezone.localtime(saved.updated_at), "DATETIME_FORMAT")
    assert message.startswith(f"press saved this release at {when}, after you opened it.")
    assert "press saved this release at" in conflict.content.decode()


def test_the_release_keeps_the_first_save(conflict):
    saved = Release.objects.get()
    assert saved.title == "Title by press staff"
    assert saved.lead == "First lead."


def test_the_second_persons_text_stays_in_the_form(conflict):
    page = conflict.content.decode()
    assert re.search(r'<input type="text" name="title" value="Title by the editor"', page)
    assert re.search(r'<textarea name="lead"[^>]*>\s*Lead by the editor\.</textarea>', page)
    assert "Body by the editor." in page


def test_refusal_links_to_the_difference_between_the_opened_and_the_saved_version(conflict, release, press_user):
    latest, opened = list(release_versions(release))
    compare = reverse("admin:releases_release_compare", args=[release.pk]) + f"?older={opened.pk}&newer={latest.pk}"
    assert conflict.context["conflict_url"] == compare
    page = conflict.content.decode()
    link = re.search(r'<a href="([^"]+)"[^>]*>Compare their version with the one you opened</a>', page)
    assert link.group(1).replace("&amp;", "&") == compare
    assert latest.revision.user == press_user


def test_the_linked_difference_shows_the_first_save(conflict, editor_session):
    difference = editor_session.get(conflict.context["conflict_url"])
    assert difference.status_code == 200
    title = next(field for field in difference.context["differences"] if field.label == "Title")
    assert "".join(text for _changed, text in title.after) == "Title by press staff"


def test_saving_again_from_the_refused_form_overwrites_knowingly(conflict, editor):
    assert opened_version(conflict) == Release.objects.get().version
    data = change_form(
        Release.objects.get(),
        with_published_at=True,
        title="Title by the editor",
        lead="Lead by the editor.",
        known_version=opened_version(conflict),
    )
    client = signed_in(editor)
    assert client.post(change_url(conflict.context["original"]), data).status_code == 302
    saved = Release.objects.get()
    assert (saved.title, saved.lead, saved.last_editor) == ("Title by the editor", "Lead by the editor.", editor)


def test_a_refused_save_keeps_no_revision(conflict, release):
    assert len(release_versions(release)) == 2


def test_a_workflow_action_in_between_also_refuses_the_stale_form(release, press, editor, editor_session):
    opened = opened_version(press.get(change_url(release)))
    run_action(press, RELEASE_LIST, "submit_selected", [release])
    response = press.post(change_url(release), change_form(release, title="A stale edit", known_version=opened))
    assert form_of(response).has_error("__all__", code="conflict")
    saved = Release.objects.get()
    assert (saved.status, saved.title) == (Release.Status.IN_REVIEW, "The session began")


def test_a_stale_status_change_is_refused_too(release, press, editor_session):
    opened = opened_version(editor_session.get(change_url(release)))
    press.post(change_url(release), change_form(release, title="Retitled", known_version=opened))
    response = editor_session.post(
        change_url(release),
        change_form(release, with_published_at=True, status=Release.Status.PUBLISHED, known_version=opened),
    )
    assert form_of(response).has_error("__all__", code="conflict")
    assert Release.objects.get().status == Release.Status.DRAFT
    assert not Release.objects.get().workflow_events.exists()


def test_saves_one_after_the_other_are_not_refused(release, press, editor_session):
    press.post(change_url(release), change_form(release, title="First", known_version=release.version))
    reopened = editor_session.get(change_url(release))
    response = editor_session.post(
        change_url(release),
        change_form(
            Release.objects.get(), with_published_at=True, lead="Second", known_version=opened_version(reopened)
        ),
    )
    assert response.status_code == 302
    saved = Release.objects.get()
    assert (saved.title, saved.lead) == ("First", "Second")


def test_each_save_adds_one_to_the_version(release, press):
    version = release.version
    press.post(change_url(release), change_form(release, title="Once"))
    assert Release.objects.get().version == version + 1


# Who else is editing


def test_each_person_sees_the_other_editing_not_themselves(release, press, editor_session, editor):
    editor.first_name, editor.last_name = "Leyla", "Hasanova"
    editor.save()
    assert press.post(editors_url(release)).json() == {"editors": [], "interval": PRESENCE_INTERVAL}
    assert editor_session.post(editors_url(release)).json()["editors"] == ["press"]
    assert press.post(editors_url(release)).json()["editors"] == ["Leyla Hasanova"]


def test_presence_is_per_release(release, press, editor_session, make_release):
    other = make_release(status=Release.Status.DRAFT)
    press.post(editors_url(release))
    assert editor_session.post(editors_url(other)).json()["editors"] == []


def test_someone_who_stopped_reporting_leaves_the_list(release, press, editor_session):
    with mock.patch("releases.admin.presence.time") as clock:
        clock.time.return_value = 1_000_000.0
        press.post(editors_url(release))
        clock.time.return_value += PRESENCE_TIMEOUT - 1
        assert editor_session.post(editors_url(release)).json()["editors"] == ["press"]
        clock.time.return_value += 2
        assert editor_session.post(editors_url(release)).json()["editors"] == []


def test_presence_answers_post_only(release, press):
    assert press.get(editors_url(release)).status_code == 405


def test_presence_needs_change_permission(client, django_user_model, release):
    reader = django_user_model.objects.create_user("reader", "reader@example.com", "a-long-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_release"))
    client.force_login(reader)
    response = client.post(editors_url(release))
    assert response.status_code == 404
    assert response.json() == {"editors": []}


def test_presence_of_an_unknown_release_is_a_404(press):
    assert press.post(reverse("admin:releases_release_editors", args=[999999])).status_code == 404


def test_presence_needs_a_login(client, release):
    response = client.post(editors_url(release))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_change_form_knows_where_to_report(press, release):
    page = press.get(change_url(release)).content.decode()
    assert f'data-editors-url="{editors_url(release)}"' in page
    assert "releases/admin/presence.js" in page


# Two saves at the same moment


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_cannot_both_pass_the_version_check(django_user_model, department):
    """The version is checked under a row lock held until the save commits:
    a second save that arrives while the first is between its check and its
    commit waits for it, then sees the new version and is refused. Without
    the lock both would pass the check and the second would silently
    overwrite the first."""
    from django.apps import apps
    from django.db import connection

    from releases.admin.release import ReleaseAdmin
    from releases.roles import EDITORS, PRESS_STAFF, sync_roles

    sync_roles(apps)  # transactional tests start from empty tables
    first_user = django_user_model.objects.create_user("press", "press@example.com", "x", is_staff=True)
    second_user = django_user_model.objects.create_user("editor", "editor@example.com", "x", is_staff=True)
    first_user.groups.add(apps.get_model("auth", "Group").objects.get(name=PRESS_STAFF))
    second_user.groups.add(apps.get_model("auth", "Group").objects.get(name=EDITORS))
    release = Release.objects.create(title="The session began", slug="session", department=department)
    first, second = signed_in(first_user), signed_in(second_user)

    checked, go_on = threading.Event(), threading.Event()
    save_model = ReleaseAdmin.save_model

    def first_save_pauses_after_its_check(admin, request, obj, form, change):
        if request.user == first_user:
            checked.set()
            assert go_on.wait(10)
        return save_model(admin, request, obj, form, change)

    responses = {}

    def post(name, client, **fields):
        try:
            responses[name] = client.post(change_url(release), change_form(release, **fields))
        finally:
            connection.close()

    def waiting_for_a_lock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            return cursor.fetchone()[0] > 0

    with mock.patch.object(ReleaseAdmin, "save_model", first_save_pauses_after_its_check):
        first_thread = threading.Thread(target=post, args=("first", first), kwargs={"title": "First"})
        second_thread = threading.Thread(
            target=post, args=("second", second), kwargs={"title": "Second", "published_at_0": "", "published_at_1": ""}
        )
        try:
            first_thread.start()
            assert checked.wait(10), "the first save never reached save_model"
            second_thread.start()
            blocked = any(waiting_for_a_lock() or go_on.wait(0.05) for _ in range(100))
            assert blocked, "the second save did not wait for the first one's lock"
        finally:
            go_on.set()
            first_thread.join(10)
            second_thread.join(10)

    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200
    assert form_of(responses["second"]).has_error("__all__", code="conflict")
    assert Release.objects.get().title == "First"
