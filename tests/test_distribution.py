"""Media distribution (distribution/): who receives a release under embargo
in which language, the send with a link of its own per recipient, tracing,
revocation, the embargo lifting, withdrawal, corrections and the deletion
of a contact's data."""

from datetime import date, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from distribution import services, tracing
from distribution.models import LINK_NOTE, MediaContact, MediaList, Recipient
from outbox import services as outbox_services
from outbox.models import Message
from releases import announcements, events
from releases.models import AnnouncementMarker, Release, ShareLink, ShareLinkView, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargo():
    return (timezone.now() + timedelta(days=2)).replace(microsecond=0)


@pytest.fixture
def release(make_release, embargo, editor):
    """A release scheduled for the embargo's end, in English, with an
    Azerbaijani version scheduled too (and no Russian one)."""
    english = make_release(title="Customs talks in Brussels", status=Release.Status.PUBLISHED, published_at=embargo)
    make_release(
        title="Brüsseldə gömrük danışıqları",
        language="az",
        translation_key=english.translation_key,
        status=Release.Status.PUBLISHED,
        published_at=embargo,
    )
    return english


@pytest.fixture
def contacts(db):
    return {
        "aysel": MediaContact.objects.create(
            name="Aysel Mammadova", outlet="APA", email="aysel@example.az", language="az"
        ),
        "john": MediaContact.objects.create(
            name="John Smith", outlet="Reuters", email="john@example.com", language="en"
        ),
        "olga": MediaContact.objects.create(
            name="Olga Ivanova", outlet="TASS", email="olga@example.ru", language="ru", notify_when_public=False
        ),
    }


@pytest.fixture
def everyone(contacts):
    media_list = MediaList.objects.create(name="Accredited foreign media")
    media_list.contacts.set(contacts.values())
    return media_list


@pytest.fixture
def send(editor, embargo, django_capture_on_commit_callbacks):
    """send(release, lists=[...], contacts=[...]): a send, its mails written
    and delivered as after the commit."""

    def send(release, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_under_embargo(release=release, user=editor, embargo_until=embargo, **kwargs)

    return send


def link_of(contact):
    return Recipient.objects.select_related("share_link").get(contact=contact).share_link.get_absolute_url()


def mail_to(address):
    [message] = [message for message in django_mail.outbox if address in message.to]
    return message


def test_each_contact_gets_the_version_in_their_language_or_the_release_s(release, everyone, contacts, editor, embargo):
    plan = services.plan(release, user=editor, embargo_until=embargo, lists=[everyone])
    versions = {contact.name: (version.language, fell_back) for contact, version, fell_back in plan.recipients}
    assert versions == {"Aysel Mammadova": ("az", False), "John Smith": ("en", False), "Olga Ivanova": ("en", True)}
    assert plan.languages() == {"az": 1, "en": 2}


def test_a_contact_in_several_lists_and_chosen_by_hand_is_counted_once(release, everyone, contacts, editor, embargo):
    other = MediaList.objects.create(name="Economic press")
    other.contacts.add(contacts["john"])
    plan = services.plan(
        release, user=editor, embargo_until=embargo, lists=[everyone, other], contacts=[contacts["john"]]
    )
    assert len(plan.recipients) == 3


def test_contacts_with_an_expired_accreditation_are_left_out(release, everyone, contacts, editor, embargo):
    contacts["john"].accredited_until = timezone.localdate() - timedelta(days=1)
    contacts["john"].save()
    plan = services.plan(release, user=editor, embargo_until=embargo, lists=[everyone])
    assert [contact.name for contact in plan.not_accredited] == ["John Smith"]
    assert len(plan.recipients) == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Release.Status.DRAFT, "author": "editor"}, "you wrote it"),
        ({"published_at": "earlier"}, "the embargo cannot end later"),
        ({"status": Release.Status.WITHDRAWN, "withdrawal_reason": "Issued in error."}, "withdrawn"),
    ],
)
def test_a_version_that_may_not_go_is_held_back_and_its_readers_get_the_release(
    release, everyone, send, editor, embargo, settings, change, reason
):
    """Another language version obeys the rules of a send of its own: the
    four-eyes rule for its author, no embargo past its publication."""
    settings.PRESSROOM_FOUR_EYES = True
    values = {"editor": editor, "earlier": embargo - timedelta(hours=2)}
    azerbaijani = Release.objects.get(translation_key=release.translation_key, language="az")
    Release.objects.filter(pk=azerbaijani.pk).update(
        **{name: values.get(value, value) for name, value in change.items()}
    )
    plan = services.plan(release, user=editor, embargo_until=embargo, lists=[everyone])
    assert list(plan.versions) == ["en"]
    assert [version.pk for version, _why in plan.held_back] == [azerbaijani.pk]
    assert reason in plan.held_back[0][1]
    send(release, lists=[everyone])
    assert set(Recipient.objects.values_list("release__language", "fell_back")) == {("en", False), ("en", True)}


