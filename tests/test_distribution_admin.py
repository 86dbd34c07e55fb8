"""Media distribution in the admin: who may do what, the send page, the
release's distribution page (its query count whatever the number of
recipients), revocation, notices and corrections."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from distribution import services
from distribution.models import Distribution, MediaContact, MediaList, Recipient
from outbox.models import Message
from releases.models import Release, ShareLink, ShareLinkView, WorkflowEvent
from releases.roles import EDITORS, PRESS_STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargo():
    return (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)


@pytest.fixture
def release(make_release, embargo):
    return make_release(title="Customs talks", status=Release.Status.PUBLISHED, published_at=embargo)


def make_contacts(count, start=0):
    return MediaContact.objects.bulk_create(
        MediaContact(name=f"Journalist {n:04d}", outlet="Outlet", email=f"j{n}@example.com", language="en")
        for n in range(start, start + count)
    )


@pytest.fixture
def press_list(db):
    media_list = MediaList.objects.create(name="Accredited foreign media")
    media_list.contacts.set(make_contacts(3))
    return media_list


def send_form(embargo, **extra):
    local = timezone.localtime(embargo)
    return {"embargo_until_0": local.date().isoformat(), "embargo_until_1": local.strftime("%H:%M"), **extra}


def send_url(release):
    return reverse("admin:distribution_send", args=[release.pk])


def tracing_url(release):
    return reverse("admin:distribution_release", args=[release.pk])


def permissions(role):
    group = Group.objects.get(name=role)
    return set(group.permissions.filter(content_type__app_label="distribution").values_list("codename", flat=True))


def test_press_staff_keep_contacts_and_lists_and_editors_also_send_and_delete():
    keep = {f"{action}_{model}" for model in ("mediacontact", "medialist") for action in ("add", "change", "view")}
    assert permissions(PRESS_STAFF) == keep
    delete = {"delete_mediacontact", "delete_medialist"}
    assert permissions(EDITORS) == keep | delete | {"send_distribution", "view_distribution", "view_recipient"}


def test_staff_without_a_role_see_no_contact(client, staff_user):
    MediaContact.objects.create(name="Aysel", email="aysel@example.az")
    client.force_login(staff_user)
    assert client.get(reverse("admin:distribution_mediacontact_changelist")).status_code == 403


def test_the_admin_history_names_a_contact_by_number_only(press_client):
    response = press_client.post(
        reverse("admin:distribution_mediacontact_add"),
        {"name": "Aysel Mammadova", "email": "aysel@example.az", "language": "az", "notify_when_public": "on"},
    )
    assert response.status_code == 302
    contact = MediaContact.objects.get()
    entry = LogEntry.objects.get()
    assert "Aysel" not in entry.object_repr and "aysel@" not in entry.object_repr
    assert str(contact.pk) in entry.object_repr


def test_an_address_taken_in_another_case_is_a_form_error(press_client):
    MediaContact.objects.create(name="Aysel", email="aysel@example.az")
    response = press_client.post(
        reverse("admin:distribution_mediacontact_add"),
        {"name": "A. M.", "email": "AYSEL@example.az", "language": "az"},
    )
    assert response.status_code == 200
    assert "exists already" in str(response.context["adminform"].form.non_field_errors())
    assert MediaContact.objects.count() == 1


def test_the_contact_list_costs_the_same_for_many_contacts(press_client, django_assert_max_num_queries):
    make_contacts(120)
    # Session (read and saved), user, permissions (2), the two counts, the
    # page: none per contact.
    with django_assert_max_num_queries(10):
        response = press_client.get(reverse("admin:distribution_mediacontact_changelist"))
    assert response.status_code == 200


def test_a_list_page_shows_its_members_by_hand_and_by_rule(press_client, press_list):
    MediaContact.objects.create(name="Olga", email="olga@example.ru", language="ru")
    press_list.rule_language = "ru"
    press_list.save()
    response = press_client.get(reverse("admin:distribution_medialist_change", args=[press_list.pk]))
    assert "4: " in response.content.decode() and "Olga" in response.content.decode()


def test_press_staff_preview_a_send_but_have_no_send_button(press_client, release, press_list, embargo):
    response = press_client.post(send_url(release), send_form(embargo, lists=[press_list.pk], _preview="1"))
    assert response.status_code == 200
    assert b"send-preview" in response.content and b"Journalist 0001" in response.content
    assert b'name="_send"' not in response.content
    response = press_client.post(send_url(release), send_form(embargo, lists=[press_list.pk], _send="1"))
    assert not Recipient.objects.exists()


def test_an_editor_previews_then_sends_and_lands_on_the_distribution_page(
    editor_client, release, press_list, embargo, django_capture_on_commit_callbacks
):
    response = editor_client.post(send_url(release), send_form(embargo, lists=[press_list.pk], _preview="1"))
    assert b'name="_send"' in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(send_url(release), send_form(embargo, lists=[press_list.pk], _send="1"))
    assert response.status_code == 302 and response.url == tracing_url(release)
    assert Recipient.objects.count() == 3
    assert Message.objects.filter(kind="distribution").count() == 3


def test_the_preview_says_which_versions_go_and_why_another_does_not(
    editor_client, make_release, release, press_list, embargo
):
    make_release(
        title="Gömrük danışıqları",
        language="az",
        translation_key=release.translation_key,
        status=Release.Status.PUBLISHED,
        published_at=embargo - timedelta(hours=2),
    )
    response = editor_client.post(send_url(release), send_form(embargo, lists=[press_list.pk], _preview="1"))
    summary = response.content.decode()
    assert "Versions sent: English</li>" in summary
    assert "Version not sent (Azerbaijani): The release goes public at" in summary


def test_the_embargo_offered_is_a_scheduled_release_s_publication_time(editor_client, make_release, release, embargo):
    assert editor_client.get(send_url(release)).context["form"].initial == {"embargo_until": embargo}
    # Public already: its publication time is past, nothing to offer.
    assert editor_client.get(send_url(make_release())).context["form"].initial == {}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"embargo_until_0": "2001-01-01", "embargo_until_1": "10:00"}, "in the future"),
        ({"lists": []}, "at least one"),
        ({"embargo_until_0": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_sent(editor_client, release, press_list, embargo, form, message):
    data = {**send_form(embargo, lists=[press_list.pk], _send="1"), **form}
    response = editor_client.post(send_url(release), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_list_of_nobody_is_a_form_error(editor_client, release, embargo):
    empty = MediaList.objects.create(name="Empty")
    response = editor_client.post(send_url(release), send_form(embargo, lists=[empty.pk], _send="1"))
    assert "Nobody to send to" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_public_release_cannot_be_sent_from_the_admin(editor_client, make_release, press_list, embargo):
    public = make_release()
    response = editor_client.post(send_url(public), send_form(embargo, lists=[press_list.pk], _send="1"))
    assert "public already" in response.content.decode()
    assert not ShareLink.objects.exists()


@pytest.fixture
def sent(release, press_list, editor, embargo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.send_under_embargo(release=release, user=editor, embargo_until=embargo, lists=[press_list])


def add_views(distribution, per_recipient):
    views = [
        ShareLinkView(
            link_id=recipient.share_link_id, ip_address=f"10.0.{n}.{recipient.pk % 250}", user_agent=f"UA {n}"
        )
        for recipient in distribution.recipients.all()
        for n in range(per_recipient)
    ]
    ShareLinkView.objects.bulk_create(views)
    # Written in bulk, as an import would: no view counted as it is logged.
    distribution.recipients.count_views()


def test_the_distribution_page_shows_each_recipient_s_views_and_flags_many_addresses(editor_client, release, sent):
    add_views(sent, 3)
    response = editor_client.get(tracing_url(release))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="flagged"') == 3 and "10.0.2." in content and "UA 2" in content
    assert "delivered" in content


def test_the_distribution_page_costs_the_same_for_many_recipients(
    editor_client, release, sent, press_list, editor, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Session, user, permissions (2), the release, the count, the page, the
    # addresses seen, the summary, change notes, the stop's send and step.
    with django_assert_max_num_queries(15) as few:
        editor_client.get(tracing_url(release))
    press_list.contacts.add(*make_contacts(150, start=100))
    Recipient.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        many = services.send_under_embargo(
            release=release, user=editor, embargo_until=release.published_at, lists=[press_list]
        )
    add_views(many, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(tracing_url(release))
    assert response.context["page"].paginator.count == 153


def test_the_distribution_page_filters_by_name_and_by_flag(editor_client, release, sent):
    add_views(Distribution.objects.get(), 1)
    response = editor_client.get(tracing_url(release), {"q": "0001"})
    assert [row.contact.name for row in response.context["page"]] == ["Journalist 0001"]
    response = editor_client.get(tracing_url(release), {"flagged": "1", "page": "x"})
    assert list(response.context["page"]) == []


def test_control_characters_in_the_search_are_spaces(editor_client, release, sent):
    """PostgreSQL refuses a NUL in a query: it was a 500."""
    response = editor_client.get(tracing_url(release), {"q": "Journalist\x000001"})
    assert response.status_code == 200
    assert [row.contact.name for row in response.context["page"]] == ["Journalist 0001"]


def test_press_staff_may_not_see_the_distribution_page_nor_revoke(press_client, release, sent):
    assert press_client.get(tracing_url(release)).status_code == 403
    revoke = reverse("admin:distribution_revoke", args=[release.pk])
    assert press_client.post(revoke, {"all": "1"}).status_code == 403
    assert not ShareLink.objects.filter(revoked_at__isnull=False).exists()


def test_an_editor_revokes_one_link_then_all(editor_client, release, sent):
    revoke = reverse("admin:distribution_revoke", args=[release.pk])
    first = Recipient.objects.order_by("pk").first()
    assert editor_client.post(revoke, {"recipient": first.pk}).status_code == 302
    assert list(ShareLink.objects.filter(revoked_at__isnull=False)) == [first.share_link]
    assert editor_client.post(revoke, {"recipient": "nonsense"}).status_code == 302
    assert editor_client.post(revoke, {"recipient": "²"}).status_code == 302
    assert ShareLink.objects.filter(revoked_at__isnull=False).count() == 1
    assert b"Revoke every link" in editor_client.get(revoke).content
    editor_client.post(revoke, {"all": "1"})
    assert not ShareLink.objects.filter(revoked_at__isnull=True).exists()


def test_notify_is_offered_once_the_links_stop_and_sends_the_texts(
    editor_client, release, sent, editor, django_capture_on_commit_callbacks
):
    notify = reverse("admin:distribution_notify", args=[release.pk])
    assert editor_client.get(notify).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        release.transition(Release.Status.DRAFT, user=editor)
    assert b"Notify recipients" in editor_client.get(tracing_url(release)).content
    form = editor_client.get(notify)
    assert "will not be published" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(notify, {"en": "Please do not publish it."})
    notices = Message.objects.filter(key__startswith="stopped:")
    assert notices.count() == 3 and "Please do not publish it." in notices.first().text


def test_revoking_all_and_notifying_share_one_frame_back_to_the_distribution_page(editor_client, release, sent, editor):
    Release.objects.filter(pk=release.pk).update(status=Release.Status.DRAFT, published_at=None)
    WorkflowEvent.objects.create(release=release, actor=editor, action=WorkflowEvent.Action.UNSCHEDULED)
    for name, button in [("revoke", "Revoke every link"), ("notify", "Notify recipients")]:
        response = editor_client.get(reverse(f"admin:distribution_{name}", args=[release.pk]))
        assert "admin/distribution/tracing_step.html" in [template.name for template in response.templates]
        page = response.content.decode()
        assert f'value="{button}"' in page
        assert page.count(f'href="{tracing_url(release)}"') == 2  # the breadcrumb and Cancel


def test_send_correction_mails_the_change_note(editor_client, release, sent, editor):
    note = release.change_notes.create(note="Corrected the date", author=editor)
    correction = reverse("admin:distribution_correction", args=[release.pk])
    assert editor_client.post(correction, {"change_note": note.pk}).status_code == 302
    assert Message.objects.filter(key__startswith=f"correction:{note.pk}:").count() == 3
    assert editor_client.post(correction, {"change_note": "0"}).status_code == 404
    assert editor_client.post(correction, {"change_note": "²"}).status_code == 404


def test_the_list_of_sends_is_for_editors(client, editor, press_user, sent, django_assert_max_num_queries):
    client.force_login(editor)
    # Session (read and saved), user, permissions (2), the counts, the page,
    # the date hierarchy (2): none per send.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:distribution_distribution_changelist"))
    assert response.status_code == 200 and b"Customs talks" in response.content
    client.force_login(press_user)
    assert client.get(reverse("admin:distribution_distribution_changelist")).status_code == 403
