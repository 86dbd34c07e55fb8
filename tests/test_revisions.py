"""Revisions (issue 6): every admin save keeps one, with its user, the
release's tags and delegations; the history page lists them with the
workflow's steps; any two can be compared side by side; an old one can be
restored, as a new revision, without touching the status."""

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases.models import Delegation, Department, Event, Release, SlugRedirect, WorkflowEvent
from releases.revisions import release_versions, tag_names
from tests.test_admin import RELEASE_ADD, RELEASE_LIST, add_form, change_form, release_change_url, run_action

pytestmark = pytest.mark.django_db

Status = Release.Status


def history_url(release):
    return reverse("admin:releases_release_history", args=[release.pk])


def compare_url(release, older, newer):
    return reverse("admin:releases_release_compare", args=[release.pk]) + f"?older={older.pk}&newer={newer.pk}"


def restore_url(release, version):
    return reverse("admin:releases_release_restore", args=[release.pk, version.pk])


def versions_of(release):
    """The release's revisions, oldest first."""
    return list(reversed(release_versions(release)))


@pytest.fixture
def second_delegation(event):
    return Delegation.objects.create(event=event, head_name="Leyla Hasanova", head_position="Deputy Chairman")


@pytest.fixture
def edited_twice(client, press_user, department, delegation, second_delegation):
    """A draft added by press staff with one title, tag and delegation, then
    changed to others: two revisions."""
    client.force_login(press_user)
    client.post(
        RELEASE_ADD,
        add_form(
            department,
            title="The session began",
            lead="First lead.",
            body="<p>The session began on Monday.</p>",
            tags='WCO, "Green Customs"',
            event=delegation.event.pk,
            delegations=[delegation.pk],
        ),
    )
    release = Release.objects.get()
    client.post(
        release_change_url(release),
        change_form(
            release,
            title="The session opened",
            lead="Second lead.",
            body="<p>The session began on Tuesday.</p>",
            tags="Transit",
            delegations=[second_delegation.pk],
        ),
    )
    release.refresh_from_db()
    return release


# Keeping revisions


def test_each_admin_save_keeps_a_revision_with_its_user(client, press_user, editor, department):
    client.force_login(press_user)
    client.post(RELEASE_ADD, add_form(department, title="First title"))
    release = Release.objects.get()
    client.force_login(editor)
    client.post(release_change_url(release), change_form(release, with_published_at=True, title="Second title"))
    versions = versions_of(release)
    assert [version.revision.user for version in versions] == [press_user, editor]
    assert [version.field_dict["title"] for version in versions] == ["First title", "Second title"]


def test_an_admin_action_keeps_a_revision_with_its_user(editor_client, editor, make_release):
    release = make_release(status=Status.IN_REVIEW)
    run_action(editor_client, RELEASE_LIST, "publish_selected", [release])
    (version,) = versions_of(release)
    assert version.revision.user == editor
    assert version.field_dict["status"] == Status.PUBLISHED


def test_a_revision_carries_the_tags_and_delegations(edited_twice, delegation, second_delegation):
    first, second = versions_of(edited_twice)
    first_types = {version.content_type.model for version in first.revision.version_set.all()}
    assert {"release", "taggedrelease", "tag"} <= first_types
    assert first.field_dict["delegations"] == [delegation.pk]
    assert second.field_dict["delegations"] == [second_delegation.pk]


