"""The admin, driven as press staff and editors drive it: a logged-in client
posting the real admin forms and actions."""

import json
from datetime import timedelta

import html5lib
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from releases.models import Delegation, Event, Release, Tag, TaggedRelease
from releases.services import merge_tags
from releases.slugs import LETTERS_IN_ASCII

pytestmark = pytest.mark.django_db

RELEASE_ADD = reverse("admin:releases_release_add")
RELEASE_LIST = reverse("admin:releases_release_changelist")
TAG_LIST = reverse("admin:releases_tag_changelist")
TAG_SUGGEST = reverse("admin:releases_tag_suggest")


def release_change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def release_delete_url(release):
    return reverse("admin:releases_release_delete", args=[release.pk])


def add_form(department, **fields):
    """What the release add form posts, with `fields` changed."""
    return {
        "language": "en",
        "title": "The 88th session of the WCO Policy Commission is being held",
        "slug": "",
        "lead": "The session began in Brussels.",
        "body": "<p>On June 19, the 88th session began.</p>",
        "department": department.pk,
        "event": "",
        "tags": "",
        "status": Release.Status.DRAFT,
        "withdrawal_reason": "",
        "_save": "Save",
        **fields,
    }


def change_form(release, *, with_published_at=False, **fields):
    """What the change form of `release` posts as it stands, with `fields`
    changed. Editors see publication time as an input; press staff do not."""
    data = {
        "language": release.language,
        "title": release.title,
        "slug": release.slug,
        "lead": release.lead,
        "body": release.body,
        "department": release.department_id,
        "event": release.event_id or "",
        "delegations": [delegation.pk for delegation in release.delegations.all()],
        "tags": ", ".join(f'"{name}"' for name in release.tags.names()),
        "status": release.status,
        "withdrawal_reason": release.withdrawal_reason,
        "known_version": release.version,
        "_save": "Save",
    }
    if with_published_at:
        local = timezone.localtime(release.published_at) if release.published_at else None
        data["published_at_0"] = local.strftime("%Y-%m-%d") if local else ""
        data["published_at_1"] = local.strftime("%H:%M:%S") if local else ""
    return {**data, **fields}


def form_of(response):
    return response.context["adminform"].form


def run_action(client, url, action, objects, **fields):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], "index": 0, **fields})


def offered_actions(client, url):
    action_form = client.get(url).context["action_form"]  # None when no action is offered
    return {name for name, _label in action_form.fields["action"].choices} if action_form else set()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Adding a release through the add form


def test_press_staff_add_a_draft_with_tags(press_client, press_user, department):
    response = press_client.post(RELEASE_ADD, add_form(department, tags='WCO, "Green Customs"'))
    assert response.status_code == 302
    release = Release.objects.get()
    assert set(release.tags.names()) == {"WCO", "Green Customs"}
    assert release.status == Release.Status.DRAFT
    assert release.author == press_user
    assert release.last_editor == press_user


def test_add_form_makes_the_slug_from_the_title_when_left_empty(press_client, department):
    press_client.post(RELEASE_ADD, add_form(department, title="Şahin Bağırov in Brussels", slug=""))
    assert Release.objects.get().slug == "shahin-baghirov-in-brussels"


def test_add_form_gives_slug_js_the_letters_the_server_transliterates(press_client):
    """slug.js prefills the slug with releases/slugs.py's letters, read from
    the page rather than kept in a copy of its own."""
    page = html5lib.parse(press_client.get(RELEASE_ADD).content, namespaceHTMLElements=False)
    block = page.find(".//script[@id='slug-letters']")
    assert block.get("type") == "application/json"
    assert json.loads(block.text) == LETTERS_IN_ASCII


def test_add_form_numbers_the_slug_when_the_title_is_taken(press_client, department):
    for _ in range(2):
        press_client.post(RELEASE_ADD, add_form(department, title="Gömrük Komitəsi", slug=""))
    assert sorted(Release.objects.values_list("slug", flat=True)) == ["gomruk-komitasi", "gomruk-komitasi-2"]


