"""Embargoed share links: the secret page a journalist without an account
reads a release on before publication, and the admin where editors create,
follow and revoke the links. The clock is frozen (conftest.frozen_now: 15 March
2024 09:00 UTC, 13:00 in Baku) and moved with mock.patch, never slept on."""

import string
from datetime import timedelta
from unittest import mock

import html5lib
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.admin.sharing import ShareLinkAdmin
from releases.models import Release, ShareLink, ShareLinkView
from releases.models.sharing import USER_AGENT_MAX_LENGTH
from serving.client import client_address

pytestmark = pytest.mark.django_db

SHARE_ADD = reverse("admin:releases_sharelink_add")
SHARE_LIST = reverse("admin:releases_sharelink_changelist")
JOURNALIST = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (Newsroom)"}


@pytest.fixture
def scheduled(frozen_now, make_release):
    """A release scheduled for an hour after the frozen time: 14:00 in Baku."""
    return make_release(
        title="The Chairman meets the WCO Secretary General",
        status=Release.Status.PUBLISHED,
        published_at=frozen_now + timedelta(hours=1),
        tags=["WCO"],
    )


@pytest.fixture
def share(editor):
    """share(release, **fields): a link to `release` issued by an editor."""

    def issue(release, **fields):
        link = ShareLink(release=release, **fields)
        link.issue(user=editor)
        return link

    return issue


def later(moment):
    """Move the frozen clock to `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def release_change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def link_change_url(link):
    return reverse("admin:releases_sharelink_change", args=[link.pk])


def add_form(release, expires_at, **fields):
    local = timezone.localtime(expires_at)
    return {
        "release": release.pk,
        "expires_at_0": local.strftime("%Y-%m-%d"),
        "expires_at_1": local.strftime("%H:%M:%S"),
        "note": "For Reuters, Baku bureau",
        "_save": "Save",
        **fields,
    }


# The shared page


def test_valid_link_shows_the_release_with_the_embargo_banner(client, scheduled, share):
    response = client.get(share(scheduled).get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{scheduled.title}</h1>" in content
    assert 'class="banner banner-embargo"' in content
    assert "Embargoed until" in content
    assert response.context["share_link"].release == scheduled
    assert "releases/release_detail.html" in [template.name for template in response.templates]


def test_embargo_time_is_shown_in_baku_time(client, scheduled, share, settings):
    settings.TIME_ZONE = "Asia/Baku"
    content = client.get(share(scheduled).get_absolute_url()).content.decode()
    # 10:00 UTC is 14:00 in Baku.
    assert "Embargoed until 15 March 2024 14:00 (Asia/Baku, UTC+0400)" in content


def test_release_with_no_publication_time_says_it_is_not_yet_scheduled(client, make_release, share, frozen_now):
    draft = make_release(status=Release.Status.DRAFT)
    content = client.get(share(draft).get_absolute_url()).content.decode()
    assert "Embargoed: not yet scheduled for publication" in content
    assert "Embargoed until" not in content


def test_banner_tells_until_when_the_link_works(client, scheduled, share):
    link = share(scheduled, expires_at=timezone.now() + timedelta(days=2))
    content = client.get(link.get_absolute_url()).content.decode()
    assert "It works until 17 March 2024 13:00." in content


def test_page_is_neither_indexed_nor_cached(client, scheduled, share):
    response = client.get(share(scheduled).get_absolute_url())
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control
    assert "public" not in cache_control


def test_page_keeps_its_address_out_of_referers_and_carries_no_article_data(client, scheduled, share):
    response = client.get(share(scheduled).get_absolute_url())
    assert response["Referrer-Policy"] == "no-referrer"
    assert "application/ld+json" not in response.content.decode()


def test_page_is_in_the_language_of_the_release(client, make_release, share, frozen_now):
    release = make_release(language="az", title="ÜGT Siyasət Komissiyası", status=Release.Status.DRAFT)
    response = client.get(share(release).get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response["Content-Language"] == "az"
    assert '<html lang="az">' in response.content.decode()


def test_page_is_valid_html5(client, scheduled, share, event, delegation):
    scheduled.event = event
    scheduled.save()
    scheduled.delegations.add(delegation)
    response = client.get(share(scheduled).get_absolute_url())
    html5lib.HTMLParser(strict=True).parse(response.content)


def test_page_leaks_no_other_release_that_is_not_public(client, scheduled, share, make_release, event, frozen_now):
    """The detail template shows related, previous and next releases and the
    other language versions: none may be another unpublished release."""
    scheduled.event = event
    scheduled.save()
    others = [
        make_release(title="Another draft on the WCO", status=Release.Status.DRAFT, tags=["WCO"], event=event),
        make_release(title="Another one in review", status=Release.Status.IN_REVIEW, tags=["WCO"]),
        make_release(
            title="Another scheduled one",
            status=Release.Status.PUBLISHED,
            published_at=frozen_now + timedelta(minutes=30),
            tags=["WCO"],
        ),
        make_release(
            title="Its Russian version, not public",
            language="ru",
            translation_key=scheduled.translation_key,
            status=Release.Status.DRAFT,
        ),
    ]
    make_release(title="A public release on the WCO", tags=["WCO"])
    content = client.get(share(scheduled).get_absolute_url()).content.decode()
    for other in others:
        assert other.title not in content
        assert other.slug not in content
    assert "A public release on the WCO" not in content


def test_page_queries_stay_few(client, scheduled, share, delegation, django_assert_max_num_queries):
    """Guards against a query per tag or per delegation member: the link, its
    release, department and event come in one query, tags in one, the
    delegations with their members in one, one insert logs the view, and two more
    open and close the savepoint around it. The release's photos and its
    documents (issue 5) add one query each, whatever their number, and media
    distribution (issue 18) one UPDATE that counts the view if the link is a
    recipient's."""
    scheduled.delegations.add(delegation)
    scheduled.tags.add("Green Customs", "Brussels")
    link = share(scheduled)
    with django_assert_max_num_queries(9):
        assert client.get(link.get_absolute_url()).status_code == 200


