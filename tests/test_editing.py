"""Who may change what (issue 13, attack 2; issue 14, item 1): press staff
change drafts and releases in review; what an editor has approved (a release
published, scheduled or withdrawn, and the events, delegations, departments
and tags such a release shows) only editors change, and each of their
changes is in the audit trail. The rules are the workflow's
(releases.models.workflow); the admin renders them."""

from datetime import timedelta

import pytest
import reversion
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases.admin.media import DocumentInline, GalleryInline
from releases.models import Event, Release, Tag, WorkflowEvent
from releases.services import restore_revision
from tests.test_admin import change_form, form_of, messages_of, release_change_url
from tests.test_revisions import event_form

pytestmark = pytest.mark.django_db

Status = Release.Status
A = WorkflowEvent.Action

APPROVED = {
    "published": {"status": Status.PUBLISHED},
    "scheduled": {"status": Status.PUBLISHED, "published_at_in": timedelta(days=2)},
    "withdrawn": {"status": Status.WITHDRAWN},
}


@pytest.fixture(params=sorted(APPROVED))
def approved(request, make_release):
    fields = dict(APPROVED[request.param])
    if later := fields.pop("published_at_in", None):
        fields["published_at"] = timezone.now() + later
    return make_release(title="As the editor approved it", tags=["WCO"], **fields)


# Releases


def test_press_staff_see_an_approved_release_read_only_and_why(press_client, approved):
    response = press_client.get(release_change_url(approved))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert any("only editors may change it now" in message for message in messages_of(response))


@pytest.mark.parametrize(
    "change",
    [{"title": "Changed by press staff"}, {"tags": "Rumour"}, {"language": "az"}, {"body": "<p>Other text.</p>"}],
)
def test_press_staff_change_nothing_of_an_approved_release(press_client, approved, change):
    before = Release.objects.filter(pk=approved.pk).values().get()
    response = press_client.post(release_change_url(approved), change_form(approved, **change))
    assert response.status_code == 403
    assert Release.objects.filter(pk=approved.pk).values().get() == before
    assert list(approved.tags.names()) == ["WCO"]


def test_photos_and_documents_of_an_approved_release_are_read_only_to_press_staff(press_user, editor, approved):
    request = RequestFactory().get("/")
    for inline in (GalleryInline, DocumentInline):
        model_admin = inline(Release, admin.site)
        request.user = press_user
        assert not model_admin.has_add_permission(request, approved)
        assert not model_admin.has_change_permission(request, approved)
        request.user = editor
        assert model_admin.has_add_permission(request, approved)


def test_press_staff_may_not_restore_an_old_text_of_an_approved_release(press_client, press_user, make_release):
    with reversion.create_revision():
        release = make_release(title="The first text")
    with reversion.create_revision():
        release.title = "The approved text"
        release.save()
    first = Version.objects.get_for_object(release).last()
    url = reverse("admin:releases_release_restore", args=[release.pk, first.pk])
    assert press_client.post(url).status_code == 403
    with pytest.raises(ValidationError) as error:
        restore_revision(release=release, version=first, user=press_user)
    assert error.value.code == "editors_only"
    release.refresh_from_db()
    assert release.title == "The approved text"


def test_an_editors_edit_of_an_approved_release_is_in_the_audit_trail(editor_client, editor, approved):
    response = editor_client.post(
        release_change_url(approved),
        change_form(approved, with_published_at=True, title="Corrected", tags="WCO, Transit"),
    )
    assert response.status_code == 302
    event = approved.workflow_events.get()
    assert (event.action, event.actor, event.comment) == (A.EDITED, editor, "Changed: Title, Tags.")


def test_an_editors_save_that_changes_nothing_leaves_no_trace(editor_client, approved):
    editor_client.post(release_change_url(approved), change_form(approved, with_published_at=True))
    assert not approved.workflow_events.exists()


def test_an_edit_of_a_draft_is_not_in_the_audit_trail(press_client, make_release):
    draft = make_release(status=Status.DRAFT)
    press_client.post(release_change_url(draft), change_form(draft, title="Still a draft"))
    assert not WorkflowEvent.objects.exists()


# The one function that every path asks


def test_check_edit_refuses_press_staff_on_approved_releases_only(press_user, make_release):
    for status in (Status.DRAFT, Status.IN_REVIEW):
        make_release(status=status).check_edit(press_user, {"title": "Fine"})
    with pytest.raises(ValidationError) as error:
        make_release().check_edit(press_user, {"title": "Not fine"})
    assert error.value.code == "editors_only"


def test_check_edit_keeps_the_publication_time_and_reason_for_editors(press_user, make_release):
    with pytest.raises(ValidationError) as error:
        make_release(status=Status.DRAFT).check_edit(press_user, {"published_at": timezone.now()})
    assert error.value.error_dict["published_at"][0].code == "permission_denied"


def test_check_edit_refuses_a_later_time_for_a_public_release(editor, make_release):
    with pytest.raises(ValidationError) as error:
        make_release().check_edit(editor, {"published_at": timezone.now() + timedelta(days=1)})
    assert error.value.error_dict["published_at"][0].code == "already_public"


# Events, delegations, departments and tags that the public sees


def test_press_staff_may_not_rename_a_tag_an_approved_release_carries(press_client, approved):
    tag = Tag.objects.get(name="WCO")
    response = press_client.post(reverse("admin:releases_tag_change", args=[tag.pk]), {"name": "W.C.O.", "slug": "wco"})
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.name == "WCO"


def test_press_staff_rename_a_tag_only_drafts_carry(press_client, make_release):
    make_release(status=Status.DRAFT, tags=["Draft tag"])
    tag = Tag.objects.get()
    response = press_client.post(
        reverse("admin:releases_tag_change", args=[tag.pk]), {"name": "Drafted", "slug": tag.slug}
    )
    assert response.status_code == 302
    assert not WorkflowEvent.objects.exists()


def test_an_editors_rename_of_a_public_tag_is_in_the_audit_trail(editor_client, editor, approved):
    tag = Tag.objects.get(name="WCO")
    editor_client.post(reverse("admin:releases_tag_change", args=[tag.pk]), {"name": "W.C.O.", "slug": "wco"})
    event = WorkflowEvent.objects.get()
    assert (event.action, event.actor, event.release, event.release_title) == (A.EDITED, editor, None, "Tag: W.C.O.")


@pytest.mark.parametrize("kind", ["event", "delegation", "department"])
def test_press_staff_may_not_change_what_an_approved_release_shows(press_client, make_release, delegation, kind):
    release = make_release(event=delegation.event)
    release.delegations.add(delegation)
    owner = {"event": delegation.event, "delegation": delegation, "department": release.department}[kind]
    url = reverse(f"admin:releases_{kind}_change", args=[owner.pk])
    assert not press_client.get(url).context["has_change_permission"]
    assert press_client.post(url, {}).status_code == 403


def test_press_staff_change_an_event_no_approved_release_shows(press_client, make_release, event):
    make_release(status=Status.IN_REVIEW, event=event)
    assert press_client.get(reverse("admin:releases_event_change", args=[event.pk])).context["has_change_permission"]


def test_only_editors_publish_an_event(client, press_user, editor, event):
    url = reverse("admin:releases_event_change", args=[event.pk])
    data = event_form(event, published="on")
    client.force_login(press_user)
    assert "published" not in form_of(client.get(url)).fields
    client.post(url, data)
    assert not Event.objects.get().published
    client.force_login(editor)
    assert client.post(url, data).status_code == 302
    assert Event.objects.get().published
    assert WorkflowEvent.objects.get().comment == "Changed: Published by an editor."