def test_add_form_refuses_a_slug_taken_in_the_same_language(press_client, make_release, department):
    make_release(slug="wco-policy-commission")
    response = press_client.post(RELEASE_ADD, add_form(department, slug="wco-policy-commission"))
    assert response.status_code == 200
    assert "Another release in this language already has this slug." in str(form_of(response).errors)


def test_add_form_keeps_a_slug_given(press_client, department):
    press_client.post(RELEASE_ADD, add_form(department, slug="wco-policy-commission"))
    assert Release.objects.get().slug == "wco-policy-commission"


def test_add_form_takes_a_quoted_tag_with_a_comma(press_client, department):
    press_client.post(RELEASE_ADD, add_form(department, tags='"Brussels, Belgium", WCO'))
    assert set(Release.objects.get().tags.names()) == {"Brussels, Belgium", "WCO"}


def test_add_form_reuses_an_existing_tag_whatever_its_case(press_client, department):
    Tag.objects.create(name="WCO")
    press_client.post(RELEASE_ADD, add_form(department, tags="wco"))
    assert list(Release.objects.get().tags.names()) == ["WCO"]
    assert Tag.objects.count() == 1


def test_add_form_stores_the_body_sanitized(press_client, department):
    body = '<p onclick="steal()">Text</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
    press_client.post(RELEASE_ADD, add_form(department, body=body))
    assert Release.objects.get().body == '<p>Text</p><a rel="noopener noreferrer">x</a>'


def test_add_form_links_event_and_delegations(press_client, department, delegation):
    press_client.post(RELEASE_ADD, add_form(department, event=delegation.event.pk, delegations=[delegation.pk]))
    release = Release.objects.get()
    assert release.event == delegation.event
    assert list(release.delegations.all()) == [delegation]


def test_press_staff_may_send_a_new_release_for_review(press_client, department):
    press_client.post(RELEASE_ADD, add_form(department, status=Release.Status.IN_REVIEW))
    assert Release.objects.get().status == Release.Status.IN_REVIEW


def test_press_staff_posting_published_get_a_form_error_and_nothing_is_saved(press_client, department):
    response = press_client.post(RELEASE_ADD, add_form(department, status=Release.Status.PUBLISHED))
    assert response.status_code == 200
    assert form_of(response).has_error("status", code="permission_denied")
    assert not Release.objects.exists()


def test_press_staff_are_not_offered_the_publication_time(press_client):
    assert "published_at" not in form_of(press_client.get(RELEASE_ADD)).fields