# The log of views


def test_each_view_is_logged_with_its_time_and_address(client, scheduled, share, frozen_now):
    link = share(scheduled)
    client.get(link.get_absolute_url(), **JOURNALIST)
    with later(frozen_now + timedelta(minutes=5)):
        client.get(link.get_absolute_url(), REMOTE_ADDR="2001:db8::1")
    views = list(link.views.order_by("viewed_at"))
    assert [(view.viewed_at, view.ip_address) for view in views] == [
        (frozen_now, "203.0.113.7"),
        (frozen_now + timedelta(minutes=5), "2001:db8::1"),
    ]
    assert views[0].user_agent == "Mozilla/5.0 (Newsroom)"


def test_a_long_user_agent_is_truncated(client, scheduled, share):
    link = share(scheduled)
    client.get(link.get_absolute_url(), HTTP_USER_AGENT="x" * 5000)
    assert link.views.get().user_agent == "x" * USER_AGENT_MAX_LENGTH


def test_refused_and_redirected_requests_log_no_view(client, scheduled, share, frozen_now):
    link = share(scheduled, expires_at=frozen_now + timedelta(days=1))
    with later(frozen_now + timedelta(hours=2)):
        assert client.get(link.get_absolute_url()).status_code == 302
    with later(frozen_now + timedelta(days=2)):
        assert client.get(link.get_absolute_url()).status_code == 404
    assert not ShareLinkView.objects.exists()