def test_a_saved_rule_finds_contacts_by_language_and_beats(release, contacts, department):
    economy = Tag.objects.for_names(["Economy"])["economy"]
    contacts["aysel"].tags.add(economy)
    contacts["john"].departments.add(department)
    rule = MediaList.objects.create(name="Economic press", rule_language="az")
    rule.rule_tags.add(economy)
    assert list(rule.members()) == [contacts["aysel"]]
    by_department = MediaList.objects.create(name="Press department")
    by_department.rule_departments.add(department)
    assert list(by_department.members()) == [contacts["john"]]
    by_language = MediaList.objects.create(name="Russian press", rule_language="ru")
    assert list(by_language.members()) == [contacts["olga"]]


def test_a_send_gives_each_recipient_a_link_of_their_own_in_a_mail_in_their_language(release, everyone, send):
    distribution = send(release, lists=[everyone])
    links = ShareLink.objects.filter(recipient__distribution=distribution)
    assert links.count() == 3 and len({link.token for link in links}) == 3
    assert Message.objects.filter(kind="distribution").count() == 3
    aysel, john, olga = mail_to("aysel@example.az"), mail_to("john@example.com"), mail_to("olga@example.ru")
    assert "Brüsseldə" in aysel.body and "Hörmətli" in aysel.body
    assert "Customs talks in Brussels" in john.body and "Dear John Smith" in john.body
    # Olga reads Russian; there is no Russian version, and her mail says so.
    assert "Уважаемый" in olga.body or "Уважаемая" in olga.body
    assert "English" in olga.body
    for message, contact in [(aysel, "aysel"), (john, "john"), (olga, "olga")]:
        recipient = Recipient.objects.get(contact__email=message.to[0])
        assert recipient.share_link.get_absolute_url() in message.body, contact
    assert all(
        link.get_absolute_url() not in john.body for link in links if link.recipient.contact.name != "John Smith"
    )


def test_the_mail_gives_the_embargo_in_baku_time_and_utc(release, everyone, send, embargo):
    send(release, lists=[everyone])
    body = mail_to("john@example.com").body
    baku = embargo.astimezone(ZoneInfo("Asia/Baku"))
    utc = embargo.astimezone(ZoneInfo("UTC"))
    assert baku.strftime("%H:%M") in body and utc.strftime("%H:%M") in body
    assert "Baku" in body and "UTC" in body


def test_the_mails_are_written_once_however_often_the_task_runs(release, everyone, send):
    distribution = send(release, lists=[everyone])
    assert services.write_mails(distribution.pk) == 0
    assert Message.objects.filter(kind="distribution").count() == 3


def test_a_lost_task_is_finished_by_the_periodic_sweep(release, everyone, editor, embargo):
    # No commit callbacks run: the task that writes the mails never comes.
    distribution = services.send_under_embargo(release=release, user=editor, embargo_until=embargo, lists=[everyone])
    assert not Message.objects.exists()
    assert not services.pending_distributions().exists()
    distribution.__class__.objects.filter(pk=distribution.pk).update(sent_at=timezone.now() - timedelta(minutes=2))
    from distribution.tasks import write_pending_mails

    assert write_pending_mails() == 3
    assert Message.objects.filter(kind="distribution").count() == 3