def test_editor_posting_published_publishes_now(editor_client, editor, department):
    before = timezone.now()
    response = editor_client.post(
        RELEASE_ADD, add_form(department, status=Release.Status.PUBLISHED, published_at_0="", published_at_1="")
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.status == Release.Status.PUBLISHED
    assert before <= release.published_at <= timezone.now()
    assert release.is_published
    assert release.author == editor


def test_editor_posting_published_with_a_future_time_schedules(editor_client, department):
    later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
    editor_client.post(
        RELEASE_ADD,
        add_form(
            department,
            status=Release.Status.PUBLISHED,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    release = Release.objects.get()
    assert release.published_at == later
    assert release.is_scheduled
    assert not Release.objects.published().exists()


# Changing a release through the change form


def test_change_form_shows_the_current_status(press_client, make_release):
    release = make_release(status=Release.Status.IN_REVIEW)
    response = press_client.get(release_change_url(release))
    assert form_of(response)["status"].value() == Release.Status.IN_REVIEW


def test_press_staff_may_correct_a_release_in_review(press_client, press_user, make_release):
    release = make_release(title="Old title", status=Release.Status.IN_REVIEW)
    response = press_client.post(release_change_url(release), change_form(release, title="Corrected title"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.title == "Corrected title"
    assert release.status == Release.Status.IN_REVIEW
    assert release.last_editor == press_user


def test_press_staff_may_not_correct_a_published_release(press_client, make_release):
    """Their edit would be public at once, with no editor (issue 13): the
    form is read only to them, and a post of it refused."""
    release = make_release(title="Old title")
    response = press_client.post(release_change_url(release), change_form(release, title="Corrected title"))
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.title == "Old title"


def test_press_staff_change_tags_through_the_change_form(press_client, make_release):
    release = make_release(status=Release.Status.DRAFT, tags=["WCO"])
    press_client.post(release_change_url(release), change_form(release, tags='WCO, "Green Customs"'))
    assert set(release.tags.names()) == {"WCO", "Green Customs"}


def test_press_staff_cannot_publish_by_changing_the_status(press_client, make_release):
    release = make_release(status=Release.Status.IN_REVIEW)
    response = press_client.post(release_change_url(release), change_form(release, status=Release.Status.PUBLISHED))
    assert form_of(response).has_error("status", code="permission_denied")
    release.refresh_from_db()
    assert release.status == Release.Status.IN_REVIEW
    assert release.published_at is None


def test_press_staff_cannot_withdraw_by_changing_the_status(press_client, make_release):
    release = make_release()
    response = press_client.post(
        release_change_url(release),
        change_form(release, status=Release.Status.WITHDRAWN, withdrawal_comment="Issued in error."),
    )
    assert response.status_code == 403  # a public release is read only to press staff
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_editor_publishes_a_release_in_review_through_the_change_form(editor_client, editor, make_release):
    release = make_release(status=Release.Status.IN_REVIEW)
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, status=Release.Status.PUBLISHED)
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.is_published
    assert release.last_editor == editor


def test_editor_withdrawing_through_the_change_form_must_give_a_reason(editor_client, make_release):
    release = make_release()
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, status=Release.Status.WITHDRAWN)
    )
    assert form_of(response).has_error("withdrawal_reason", code="reason_required")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_editor_withdraws_through_the_change_form_with_a_reason(editor_client, make_release):
    release = make_release()
    response = editor_client.post(
        release_change_url(release),
        change_form(
            release, with_published_at=True, status=Release.Status.WITHDRAWN, withdrawal_reason="Issued in error."
        ),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Release.Status.WITHDRAWN
    assert release.withdrawal_reason == "Issued in error."
    assert release.withdrawn_at is not None


def test_editor_cannot_send_a_public_release_back_to_draft(editor_client, make_release):
    release = make_release()
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, status=Release.Status.DRAFT)
    )
    assert form_of(response).has_error("status", code="already_public")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_change_form_refuses_a_status_change_outside_the_workflow(editor_client, make_release):
    release = make_release(status=Release.Status.DRAFT)
    response = editor_client.post(
        release_change_url(release),
        change_form(
            release, with_published_at=True, status=Release.Status.WITHDRAWN, withdrawal_reason="Issued in error."
        ),
    )
    assert form_of(response).has_error("status", code="invalid_status_change")


# Publish and withdraw actions


def test_publish_action_is_not_offered_to_press_staff(press_client, make_release):
    make_release()
    assert "publish_selected" not in offered_actions(press_client, RELEASE_LIST)


def test_withdraw_action_is_not_offered_to_press_staff(press_client, make_release):
    make_release()
    assert "withdraw_selected" not in offered_actions(press_client, RELEASE_LIST)


def test_publish_and_withdraw_actions_are_offered_to_editors(editor_client, make_release):
    make_release()
    assert {"publish_selected", "withdraw_selected"} <= offered_actions(editor_client, RELEASE_LIST)


def test_press_staff_posting_the_publish_action_publish_nothing(press_client, make_release):
    release = make_release(status=Release.Status.IN_REVIEW)
    run_action(press_client, RELEASE_LIST, "publish_selected", [release])
    release.refresh_from_db()
    assert release.status == Release.Status.IN_REVIEW


def test_press_staff_posting_the_withdraw_action_withdraw_nothing(press_client, make_release):
    release = make_release()
    run_action(press_client, RELEASE_LIST, "withdraw_selected", [release], apply=1, comment="Issued in error.")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_editor_publishes_with_the_action(editor_client, make_release):
    releases = [make_release(status=Release.Status.IN_REVIEW), make_release(status=Release.Status.DRAFT)]
    response = run_action(editor_client, RELEASE_LIST, "publish_selected", releases)
    assert response.status_code == 302
    assert Release.objects.published().count() == 2


def test_withdraw_action_asks_for_the_reason_first(editor_client, make_release):
    release = make_release()
    response = run_action(editor_client, RELEASE_LIST, "withdraw_selected", [release])
    assert response.status_code == 200
    assert "admin/releases/release/action_with_comment.html" in [template.name for template in response.templates]
    assert list(response.context["releases"]) == [release]
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_withdraw_action_withdraws_with_the_reason(editor_client, make_release):
    releases = [make_release(), make_release()]
    response = run_action(
        editor_client, RELEASE_LIST, "withdraw_selected", releases, apply=1, comment="Issued in error."
    )
    assert response.status_code == 302
    assert list(Release.objects.order_by().values_list("status", "withdrawal_reason").distinct()) == [
        (Release.Status.WITHDRAWN, "Issued in error.")
    ]


def test_withdraw_action_without_a_reason_asks_again(editor_client, make_release):
    release = make_release()
    response = run_action(editor_client, RELEASE_LIST, "withdraw_selected", [release], apply=1, comment="")
    assert response.status_code == 200
    assert response.context["form"].has_error("comment", code="required")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_withdraw_action_reports_releases_the_rules_refuse(editor_client, make_release):
    public = make_release(title="Public release")
    draft = make_release(title="Draft release", status=Release.Status.DRAFT)
    response = run_action(
        editor_client, RELEASE_LIST, "withdraw_selected", [public, draft], apply=1, comment="Issued in error."
    )
    messages = messages_of(response)
    assert any(message.startswith("Draft release:") for message in messages)
    assert "1 release changed." in messages
    draft.refresh_from_db()
    assert draft.status == Release.Status.DRAFT


# Permission boundaries through the admin's own URLs


@pytest.mark.parametrize(
    "url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]
)
def test_press_staff_may_not_see_users_or_groups(press_client, url_name):
    assert press_client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist"])
def test_editors_may_not_see_users_or_groups(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist"])
def test_administrators_manage_users_and_groups(administrator_client, url_name):
    assert administrator_client.get(reverse(url_name)).status_code == 200


def test_press_staff_may_not_delete_a_release(press_client, make_release):
    release = make_release()
    assert press_client.get(release_delete_url(release)).status_code == 403
    assert press_client.post(release_delete_url(release), {"post": "yes"}).status_code == 403
    assert Release.objects.filter(pk=release.pk).exists()


def test_delete_action_is_not_offered_to_press_staff(press_client, make_release):
    make_release()
    assert "delete_selected" not in offered_actions(press_client, RELEASE_LIST)


def test_editor_may_delete_a_release(editor_client, make_release):
    release = make_release()
    assert editor_client.get(release_delete_url(release)).status_code == 200
    editor_client.post(release_delete_url(release), {"post": "yes"})
    assert not Release.objects.filter(pk=release.pk).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:releases_release_changelist",
        "admin:releases_release_add",
        "admin:releases_event_add",
        "admin:releases_delegation_add",
        "admin:releases_department_add",
        "admin:releases_tag_changelist",
    ],
)
def test_press_staff_may_author_everything_else(press_client, url_name):
    assert press_client.get(reverse(url_name)).status_code == 200