@pytest.mark.parametrize(
    ("remote_addr", "expected"),
    [("198.51.100.4", "198.51.100.4"), ("2001:db8::1", "2001:db8::1"), ("", None), ("unix:/run/gunicorn", None)],
)
def test_client_address_is_the_remote_address_when_it_is_one(remote_addr, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    assert client_address(request) == expected


# Links that no longer open, and releases that changed


def test_unknown_token_is_not_found(client, scheduled, share):
    share(scheduled)
    url = reverse("shared-release", kwargs={"token": ShareLink(release=scheduled).token})
    assert client.get(url).status_code == 404


def test_expired_link_is_not_found(client, scheduled, share, frozen_now):
    link = share(scheduled, expires_at=frozen_now + timedelta(minutes=30))
    assert client.get(link.get_absolute_url()).status_code == 200
    with later(frozen_now + timedelta(minutes=30)):
        assert client.get(link.get_absolute_url()).status_code == 404


def test_revoked_link_is_not_found(client, scheduled, share, editor):
    link = share(scheduled)
    link.revoke(user=editor)
    assert client.get(link.get_absolute_url()).status_code == 404


def test_link_to_a_release_published_meanwhile_redirects_to_its_public_page(client, scheduled, share, frozen_now):
    link = share(scheduled)
    with later(frozen_now + timedelta(hours=1)):
        response = client.get(link.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == scheduled.get_absolute_url()
        assert client.get(response["Location"]).status_code == 200


def test_a_revoked_link_redirects_once_the_release_is_public(client, scheduled, share, editor, frozen_now):
    link = share(scheduled)
    link.revoke(user=editor)
    with later(frozen_now + timedelta(hours=1)):
        response = client.get(link.get_absolute_url())
        assert response.status_code == 302 and response["Location"] == scheduled.get_absolute_url()
    assert not ShareLinkView.objects.exists()


def test_link_to_a_release_withdrawn_meanwhile_is_not_found(client, scheduled, share, editor, frozen_now):
    link = share(scheduled)
    with later(frozen_now + timedelta(hours=2)):
        Release.objects.filter(pk=scheduled.pk).update(status=Release.Status.WITHDRAWN, withdrawal_reason="In error.")
        assert client.get(link.get_absolute_url()).status_code == 404


def test_link_to_a_deleted_release_is_not_found(client, scheduled, share):
    link = share(scheduled)
    url = link.get_absolute_url()
    scheduled.delete()
    assert client.get(url).status_code == 404


# The model's rules


def test_tokens_are_long_random_and_url_safe(scheduled, share):
    first, second = share(scheduled), share(scheduled)
    assert first.token != second.token
    assert len(first.token) >= 40
    assert set(first.token) <= set(string.ascii_letters + string.digits + "-_")


def test_a_link_lasts_seven_days_by_default(scheduled, share, frozen_now):
    link = share(scheduled)
    assert link.expires_at == frozen_now + timedelta(days=7)
    assert link.created_at == frozen_now


def test_a_link_may_last_at_most_ninety_days(scheduled, share, frozen_now):
    share(scheduled, expires_at=frozen_now + timedelta(days=90))
    with pytest.raises(ValidationError) as error:
        share(scheduled, expires_at=frozen_now + timedelta(days=90, minutes=1))
    assert error.value.error_dict["expires_at"][0].code == "expiry_too_late"


def test_a_link_must_expire_in_the_future(scheduled, share, frozen_now):
    with pytest.raises(ValidationError) as error:
        share(scheduled, expires_at=frozen_now)
    assert error.value.error_dict["expires_at"][0].code == "expiry_in_past"


@pytest.mark.parametrize(("status", "code"), [("published", "release_public"), ("withdrawn", "release_withdrawn")])
def test_a_public_or_withdrawn_release_cannot_be_shared(make_release, share, frozen_now, status, code):
    with pytest.raises(ValidationError) as error:
        share(make_release(status=status))
    assert error.value.error_dict["release"][0].code == code
    assert not ShareLink.objects.exists()


def test_press_staff_may_neither_issue_nor_revoke_links(scheduled, share, press_user):
    with pytest.raises(PermissionDenied):
        ShareLink(release=scheduled).issue(user=press_user)
    link = share(scheduled)
    with pytest.raises(PermissionDenied):
        link.revoke(user=press_user)
    link.refresh_from_db()
    assert link.is_active


def test_revoking_records_who_and_when_and_keeps_the_first_revocation(scheduled, share, editor, frozen_now):
    link = share(scheduled)
    link.revoke(user=editor)
    with later(frozen_now + timedelta(hours=1)):
        link.revoke(user=editor)
    link.refresh_from_db()
    assert (link.revoked_at, link.revoked_by) == (frozen_now, editor)
    assert link.status == ShareLink.Status.REVOKED


def test_active_links_are_those_whose_status_is_active(scheduled, share, editor, frozen_now):
    active = share(scheduled)
    expiring = share(scheduled, expires_at=frozen_now + timedelta(minutes=1))
    share(scheduled).revoke(user=editor)
    with later(frozen_now + timedelta(minutes=1)):
        assert list(ShareLink.objects.active()) == [active]
        assert list(ShareLink.objects.expired()) == [expiring]
        assert {link.status for link in ShareLink.objects.all()} == set(ShareLink.Status)
        assert [link for link in ShareLink.objects.all() if link.is_active] == [active]


def test_a_link_names_its_release_and_never_its_token(scheduled, share):
    link = share(scheduled, note="For Reuters")
    assert str(link) == f"Share link for “{scheduled.title}” (For Reuters)"
    assert link.token not in str(link)


# The admin: creating links


def test_editor_sees_the_share_button_on_an_unpublished_release(editor_client, scheduled):
    content = editor_client.get(release_change_url(scheduled)).content.decode()
    assert f'href="{SHARE_ADD}?release={scheduled.pk}"' in content


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_no_share_button_on_a_public_or_withdrawn_release(editor_client, make_release, status):
    release = make_release(status=status)
    content = editor_client.get(release_change_url(release)).content.decode()
    assert f"{SHARE_ADD}?release={release.pk}" not in content


def test_press_staff_see_no_share_button(press_client, scheduled):
    response = press_client.get(release_change_url(scheduled))
    assert response.status_code == 200
    assert SHARE_ADD not in response.content.decode()
    assert "Share under embargo" not in response.content.decode()


def test_press_staff_may_not_create_links(press_client, scheduled, frozen_now):
    assert press_client.get(f"{SHARE_ADD}?release={scheduled.pk}").status_code == 403
    response = press_client.post(SHARE_ADD, add_form(scheduled, frozen_now + timedelta(days=3)))
    assert response.status_code == 403
    assert not ShareLink.objects.exists()


def test_editor_creates_a_link_and_is_shown_its_full_address(editor_client, editor, scheduled, frozen_now, site_url):
    form = editor_client.get(f"{SHARE_ADD}?release={scheduled.pk}")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["release"] == str(scheduled.pk)
    response = editor_client.post(SHARE_ADD, add_form(scheduled, frozen_now + timedelta(days=3)), follow=True)
    link = ShareLink.objects.get()
    assert (link.release, link.created_by, link.note) == (scheduled, editor, "For Reuters, Baku bureau")
    assert link.expires_at == frozen_now + timedelta(days=3)
    assert response.redirect_chain[-1][0] == link_change_url(link)
    content = response.content.decode()
    assert f'value="{site_url}/share/{link.token}/"' in content
    # Its "View on site" would log the editor among the journalists.
    assert "viewsitelink" not in content


def test_admin_refuses_a_link_to_a_public_release(editor_client, make_release, frozen_now):
    response = editor_client.post(SHARE_ADD, add_form(make_release(), frozen_now + timedelta(days=3)))
    assert response.status_code == 200
    assert [error.code for error in response.context["adminform"].form.errors.as_data()["release"]] == [
        "release_public"
    ]
    assert not ShareLink.objects.exists()


def test_admin_refuses_an_expiry_beyond_ninety_days(editor_client, scheduled, frozen_now):
    response = editor_client.post(SHARE_ADD, add_form(scheduled, frozen_now + timedelta(days=91)))
    assert response.status_code == 200
    assert "at most 90 days" in response.content.decode()
    assert not ShareLink.objects.exists()


# The admin: following and revoking links


def test_link_page_lists_its_views_read_only(editor_client, client, scheduled, share):
    link = share(scheduled)
    client.get(link.get_absolute_url(), **JOURNALIST)
    response = editor_client.get(link_change_url(link))
    content = response.content.decode()
    assert "203.0.113.7" in content
    assert "Mozilla/5.0 (Newsroom)" in content
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission and not formset.has_change_permission and not formset.has_delete_permission


def test_link_list_shows_status_and_view_count(editor_client, client, scheduled, share, editor, frozen_now):
    viewed = share(scheduled, note="For Reuters")
    for _view in range(3):
        client.get(viewed.get_absolute_url())
    share(scheduled, note="For AFP").revoke(user=editor)
    share(scheduled, note="For APA", expires_at=frozen_now + timedelta(minutes=1))
    with later(frozen_now + timedelta(minutes=1)):
        response = editor_client.get(SHARE_LIST)
    rows = {link.note: link for link in response.context["cl"].result_list}
    admin = ShareLinkAdmin(ShareLink, None)
    with later(frozen_now + timedelta(minutes=1)):
        assert {note: admin.status_label(link) for note, link in rows.items()} == {
            "For Reuters": "Active",
            "For AFP": "Revoked",
            "For APA": "Expired",
        }
    assert rows["For Reuters"].view_count == 3


@pytest.mark.parametrize(("status", "notes"), [("active", ["For Reuters"]), ("revoked", ["For AFP"])])
def test_link_list_filters_by_status(editor_client, scheduled, share, editor, status, notes):
    share(scheduled, note="For Reuters")
    share(scheduled, note="For AFP").revoke(user=editor)
    response = editor_client.get(SHARE_LIST, {"status": status})
    assert [link.note for link in response.context["cl"].result_list] == notes


def test_link_list_queries_do_not_grow_with_its_rows(
    editor_client, scheduled, share, make_release, django_assert_max_num_queries
):
    """Guards against a query per row for its release, creator or view count."""
    share(scheduled)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(SHARE_LIST)
    for _number in range(10):
        share(make_release(status=Release.Status.DRAFT))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(SHARE_LIST)
    assert len(response.context["cl"].result_list) == 11


def test_editor_revokes_links_with_the_list_action(editor_client, client, scheduled, share, editor):
    links = [share(scheduled), share(scheduled)]
    response = editor_client.post(
        SHARE_LIST, {"action": "revoke_selected", "_selected_action": [link.pk for link in links], "index": 0}
    )
    assert response.status_code == 302
    assert ShareLink.objects.revoked().count() == 2
    assert all(client.get(link.get_absolute_url()).status_code == 404 for link in links)


def test_editor_revokes_a_link_from_its_page(editor_client, client, scheduled, share, editor):
    link = share(scheduled)
    revoke_url = reverse("admin:releases_sharelink_revoke", args=[link.pk])
    assert f'href="{revoke_url}"' in editor_client.get(link_change_url(link)).content.decode()
    assert editor_client.get(revoke_url).status_code == 200
    assert client.get(link.get_absolute_url()).status_code == 200
    response = editor_client.post(revoke_url)
    assert response["Location"] == link_change_url(link)
    link.refresh_from_db()
    assert link.revoked_by == editor
    assert client.get(link.get_absolute_url()).status_code == 404
    assert f'href="{revoke_url}"' not in editor_client.get(link_change_url(link)).content.decode()


def test_press_staff_may_not_see_or_revoke_links(press_client, scheduled, share):
    link = share(scheduled)
    assert press_client.get(SHARE_LIST).status_code == 403
    assert press_client.get(link_change_url(link)).status_code == 403
    assert press_client.post(reverse("admin:releases_sharelink_revoke", args=[link.pk])).status_code == 403
    link.refresh_from_db()
    assert link.is_active


@pytest.mark.parametrize("user", ["editor_client", "administrator_client"])
def test_links_and_their_log_are_never_deleted_from_the_admin(request, scheduled, share, user):
    client = request.getfixturevalue(user)
    link = share(scheduled)
    delete_url = reverse("admin:releases_sharelink_delete", args=[link.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert delete_url not in client.get(link_change_url(link)).content.decode()
    actions = dict(client.get(SHARE_LIST).context["action_form"].fields["action"].choices)
    assert "revoke_selected" in actions
    assert "delete_selected" not in actions
    assert ShareLink.objects.filter(pk=link.pk).exists()


def test_editor_deletes_a_release_with_its_share_links(editor_client, client, scheduled, share):
    link = share(scheduled)
    client.get(link.get_absolute_url())
    delete_url = reverse("admin:releases_release_delete", args=[scheduled.pk])
    assert editor_client.get(delete_url).context["perms_lacking"] == set()
    response = editor_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not ShareLink.objects.exists()
    assert not ShareLinkView.objects.exists()


@pytest.mark.parametrize("object_id", ["999999", "abc", "8d40cce9-1591-47f6-9e83-092ad8542405"])
def test_revoking_an_unknown_link_is_not_found(editor_client, object_id):
    assert editor_client.get(reverse("admin:releases_sharelink_revoke", args=[object_id])).status_code == 404
