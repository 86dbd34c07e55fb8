"""The desk (issue 16): the admin's home page gives each person their
drafts, what was sent back to them, the review queue, the scheduled and the
recently published releases and the missing translations, each a few rows
with a link to the whole list; in a fixed number of queries, along indexes."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from releases.admin.desk import DESK_ROWS
from releases.models import Release

pytestmark = pytest.mark.django_db

Status = Release.Status
INDEX = reverse("admin:index")
RELEASE_LIST = reverse("admin:releases_release_changelist")


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def section_of(page, key):
    """The HTML of one section of the desk."""
    start = page.index(f'class="module desk-section desk-{key}"')
    return page[start : page.index("</section>", start)]


def desk(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    return response.content.decode()


def test_my_drafts_are_mine_only(press_client, press_user, editor, make_release):
    mine = make_release(status=Status.DRAFT, author=press_user, title="My own draft")
    make_release(status=Status.DRAFT, author=editor, title="The editor's draft")
    make_release(status=Status.IN_REVIEW, author=press_user, title="Mine in review")
    drafts = section_of(desk(press_client), "drafts")
    assert f'href="{change_url(mine)}"' in drafts
    assert "The editor&#x27;s draft" not in drafts
    assert "Mine in review" not in drafts


def test_sent_back_shows_the_editors_comment(press_client, press_user, editor, make_release):
    release = make_release(status=Status.DRAFT, author=press_user, title="About the session")
    release.submit(user=press_user)
    release.send_back(user=editor, comment="Give the date of the session.")
    resubmitted = make_release(status=Status.DRAFT, author=press_user, title="Sent back, then resubmitted")
    resubmitted.submit(user=press_user)
    resubmitted.send_back(user=editor, comment="Shorter, please.")
    resubmitted.submit(user=press_user)
    sent_back = section_of(desk(press_client), "sent-back")
    assert f'href="{change_url(release)}"' in sent_back
    assert "Give the date of the session." in sent_back
    assert "Sent back by editor on " in sent_back
    assert "resubmitted" not in sent_back


def test_editors_see_the_whole_review_queue_and_press_staff_their_own(
    client, press_user, editor, django_user_model, make_release
):
    colleague = django_user_model.objects.create_user("colleague", password="a-long-password")
    mine = make_release(status=Status.IN_REVIEW, author=press_user, title="Mine for review")
    theirs = make_release(status=Status.IN_REVIEW, author=colleague, title="A colleague's for review")
    client.force_login(editor)
    queue = section_of(desk(client), "review")
    assert f'href="{change_url(mine)}"' in queue and f'href="{change_url(theirs)}"' in queue
    client.force_login(press_user)
    queue = section_of(desk(client), "review")
    assert f'href="{change_url(mine)}"' in queue
    assert f'href="{change_url(theirs)}"' not in queue
    assert f'href="{RELEASE_LIST}?status__exact=in_review&amp;author=me"' in queue


def test_scheduled_gives_the_time_in_baku(editor_client, make_release):
    at = timezone.now().replace(microsecond=0) + timedelta(days=3)
    release = make_release(published_at=at, title="Out on Friday")
    make_release(title="Already public")
    scheduled = section_of(desk(editor_client), "scheduled")
    assert f'href="{change_url(release)}"' in scheduled
    assert "Already public" not in scheduled
    assert "Times in Asia/Baku" in scheduled
    local = timezone.localtime(at, timezone=timezone.get_fixed_timezone(4 * 60))
    assert f"{local:%H:%M}" in scheduled
    assert f'datetime="{timezone.localtime(at).isoformat()}"' in scheduled


def test_recently_published_leaves_out_what_the_public_cannot_see(editor_client, make_release):
    public = make_release(title="Public one")
    make_release(status=Status.DRAFT, title="A draft")
    make_release(published_at=timezone.now() + timedelta(days=1), title="Scheduled one")
    make_release(status=Status.WITHDRAWN, title="Withdrawn one")
    published = section_of(desk(editor_client), "published")
    assert f'href="{change_url(public)}"' in published
    for title in ("A draft", "Scheduled one", "Withdrawn one"):
        assert title not in published


def test_missing_translations_offer_each_missing_language(editor_client, make_release):
    key = uuid.uuid4()
    lonely = make_release(language="en", title="Only in English")
    for code in ("en", "az", "ru"):
        make_release(language=code, translation_key=key, title=f"Complete {code}")
    make_release(status=Status.WITHDRAWN, title="Withdrawn alone")
    missing = section_of(desk(editor_client), "translations")
    assert f'href="{change_url(lonely)}"' in missing
    assert f"translation_of={lonely.pk}&amp;language=az" in missing
    assert f"translation_of={lonely.pk}&amp;language=ru" in missing
    assert f"translation_of={lonely.pk}&amp;language=en" not in missing
    assert "Complete" not in missing and "Withdrawn alone" not in missing
    assert f'href="{RELEASE_LIST}?missing=az"' in missing


def test_missing_translations_look_only_among_the_newest(make_release):
    """Bounded: an archive translated throughout is not searched end to end
    on every visit for the few releases that lack a version."""
    old = make_release(language="en", published_at=timezone.now() - timedelta(days=400))
    newer = [make_release(language="en", published_at=timezone.now() - timedelta(days=n)) for n in (1, 2)]
    assert set(Release.objects.missing_translation(among=2)) == set(newer)
    assert old in Release.objects.missing_translation(among=3)


def test_a_section_says_when_it_has_more_than_it_shows(press_client, press_user, make_release):
    for _ in range(DESK_ROWS + 1):
        make_release(status=Status.DRAFT, author=press_user)
    drafts = section_of(desk(press_client), "drafts")
    assert drafts.count("<li>") == DESK_ROWS
    assert "More than these" in drafts


def test_empty_sections_say_so(press_client):
    page = desk(press_client)
    assert "You have no drafts." in section_of(page, "drafts")
    assert "Nothing is scheduled." in section_of(page, "scheduled")


def test_a_staff_user_without_a_role_has_no_desk(client, staff_user, make_release):
    make_release(status=Status.DRAFT, author=staff_user)
    client.force_login(staff_user)
    assert 'id="desk"' not in desk(client)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"author": "me", "status__exact": "draft"}, {"my draft"}),
        ({"schedule": "scheduled"}, {"scheduled"}),
        ({"schedule": "public"}, {"public"}),
    ],
)
def test_the_desks_links_filter_the_release_list(press_client, press_user, make_release, query, expected):
    make_release(status=Status.DRAFT, author=press_user, title="my draft")
    make_release(status=Status.DRAFT, title="someone's draft")
    make_release(published_at=timezone.now() + timedelta(days=2), title="scheduled")
    make_release(title="public")
    response = press_client.get(RELEASE_LIST, query)
    assert {release.title for release in response.context["cl"].result_list} == expected


def test_the_desks_queries_do_not_grow_with_the_archive(
    client, press_user, editor, make_release, django_assert_max_num_queries
):
    """Guards against a query per row (an author, a missing version, a
    comment read for each release) as the desk fills up."""

    def fill(count):
        for _ in range(count):
            draft = make_release(status=Status.DRAFT, author=press_user)
            draft.submit(user=press_user)
            draft.send_back(user=editor, comment="Again.")
            make_release(status=Status.IN_REVIEW, author=press_user)
            make_release(published_at=timezone.now() + timedelta(days=1))
            make_release()

    fill(1)
    client.force_login(press_user)
    client.get(INDEX)
    with django_assert_max_num_queries(14) as few:
        client.get(INDEX)
    fill(DESK_ROWS + 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk(client)


@pytest.mark.postgresql
def test_the_desks_lists_read_their_indexes(press_user, editor, department):
    """On an archive of thousands, analysed, each list reads its index in
    order and stops at its page: no sequential scan, no sort of the table."""
    now = timezone.now()
    rows = [
        Release(
            title=f"Archive {number}",
            slug=f"archive-{number}",
            department=department,
            author=editor if number % 3 else press_user,
            status=Status.PUBLISHED if number % 10 else (Status.DRAFT, Status.IN_REVIEW)[number % 20 == 0],
            published_at=now - timedelta(hours=number) if number % 10 else None,
        )
        for number in range(1, 4001)
    ]
    Release.objects.bulk_create(rows, batch_size=1000)
    releases = Release.objects.all()
    expected = {
        "release_author_desk": releases.drafts_by(press_user),
        "release_status_desk": releases.waiting_for_review(),
        "release_admin_list": releases.upcoming(),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE releases_release")
    for index, queryset in expected.items():
        plan = queryset[:DESK_ROWS].explain()
        assert index in plan, plan
        assert "Sort" not in plan and "Seq Scan" not in plan, plan
    for queryset in (releases.sent_back_to(press_user), releases.recently_published(), releases.missing_translation()):
        plan = queryset[:DESK_ROWS].explain()
        assert "Seq Scan on releases_release" not in plan, plan