def test_staff_without_a_role_may_not_see_releases(client, staff_user):
    client.force_login(staff_user)
    assert client.get(RELEASE_LIST).status_code == 403


# The release list


def test_release_list_shows_a_scheduled_release_as_scheduled(press_client, make_release):
    make_release(published_at=timezone.now() + timedelta(days=2))
    assert "Scheduled for" in press_client.get(RELEASE_LIST).content.decode()


def test_release_list_searches_the_body(press_client, make_release):
    found = make_release(body="<p>Held at the WCO headquarters in Brussels.</p>")
    make_release(body="<p>Something else.</p>")
    response = press_client.get(RELEASE_LIST, {"q": "Brussels"})
    assert list(response.context["cl"].result_list) == [found]


def test_release_list_filters_by_tag(press_client, make_release):
    tagged = make_release(tags=["WCO"])
    make_release(tags=["Transit"])
    response = press_client.get(RELEASE_LIST, {"tags__id__exact": Tag.objects.get(name="WCO").pk})
    assert list(response.context["cl"].result_list) == [tagged]


def test_release_list_queries_do_not_grow_with_its_rows(
    editor_client, make_release, department, django_assert_max_num_queries
):
    """Guards against a query per row: for each release's tags, department,
    event or status label."""

    def make_releases(count):
        for number in range(count):
            event = Event.objects.create(
                title=f"Event {number}", slug=f"event-{count}-{number}", start_date="2023-06-19"
            )
            make_release(event=event, tags=[f"Tag {count}-{number}", "WCO"])

    make_releases(3)
    editor_client.get(RELEASE_LIST)  # fills the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(editor_client.get(RELEASE_LIST).context["cl"].result_list) == 3
    make_releases(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(RELEASE_LIST)
    assert len(response.context["cl"].result_list) == 30


# Events and delegations


def test_event_add_form_refuses_an_end_before_the_start(press_client):
    response = press_client.post(
        reverse("admin:releases_event_add"),
        {
            "title_en": "88th session of the WCO Policy Commission",
            "slug": "wco-policy-commission",
            "start_date": "2023-06-19",
            "end_date": "2023-06-18",
            "delegations-TOTAL_FORMS": 0,
            "delegations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "An event cannot end before it starts." in str(form_of(response).errors)
    assert not Event.objects.exists()


def test_event_add_form_adds_its_delegation_inline(press_client):
    response = press_client.post(
        reverse("admin:releases_event_add"),
        {
            "title_en": "88th session of the WCO Policy Commission",
            "title_az": "ÜGT Siyasət Komissiyasının 88-ci sessiyası",
            "slug": "wco-policy-commission",
            "start_date": "2023-06-19",
            "delegations-TOTAL_FORMS": 1,
            "delegations-INITIAL_FORMS": 0,
            "delegations-0-head_name_en": "Shahin Baghirov",
            "delegations-0-head_position_en": "Chairman of the State Customs Committee",
            "delegations-0-head_rank_en": "lieutenant-general of the customs service",
            "delegations-0-head_rank_ru": "генерал-лейтенант таможенной службы",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.event.slug == "wco-policy-commission"
    assert delegation.head_rank == "lieutenant-general of the customs service"
    with translation.override("ru"):
        assert delegation.head_rank == "генерал-лейтенант таможенной службы"
    with translation.override("az"):
        assert delegation.event.title == "ÜGT Siyasət Komissiyasının 88-ci sessiyası"


def test_delegation_change_form_adds_members_inline(press_client, delegation):
    response = press_client.post(
        reverse("admin:releases_delegation_change", args=[delegation.pk]),
        {
            "event": delegation.event.pk,
            "head_name_en": delegation.head_name,
            "members-TOTAL_FORMS": 2,
            "members-INITIAL_FORMS": 0,
            "members-0-order": 2,
            "members-0-name_en": "Leyla Hasanova",
            "members-1-order": 1,
            "members-1-name_en": "Rauf Aliyev",
        },
    )
    assert response.status_code == 302
    assert list(delegation.members.values_list("name", flat=True)) == ["Rauf Aliyev", "Leyla Hasanova"]


# Tags


def tag_change_url(tag):
    return reverse("admin:releases_tag_change", args=[tag.pk])


def test_tag_list_shows_how_many_releases_carry_each_tag(press_client, make_release):
    make_release(tags=["WCO", "Green Customs"])
    make_release(tags=["WCO"])
    response = press_client.get(TAG_LIST)
    counts = {tag.name: tag.release_count for tag in response.context["cl"].result_list}
    assert counts == {"WCO": 2, "Green Customs": 1}
    assert '<td class="field-release_count">2</td>' in response.content.decode()


def test_tag_list_queries_do_not_grow_with_its_rows(press_client, make_release, django_assert_max_num_queries):
    """Guards against counting each tag's releases with a query of its own."""
    make_release(tags=[f"Tag {number}" for number in range(3)])
    press_client.get(TAG_LIST)
    with CaptureQueriesContext(connection) as few:
        press_client.get(TAG_LIST)
    make_release(tags=[f"Tag {number}" for number in range(30)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = press_client.get(TAG_LIST)
    assert len(response.context["cl"].result_list) == 30


def test_renaming_a_tag_to_another_tags_name_in_other_case_is_refused(press_client):
    Tag.objects.create(name="WCO")
    tag = Tag.objects.create(name="World Customs Organization")
    response = press_client.post(tag_change_url(tag), {"name": "wco", "slug": tag.slug})
    assert form_of(response).has_error("name", code="duplicate_tag")
    tag.refresh_from_db()
    assert tag.name == "World Customs Organization"


def test_adding_a_tag_that_exists_in_other_case_is_refused(press_client):
    Tag.objects.create(name="WCO")
    response = press_client.post(reverse("admin:releases_tag_add"), {"name": "Wco", "slug": "wco-2"})
    assert form_of(response).has_error("name", code="duplicate_tag")
    assert Tag.objects.count() == 1


def test_renaming_a_tag_keeps_its_slug(press_client):
    tag = Tag.objects.create(name="Green customs")
    response = press_client.post(tag_change_url(tag), {"name": "Green Customs", "slug": tag.slug})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Green Customs", "green-customs")


def test_merge_action_asks_which_tag_to_keep(editor_client, make_release):
    make_release(tags=["WCO", "wcoomd"])
    tags = Tag.objects.all()
    response = run_action(editor_client, TAG_LIST, "merge_selected", tags)
    assert response.status_code == 200
    assert "admin/releases/tag/merge.html" in [template.name for template in response.templates]
    assert Tag.objects.count() == 2


def test_merge_action_moves_releases_to_the_kept_tag_and_deletes_the_others(editor_client, make_release):
    first = make_release(tags=["WCO"])
    second = make_release(tags=["World Customs Organization"])
    third = make_release(tags=["wcoomd", "Transit"])
    keep = Tag.objects.get(name="WCO")
    merged = Tag.objects.filter(name__in=["WCO", "World Customs Organization", "wcoomd"])
    response = run_action(editor_client, TAG_LIST, "merge_selected", merged, apply=1, keep=keep.pk)
    assert response.status_code == 302
    assert set(Tag.objects.values_list("name", flat=True)) == {"WCO", "Transit"}
    assert {release.pk for release in Release.objects.filter(tags=keep)} == {first.pk, second.pk, third.pk}
    assert set(third.tags.names()) == {"WCO", "Transit"}


def test_press_staff_cannot_merge_tags_as_merging_deletes_them(press_client, make_release):
    make_release(tags=["WCO", "wcoomd"])
    run_action(press_client, TAG_LIST, "merge_selected", Tag.objects.all(), apply=1, keep=Tag.objects.first().pk)
    assert Tag.objects.count() == 2


def test_merge_action_needs_two_tags(editor_client, make_release):
    make_release(tags=["WCO"])
    response = run_action(editor_client, TAG_LIST, "merge_selected", Tag.objects.all(), apply=1)
    assert "Select at least two tags to merge." in messages_of(response)
    assert Tag.objects.count() == 1


def test_merge_tags_moves_every_release_to_the_kept_tag(make_release):
    first, second = make_release(tags=["Green customs"]), make_release(tags=["Green Customs programme"])
    keep = Tag.objects.create(name="Green Customs Initiative")
    moved = merge_tags(keep=keep, merge=list(Tag.objects.exclude(pk=keep.pk)))
    assert moved == 2
    assert list(first.tags.names()) == list(second.tags.names()) == ["Green Customs Initiative"]
    assert list(Tag.objects.all()) == [keep]


def test_merge_tags_leaves_one_link_on_a_release_carrying_two_merged_tags(make_release):
    release = make_release(tags=["WCO", "wcoomd", "World Customs Organization"])
    keep = Tag.objects.get(name="WCO")
    moved = merge_tags(keep=keep, merge=list(Tag.objects.all()))
    assert moved == 0
    assert list(release.tags.names()) == ["WCO"]
    assert TaggedRelease.objects.filter(content_object=release).count() == 1


def test_merge_tags_gives_one_link_to_a_release_carrying_two_merged_tags_but_not_the_kept_one(make_release):
    release = make_release(tags=["wcoomd", "World Customs Organization"])
    keep = Tag.objects.create(name="WCO")
    assert merge_tags(keep=keep, merge=list(Tag.objects.all())) == 1
    assert TaggedRelease.objects.filter(content_object=release, tag=keep).count() == 1


def test_merge_tags_leaves_other_tags_alone(make_release):
    release = make_release(tags=["WCO", "wcoomd", "Transit"])
    merge_tags(keep=Tag.objects.get(name="WCO"), merge=[Tag.objects.get(name="wcoomd")])
    assert set(release.tags.names()) == {"WCO", "Transit"}


# Tag suggestions for the release form


def test_tag_suggestions_are_names_starting_with_the_term(press_client, make_release):
    make_release(tags=["Green Customs", "green corridor", "Fragile Borders"])
    response = press_client.get(TAG_SUGGEST, {"term": "gre"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"tags": ["Green Customs", "green corridor"]}


def test_tag_suggestions_leave_out_tags_no_release_uses(press_client, make_release):
    """A tag left by a typing slip ("Gre") or by a deleted release is never
    offered again (issue 16)."""
    make_release(tags=["Green Customs"])
    Tag.objects.create(name="Gre")
    make_release(tags=["Greenwashing"]).delete()
    assert press_client.get(TAG_SUGGEST, {"term": "gre"}).json() == {"tags": ["Green Customs"]}


def test_tag_suggestions_are_at_most_ten(press_client, make_release):
    make_release(tags=[f"Session {number:02}" for number in range(12)])
    assert len(press_client.get(TAG_SUGGEST, {"term": "session"}).json()["tags"]) == 10


def test_tag_suggestions_for_an_empty_term_are_empty(press_client, make_release):
    make_release(tags=["WCO"])
    assert press_client.get(TAG_SUGGEST, {"term": "  "}).json() == {"tags": []}


def test_tag_suggestions_need_a_login(client):
    Tag.objects.create(name="WCO")
    response = client.get(TAG_SUGGEST, {"term": "w"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_tag_suggestions_need_a_role(client, staff_user):
    client.force_login(staff_user)
    assert client.get(TAG_SUGGEST, {"term": "w"}).status_code == 403


def test_release_form_tag_input_knows_where_to_get_suggestions(press_client):
    assert f'data-suggest-url="{TAG_SUGGEST}"' in press_client.get(RELEASE_ADD).content.decode()


@pytest.mark.parametrize(
    "model",
    ["releases.WorkflowEvent", "outbox.Message", "alerts.Sending", "imports.ImportedItem", "distribution.Distribution"],
)
def test_what_the_product_wrote_is_read_only_even_for_administrators(administrator_client, model):
    """One ReadOnlyAdmin (releases/admin/readonly.py) for every such list."""
    from django.apps import apps
    from django.contrib import admin

    from releases.admin.readonly import ReadOnlyAdmin

    model_admin = admin.site._registry[apps.get_model(model)]
    assert isinstance(model_admin, ReadOnlyAdmin)
    opts = model_admin.model._meta
    assert administrator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