def test_refused_save_keeps_no_revision(press_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    press_client.post(release_change_url(release), change_form(release, status=Status.PUBLISHED))
    assert versions_of(release) == []


@pytest.mark.parametrize(
    ("url_name", "data", "model"),
    [
        (
            "admin:releases_event_add",
            {
                "title_en": "88th session of the WCO Policy Commission",
                "slug": "wco-policy-commission",
                "start_date": "2023-06-19",
                "delegations-TOTAL_FORMS": 1,
                "delegations-INITIAL_FORMS": 0,
                "delegations-0-head_name_en": "Shahin Baghirov",
            },
            Event,
        ),
        (
            "admin:releases_department_add",
            {"name_en": "Press and Public Relations Department", "slug": "press"},
            Department,
        ),
    ],
)
def test_events_and_departments_keep_revisions_when_saved_in_the_admin(press_client, press_user, url_name, data, model):
    assert press_client.post(reverse(url_name), data).status_code == 302
    (version,) = Version.objects.get_for_object(model.objects.get())
    assert version.revision.user == press_user


def test_an_events_revision_carries_its_delegations(press_client):
    press_client.post(
        reverse("admin:releases_event_add"),
        {
            "title_en": "88th session of the WCO Policy Commission",
            "slug": "wco-policy-commission",
            "start_date": "2023-06-19",
            "delegations-TOTAL_FORMS": 1,
            "delegations-INITIAL_FORMS": 0,
            "delegations-0-head_name_en": "Shahin Baghirov",
        },
    )
    (version,) = Version.objects.get_for_object(Event.objects.get())
    assert [v.object_repr for v in version.revision.version_set.filter(content_type__model="delegation")] == [
        str(Delegation.objects.get())
    ]


def test_delegations_keep_revisions_when_saved_in_the_admin(press_client, press_user, delegation):
    response = press_client.post(
        reverse("admin:releases_delegation_change", args=[delegation.pk]),
        {
            "event": delegation.event.pk,
            "head_name_en": "Shahin Baghirov",
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 0,
            "members-0-order": 1,
            "members-0-name_en": "Rauf Aliyev",
        },
    )
    assert response.status_code == 302
    (version,) = Version.objects.get_for_object(delegation)
    assert version.revision.user == press_user
    assert version.revision.version_set.filter(content_type__model="delegationmember").count() == 1


# The history page


def test_history_lists_the_revisions_and_the_workflow_steps(client, press_user, editor, make_release, department):
    client.force_login(press_user)
    client.post(RELEASE_ADD, add_form(department, status=Status.IN_REVIEW))
    release = Release.objects.get()
    client.force_login(editor)
    client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, status=Status.DRAFT, review_comment="Give the date."),
    )
    response = client.get(history_url(release))
    assert response.status_code == 200
    assert [version.revision.user for version in response.context["versions"]] == [editor, press_user]
    assert [(event.action, event.actor) for event in response.context["events"]] == [
        (WorkflowEvent.Action.SENT_BACK, editor),
        (WorkflowEvent.Action.SUBMITTED, press_user),
    ]
    page = response.content.decode()
    assert "Sent back" in page
    assert "Give the date." in page


def test_history_of_a_release_without_revisions_says_so(press_client, make_release):
    release = make_release()
    page = press_client.get(history_url(release)).content.decode()
    assert "This release has no revisions yet" in page


def test_history_offers_restore_buttons_to_those_who_may_change(press_client, edited_twice):
    response = press_client.get(history_url(edited_twice))
    assert response.context["can_restore"]
    assert restore_url(edited_twice, versions_of(edited_twice)[0]) in response.content.decode()


# Comparing two revisions


def test_compare_shows_a_changed_word_deleted_on_the_left_and_inserted_on_the_right(press_client, edited_twice):
    first, second = versions_of(edited_twice)
    response = press_client.get(compare_url(edited_twice, first, second))
    assert response.status_code == 200
    body = next(field for field in response.context["differences"] if field.label == "Body")
    assert body.before == [(False, "The session began on "), (True, "Monday.")]
    assert body.after == [(False, "The session began on "), (True, "Tuesday.")]
    page = response.content.decode()
    assert '<td class="diff-before">The session began on <del>Monday.</del></td>' in page
    assert '<td class="diff-after">The session began on <ins>Tuesday.</ins></td>' in page


def test_compare_lists_only_the_fields_that_changed(press_client, edited_twice):
    first, second = versions_of(edited_twice)
    response = press_client.get(compare_url(edited_twice, first, second))
    assert [str(field.label) for field in response.context["differences"]] == [
        "Title",
        "Lead",
        "Body",
        "Delegations",
        "Tags",
    ]


def test_compare_takes_the_revisions_in_either_order(press_client, edited_twice):
    first, second = versions_of(edited_twice)
    response = press_client.get(compare_url(edited_twice, second, first))
    assert (response.context["older"], response.context["newer"]) == (first, second)


def test_compare_compares_the_body_as_text_without_its_markup(press_client, edited_twice):
    first, second = versions_of(edited_twice)
    page = press_client.get(compare_url(edited_twice, first, second)).content.decode()
    assert "&lt;p&gt;" not in page