def test_nobody_is_sent_the_same_release_twice(release, everyone, send, contacts):
    send(release, lists=[everyone])
    with pytest.raises(ValidationError) as refused:
        send(release, lists=[everyone])
    assert refused.value.code == "nobody"
    # Not even through the other language version.
    with pytest.raises(ValidationError):
        send(Release.objects.get(language="az"), contacts=[contacts["aysel"]])
    assert Recipient.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": Release.Status.PUBLISHED, "published_at": timezone.now() - timedelta(hours=1)}, "public"),
        (
            {
                "status": Release.Status.WITHDRAWN,
                "withdrawal_reason": "Issued in error.",
                "withdrawn_at": timezone.now(),
            },
            "withdrawn",
        ),
    ],
)
def test_a_public_or_withdrawn_release_is_not_sent(release, everyone, send, change, code):
    Release.objects.filter(pk=release.pk).update(**change)
    release.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        send(release, lists=[everyone])
    assert refused.value.code == code
    assert not Recipient.objects.exists() and not ShareLink.objects.exists()


def test_an_embargo_in_the_past_or_after_publication_is_refused(release, everyone, editor):
    for moment, code in [
        (timezone.now() - timedelta(minutes=1), "embargo_past"),
        (release.published_at + timedelta(hours=1), "embargo_after_publication"),
        (timezone.now() + timedelta(days=200), "embargo_too_late"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.send_under_embargo(release=release, user=editor, embargo_until=moment, lists=[everyone])
        assert refused.value.code == code
    assert not ShareLink.objects.exists()


def test_a_send_locks_every_language_version_of_the_release(release, everyone, editor, embargo):
    """Two editors sending two versions at once would both plan the same
    contact: the second waits for the first, then leaves them out."""
    with CaptureQueriesContext(connection) as queries:
        services.send_under_embargo(release=release, user=editor, embargo_until=embargo, lists=[everyone])
    locks = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"] and "releases_release" in query["sql"]]
    if connection.features.has_select_for_update:
        assert len(locks) == 1 and "translation_key" in locks[0].split("WHERE")[1]
    azerbaijani = Release.objects.get(translation_key=release.translation_key, language="az")
    with pytest.raises(ValidationError) as refused:
        services.send_under_embargo(release=azerbaijani, user=editor, embargo_until=embargo, lists=[everyone])
    assert refused.value.code == "nobody"


def test_a_list_that_resolves_to_nobody_sends_nothing(release, send):
    with pytest.raises(ValidationError) as refused:
        send(release, lists=[MediaList.objects.create(name="Empty")])
    assert refused.value.code == "nobody"
    assert not ShareLink.objects.exists()


def test_press_staff_may_not_send(release, everyone, press_user, embargo):
    with pytest.raises(PermissionDenied):
        services.send_under_embargo(release=release, user=press_user, embargo_until=embargo, lists=[everyone])


def test_the_four_eyes_rule_keeps_an_author_from_sending_their_release(release, everyone, editor, embargo, settings):
    settings.PRESSROOM_FOUR_EYES = True
    Release.objects.filter(pk=release.pk).update(author=editor)
    release.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.send_under_embargo(release=release, user=editor, embargo_until=embargo, lists=[everyone])
    assert refused.value.code == "four_eyes"
    assert not services.may_send(release, user=editor)


def test_views_are_attributed_to_each_recipient_and_many_addresses_are_flagged(
    client, release, everyone, send, contacts
):
    send(release, lists=[everyone])
    client.get(link_of(contacts["john"]), REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT="JohnBrowser")
    for address in ["10.0.0.2", "10.0.0.3", "10.0.0.4"]:
        client.get(link_of(contacts["aysel"]), REMOTE_ADDR=address, HTTP_USER_AGENT="Leaky")
    rows = {row.contact.name: row for row in tracing.figures(list(tracing.recipients(release)))}
    assert rows["John Smith"].view_count == 1 and rows["John Smith"].address_count == 1
    assert rows["Aysel Mammadova"].view_count == 3 and rows["Aysel Mammadova"].address_count == 3
    assert rows["Olga Ivanova"].view_count == 0 and rows["Olga Ivanova"].first_view_at is None
    assert [row.contact.name for row in tracing.figures(list(tracing.recipients(release, flagged=True)))] == [
        "Aysel Mammadova"
    ]
    seen = tracing.seen(list(rows.values()))
    assert seen[rows["John Smith"].pk].addresses == ["10.0.0.1"]
    assert seen[rows["John Smith"].pk].browsers == ["JohnBrowser"]
    summary = tracing.summary(release)
    assert summary["recipients"] == 3 and summary["opened"] == 2 and summary["flagged"] == 1
    assert summary["delivered"] == 3


def test_each_view_counts_in_its_recipient_s_kept_figures_as_it_is_logged(client, release, everyone, send, contacts):
    send(release, lists=[everyone])
    aysel = Recipient.objects.get(contact=contacts["aysel"])
    link = aysel.share_link
    first = timezone.now()
    for seconds, address in [(0, "10.0.0.1"), (60, "10.0.0.2"), (120, "10.0.0.1"), (180, None)]:
        with mock.patch("django.utils.timezone.now", return_value=first + timedelta(seconds=seconds)):
            link.record_view(address=address, user_agent="Browser")
    aysel.refresh_from_db()
    assert aysel.view_count == 4
    # An address seen again counts once; a view without one counts as none.
    assert aysel.address_count == 2
    assert (aysel.first_view_at, aysel.last_view_at) == (first, first + timedelta(seconds=180))
    john = Recipient.objects.get(contact=contacts["john"])
    assert (john.view_count, john.address_count, john.first_view_at) == (0, 0, None)


def test_a_view_logged_late_with_an_earlier_time_keeps_first_and_last_right(release, everyone, send, contacts):
    send(release, lists=[everyone])
    john = Recipient.objects.get(contact=contacts["john"])
    now = timezone.now()
    for moment in [now, now - timedelta(hours=1), now - timedelta(minutes=30)]:
        view = ShareLinkView(link=john.share_link, ip_address="10.0.0.9")
        with mock.patch("django.utils.timezone.now", return_value=moment):
            view.save()
    john.refresh_from_db()
    assert (john.first_view_at, john.last_view_at, john.view_count) == (now - timedelta(hours=1), now, 3)


def test_the_kept_figures_are_those_the_log_gives(client, release, everyone, send, contacts):
    """count_views (and the migration that filled the figures of the
    recipients there were) gives what counting each view as logged gives."""
    send(release, lists=[everyone])
    for contact, addresses in [("john", ["10.0.0.1"]), ("aysel", ["10.0.0.2", "10.0.0.3", "10.0.0.2", "10.0.0.4"])]:
        for address in addresses:
            client.get(link_of(contacts[contact]), REMOTE_ADDR=address)
    fields = ["contact_id", "view_count", "first_view_at", "last_view_at", "address_count"]
    kept = list(Recipient.objects.order_by("pk").values_list(*fields))
    Recipient.objects.update(view_count=0, first_view_at=None, last_view_at=None, address_count=0)
    assert Recipient.objects.all().count_views() == 3
    assert list(Recipient.objects.order_by("pk").values_list(*fields)) == kept
    assert [row[1] for row in kept if row[0] == contacts["aysel"].pk] == [4]


def test_a_view_of_another_share_link_counts_for_no_recipient(
    release, everyone, send, editor, django_assert_num_queries
):
    send(release, lists=[everyone])
    # Even with the note the recipients' links are given: a link is a
    # recipient's by its row, not by anything written on it.
    plain = ShareLink.objects.create(release=release, created_by=editor, note=str(LINK_NOTE))
    with django_assert_num_queries(2):  # the view's INSERT, and the UPDATE that counts it for no one
        plain.record_view(address="10.0.0.1", user_agent="")
    assert set(Recipient.objects.values_list("view_count", flat=True)) == {0}


def test_delivery_is_read_from_the_outbox_bounced_included(release, everyone, send, contacts):
    send(release, lists=[everyone])
    Message.objects.filter(to="john@example.com").update(status="bounced")
    rows = {row.contact.name: row for row in tracing.figures(list(tracing.recipients(release)))}
    assert tracing.Delivery.label(rows["John Smith"].message.status) == "bounced"
    assert tracing.summary(release)["bounced"] == 1


def test_a_revoked_link_is_refused_while_the_others_work(client, release, everyone, send, contacts, editor):
    send(release, lists=[everyone])
    assert services.revoke(Recipient.objects.filter(contact=contacts["john"]), user=editor) == 1
    assert client.get(link_of(contacts["john"])).status_code == 404
    assert client.get(link_of(contacts["aysel"])).status_code == 200


def test_press_staff_may_not_revoke(release, everyone, send, press_user):
    send(release, lists=[everyone])
    with pytest.raises(PermissionDenied):
        services.revoke(Recipient.objects.all(), user=press_user)


def test_when_the_embargo_lifts_links_redirect_and_opted_in_recipients_hear_of_it(
    client, release, everyone, send, contacts, django_capture_on_commit_callbacks
):
    send(release, lists=[everyone])
    django_mail.outbox.clear()
    # The clock announced up to a minute ago; the embargo ended a second ago.
    AnnouncementMarker.objects.update_or_create(
        pk=1, defaults={"announced_up_to": timezone.now() - timedelta(minutes=1)}
    )
    Release.objects.filter(translation_key=release.translation_key).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        announced = announcements.announce_due_releases()
    assert len(announced) == 2
    for name in ["john", "aysel", "olga"]:
        response = client.get(link_of(contacts[name]))
        assert response.status_code == 302
    # Olga did not opt in.
    assert sorted(message.to[0] for message in django_mail.outbox) == ["aysel@example.az", "john@example.com"]
    assert Release.objects.get(pk=release.pk).get_absolute_url() in mail_to("john@example.com").body


def make_public(release, *, ago):
    Release.objects.filter(translation_key=release.translation_key).update(published_at=timezone.now() - ago)


def test_the_now_public_mails_are_written_by_a_worker_a_batch_per_transaction(
    release, everyone, send, monkeypatch, django_capture_on_commit_callbacks
):
    """The release's Publish writes no mail itself: the event hands the
    release to a task, and a failure keeps the batches written before it."""
    everyone.contacts.add(MediaContact.objects.create(name="Jane Doe", email="jane@example.com", language="en"))
    send(release, lists=[everyone])
    make_public(release, ago=timedelta(seconds=1))
    monkeypatch.setattr(services, "MAIL_BATCH", 1)
    written = []

    def now_public(recipient):
        if written:
            raise ConnectionError("the database went away")
        written.append(recipient)
        return real_now_public(recipient)

    real_now_public = services.mail.now_public
    monkeypatch.setattr(services.mail, "now_public", now_public)
    with django_capture_on_commit_callbacks(execute=True):  # the receivers' errors are logged
        events.published(
            release_id=release.pk, actor_id=None, workflow_event_id=None, published_at=timezone.now(), restored=False
        )
    assert Message.objects.filter(kind="distribution", key__startswith="public:").count() == 1
    monkeypatch.setattr(services.mail, "now_public", real_now_public)
    assert services.announce_public(release_id=release.pk) == 1  # Jane or John, the one left
    assert services.announce_public(release_id=release.pk) == 0


def test_now_public_mails_lost_with_their_task_are_written_by_the_periodic_sweep(
    release, everyone, send, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from distribution.tasks import announce_public, write_pending_mails

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    send(release, lists=[everyone])
    monkeypatch.setattr(announce_public, "delay", unreachable)
    make_public(release, ago=timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        for version in Release.objects.filter(translation_key=release.translation_key):
            events.published(
                release_id=version.pk,
                actor_id=None,
                workflow_event_id=None,
                published_at=timezone.now(),
                restored=False,
            )
    assert not Message.objects.filter(key__startswith="public:").exists()
    assert write_pending_mails() == 0  # too soon: the task may still come
    make_public(release, ago=timedelta(minutes=2))
    assert write_pending_mails() == 2  # Aysel and John; Olga did not opt in
    assert write_pending_mails() == 0
    make_public(release, ago=timedelta(days=2))
    Message.objects.filter(key__startswith="public:").delete()
    assert write_pending_mails() == 0  # long public: no more sweeping


def test_withdrawing_stops_every_link_and_recipients_can_be_told_once(
    client, release, everyone, send, contacts, editor, django_capture_on_commit_callbacks
):
    send(release, lists=[everyone])
    with django_capture_on_commit_callbacks(execute=True):
        release.transition(Release.Status.WITHDRAWN, user=editor, comment="Issued in error.")
    assert not ShareLink.objects.filter(recipient__release=release, revoked_at__isnull=True).exists()
    assert client.get(link_of(contacts["john"])).status_code == 404
    assert services.stop_occasion(release) is not None
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_stopped(release=release, user=editor, texts={"ru": "Не публикуйте."})
        services.notify_stopped(release=release, user=editor, texts={})
    # The English version's recipients: John (en) and Olga (ru, fallback).
    assert sorted(message.to[0] for message in django_mail.outbox) == ["john@example.com", "olga@example.ru"]
    assert "Не публикуйте." in mail_to("olga@example.ru").body
    assert "will not be published" in mail_to("john@example.com").body


def test_unscheduling_stops_every_link(
    client, release, everyone, send, contacts, editor, django_capture_on_commit_callbacks
):
    send(release, lists=[everyone])
    with django_capture_on_commit_callbacks(execute=True):
        release.transition(Release.Status.DRAFT, user=editor)
    assert client.get(link_of(contacts["john"])).status_code == 404
    assert client.get(link_of(contacts["aysel"])).status_code == 200  # the Azerbaijani version stays scheduled


def test_nothing_to_notify_while_the_links_work(release, everyone, send, editor):
    send(release, lists=[everyone])
    with pytest.raises(ValidationError):
        services.notify_stopped(release=release, user=editor, texts={})


def test_a_correction_goes_to_the_same_recipients_once(
    release, everyone, send, contacts, editor, django_capture_on_commit_callbacks
):
    send(release, lists=[everyone])
    services.revoke(Recipient.objects.filter(contact=contacts["olga"]), user=editor)
    note = release.change_notes.create(note="Corrected the date of the session", author=editor)
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_correction(change_note=note, user=editor)
        services.send_correction(change_note=note, user=editor)
    assert [message.to[0] for message in django_mail.outbox] == ["john@example.com"]
    assert "Corrected the date of the session" in django_mail.outbox[0].body


def test_deleting_a_contact_deletes_their_links_views_and_forgets_their_address(
    client, release, everyone, send, contacts
):
    send(release, lists=[everyone])
    client.get(link_of(contacts["john"]), REMOTE_ADDR="10.0.0.1")
    outbox_services.send(kind="distribution", key="waiting", to="john@example.com", subject="Waiting", text="A text")
    contacts["john"].delete()
    assert not Recipient.objects.filter(contact_id=contacts["john"].pk).exists()
    assert ShareLink.objects.count() == 2
    assert not ShareLinkView.objects.exists()
    assert not Message.objects.filter(to__iexact="john@example.com").exists()
    # As outbox.services.forget does: the mail still to go is deleted, the
    # one sent kept for the senders' counts, without address or text.
    assert not Message.objects.filter(key="waiting").exists()
    kept = Message.objects.exclude(to__in=["aysel@example.az", "olga@example.ru"]).get(kind="distribution")
    assert kept.status == Message.Status.SENT and kept.to.startswith("forgotten-") and kept.text == ""


def test_e_mail_addresses_are_unique_whatever_their_case(contacts):
    duplicate = MediaContact(name="J. Smith", email="JOHN@example.com", language="en")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_accreditation_today_still_counts(contacts):
    contacts["john"].accredited_until = timezone.localdate()
    contacts["john"].save()
    john = MediaContact.objects.filter(pk=contacts["john"].pk)
    assert john.with_accreditation().get().is_accredited
    assert john.accredited().exists()
    john.update(accredited_until=date(2000, 1, 1))
    assert not john.with_accreditation().get().is_accredited
    assert not john.accredited().exists()


def test_the_tracing_page_link_is_on_the_release(editor_client, release):
    response = editor_client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert reverse("admin:distribution_send", args=[release.pk]).encode() in response.content
    assert reverse("admin:distribution_release", args=[release.pk]).encode() in response.content


def test_a_send_is_saved_when_the_broker_cannot_be_reached(release, everyone, send, monkeypatch):
    from kombu.exceptions import OperationalError

    from distribution.tasks import write_mails

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(write_mails, "delay", unreachable)
    distribution = send(release, lists=[everyone])
    assert distribution.recipients.count() == 3
    assert not Message.objects.exists()