def test_compare_escapes_html_in_the_content(press_client, department):
    press_client.post(RELEASE_ADD, add_form(department, title="A plain title"))
    release = Release.objects.get()
    press_client.post(release_change_url(release), change_form(release, title="<script>alert(1)</script>"))
    first, second = versions_of(release)
    page = press_client.get(compare_url(release, first, second)).content.decode()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert(1)" not in page


def test_compare_of_revisions_of_another_release_is_a_404(press_client, edited_twice, make_release, department):
    press_client.post(RELEASE_ADD, add_form(department, title="Another release"))
    other = Release.objects.get(title="Another release")
    first, second = versions_of(edited_twice)
    assert press_client.get(compare_url(other, first, second)).status_code == 404


@pytest.mark.parametrize("query", ["", "?older=1", "?older=999999&newer=999998", "?older=abc&newer=1"])
def test_compare_of_unknown_revisions_is_a_404(press_client, edited_twice, query):
    url = reverse("admin:releases_release_compare", args=[edited_twice.pk]) + query
    assert press_client.get(url).status_code == 404


# Restoring a revision


def test_restore_brings_back_text_tags_and_delegations(press_client, edited_twice, delegation):
    first, _second = versions_of(edited_twice)
    response = press_client.post(restore_url(edited_twice, first))
    assert response.status_code == 302
    assert response["Location"] == release_change_url(edited_twice)
    release = Release.objects.get()
    assert (release.title, release.lead, release.body) == (
        "The session began",
        "First lead.",
        "<p>The session began on Monday.</p>",
    )
    assert sorted(release.tags.names()) == ["Green Customs", "WCO"]
    assert list(release.delegations.all()) == [delegation]


def test_restore_makes_a_new_revision_and_keeps_the_old_ones(press_client, press_user, edited_twice):
    first, second = versions_of(edited_twice)
    press_client.post(restore_url(edited_twice, first))
    versions = versions_of(edited_twice)
    assert versions[:2] == [first, second]
    assert len(versions) == 3
    assert versions[2].revision.user == press_user
    assert versions[2].field_dict["title"] == "The session began"
    assert sorted(versions[2].field_dict["delegations"]) == first.field_dict["delegations"]


def test_restored_revision_carries_the_restored_tags(press_client, edited_twice):
    first, _second = versions_of(edited_twice)
    press_client.post(restore_url(edited_twice, first))
    assert tag_names(versions_of(edited_twice)[-1]) == ["Green Customs", "WCO"]


def test_restore_records_a_workflow_event(press_client, press_user, edited_twice):
    first, _second = versions_of(edited_twice)
    before = timezone.now()
    press_client.post(restore_url(edited_twice, first))
    event = edited_twice.workflow_events.get()
    assert (event.action, event.actor) == (WorkflowEvent.Action.RESTORED, press_user)
    assert event.comment.startswith("Restored the revision of ")
    assert before <= event.created_at <= timezone.now()


def test_restoring_an_old_draft_revision_keeps_a_release_published(client, press_user, editor, department):
    client.force_login(press_user)
    client.post(RELEASE_ADD, add_form(department, title="The draft title"))
    release = Release.objects.get()
    client.force_login(editor)
    client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, title="The published title", status=Status.PUBLISHED),
    )
    release.refresh_from_db()
    published_at = release.published_at
    draft_version = versions_of(release)[0]
    assert draft_version.field_dict["status"] == Status.DRAFT
    client.post(restore_url(release, draft_version))
    release.refresh_from_db()
    assert release.title == "The draft title"
    assert (release.status, release.published_at) == (Status.PUBLISHED, published_at)
    assert release.is_published


def test_restoring_a_public_releases_old_slug_leaves_a_redirect_from_the_newer_one(
    client, press_user, editor, department
):
    client.force_login(editor)
    client.post(RELEASE_ADD, add_form(department, slug="first", status=Status.PUBLISHED))
    release = Release.objects.get()
    client.post(release_change_url(release), change_form(release, with_published_at=True, slug="second"))
    client.post(restore_url(release, versions_of(release)[0]))
    release.refresh_from_db()
    assert release.slug == "first"
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]


def test_restore_keeps_the_current_slug_when_the_old_one_is_taken(press_client, department, make_release):
    press_client.post(RELEASE_ADD, add_form(department, title="Ours", slug="first"))
    release = Release.objects.get()
    press_client.post(release_change_url(release), change_form(release, slug="second"))
    make_release(slug="first", title="Theirs")
    response = press_client.post(restore_url(release, versions_of(release)[0]))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.slug == "second"


def test_restore_needs_post(press_client, edited_twice):
    first, _second = versions_of(edited_twice)
    assert press_client.get(restore_url(edited_twice, first)).status_code == 403
    edited_twice.refresh_from_db()
    assert edited_twice.title == "The session opened"


def test_user_without_change_permission_may_not_restore(client, django_user_model, edited_twice):
    reader = django_user_model.objects.create_user("reader", "reader@example.com", "a-long-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_release"))
    client.force_login(reader)
    assert client.get(history_url(edited_twice)).status_code == 200
    assert not client.get(history_url(edited_twice)).context["can_restore"]
    first, _second = versions_of(edited_twice)
    assert client.post(restore_url(edited_twice, first)).status_code == 403
    edited_twice.refresh_from_db()
    assert edited_twice.title == "The session opened"
    assert not edited_twice.workflow_events.exists()


def test_staff_without_a_role_may_not_see_the_history_nor_restore(client, staff_user, edited_twice):
    client.force_login(staff_user)
    first, second = versions_of(edited_twice)
    assert client.get(history_url(edited_twice)).status_code == 403
    assert client.get(compare_url(edited_twice, first, second)).status_code == 403
    assert client.post(restore_url(edited_twice, first)).status_code == 403


def test_restore_of_another_releases_revision_is_a_404(press_client, edited_twice, department):
    press_client.post(RELEASE_ADD, add_form(department, title="Another release"))
    other = Release.objects.get(title="Another release")
    first, _second = versions_of(edited_twice)
    assert press_client.post(restore_url(other, first)).status_code == 404


# django-reversion's own recover and revert pages (issue 13, attack 1): they
# reverted whole revisions, a release's status and publication time included,
# with no workflow step. Events, delegations and departments keep their
# revisions, but no admin page reverts one.


def event_form(event, **fields):
    return {
        "title_en": event.title,
        "slug": event.slug,
        "start_date": event.start_date.isoformat(),
        "delegations-TOTAL_FORMS": 0,
        "delegations-INITIAL_FORMS": 0,
        **fields,
    }


@pytest.fixture
def withdrawn_with_a_published_revision(editor, make_release, event):
    """A withdrawn release whose previous revision was published, and an
    event with the same primary key, as a hostile run would pick."""
    with reversion.create_revision():
        release = make_release(pk=event.pk, title="Published once")
    release.withdraw(user=editor, reason="Issued in error.")
    return release


@pytest.mark.parametrize("address", ["recover", "revision"])
def test_reversions_pages_cannot_bring_a_withdrawn_release_back(
    client, editor, press_user, withdrawn_with_a_published_revision, event, address
):
    release = withdrawn_with_a_published_revision
    (published,) = Version.objects.get_for_object(release)
    url = {
        "recover": f"/admin/releases/event/recover/{published.pk}/",
        "revision": f"/admin/releases/event/{event.pk}/history/{published.pk}/",
    }[address]
    for user in (press_user, editor):
        client.force_login(user)
        assert client.get(url).status_code != 200
        client.post(url, event_form(event, city="Brussels"))
        release.refresh_from_db()
        assert release.status == Status.WITHDRAWN
        assert not Release.objects.published().exists()


def test_events_history_page_lists_no_revert_links(press_client, event):
    with reversion.create_revision():
        event.save()
    response = press_client.get(reverse("admin:releases_event_history", args=[event.pk]))
    assert response.status_code == 200
    assert f"/history/{Version.objects.get_for_object(event).get().pk}/" not in response.content.decode()


def test_restore_of_an_events_revision_under_a_releases_id_is_a_404(press_client, edited_twice):
    """The release's own restore takes its revisions only: the id must be of a
    version of this release, this model included."""
    with reversion.create_revision():
        event, _created = Event.objects.get_or_create(
            pk=edited_twice.pk, defaults={"title": "A visit", "slug": "a-visit", "start_date": timezone.localdate()}
        )
        event.save()
    version = Version.objects.get_for_object(event).get()
    assert version.object_id == str(edited_twice.pk)
    assert press_client.post(restore_url(edited_twice, version)).status_code == 404
