"""E-mail alerts (alerts/): subscribing with double opt-in, what is sent to
whom and when (never early, never a release the public cannot see), the
one-click unsubscribe, and what is kept of an address. Tasks run eagerly
(the test settings); tests/test_alerts_smtp.py sends through real workers
and an SMTP server."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts import links, sending, services
from alerts.models import Frequency, Sending, Subscriber, Subscription, UnsubscribeCount
from outbox.models import Message
from releases.announcements import announce_due_releases
from releases.models import Event, Release, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    """The rate limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose on_commit callbacks (and theirs) run as it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def wco(db):
    return Tag.objects.create(name="WCO", slug="wco")


@pytest.fixture
def green(db):
    return Tag.objects.create(name="Green Customs", slug="green-customs")


@pytest.fixture
def subscribed(committed):
    """subscribed(email, ...): a confirmed subscription, its confirmation mail cleared."""

    def make(email="reader@example.org", *, language="en", frequency=Frequency.IMMEDIATELY, **scope):
        with committed():
            subscription = services.subscribe(email=email, language=language, frequency=frequency, **scope)
        services.confirm(subscription, frequency)
        mail.outbox.clear()
        return subscription

    return make


@pytest.fixture
def publish(committed, editor):
    """publish(release): an editor publishes it, and what follows runs."""

    def run(release, **kwargs):
        with committed():
            release.publish(user=editor, **kwargs)
        return release

    return run


@pytest.fixture
def draft(make_release):
    return lambda **fields: make_release(status=Release.Status.DRAFT, **fields)


def alerts_sent():
    return [message for message in mail.outbox if message.subject != "Confirm your subscription to press releases"]


def recipients():
    return sorted(to for message in alerts_sent() for to in message.to)


# Subscribing


def test_subscribing_sends_only_a_confirmation_with_a_link(client, committed):
    with committed():
        response = client.post(reverse("alerts:subscribe"), {"email": "Reader@Example.org", "frequency": "daily"})
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:subscribe-sent")
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "confirm" in message.subject.lower()
    assert Subscription.objects.get().confirmed_at is None
    assert re.search(r"/alerts/confirm/[^/\s]+/", message.body)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client, subscribed, committed):
    subscribed("known@example.org")
    answers = []
    for address in ("known@example.org", "unknown@example.org"):
        with committed():
            response = client.post(reverse("alerts:subscribe"), {"email": address, "frequency": "immediately"})
        answers.append((response.status_code, response["Location"], response.content))
    assert answers[0] == answers[1]
    # Each gets a confirmation mail, and the known address stays as it was until it confirms.
    assert sorted(message.to[0] for message in mail.outbox) == ["known@example.org", "unknown@example.org"]


def test_a_confirmation_link_confirms_on_post_only(client, committed):
    with committed():
        client.post(reverse("alerts:subscribe"), {"email": "reader@example.org", "frequency": "daily"})
    url = re.search(r"https?://\S+/alerts/confirm/\S+/", mail.outbox[0].body).group()
    path = url.split("://", 1)[1].partition("/")[2]
    assert client.get(f"/{path}").status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    response = client.post(f"/{path}")
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.frequency == Frequency.DAILY


def test_an_expired_or_forged_confirmation_link_confirms_nothing(client, committed, settings):
    with committed():
        subscription = services.subscribe(email="reader@example.org", language="en", frequency="immediately")
    url = links.confirm_url(subscription, "immediately").split("://", 1)[1].partition("/")[2]
    with mock.patch("time.time", return_value=timezone.now().timestamp() + 8 * 24 * 3600):
        assert client.post(f"/{url}").status_code == 404
    assert client.post(f"/{url[:-3]}xyz/").status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_the_page_filters_become_the_subscription(client, committed, wco, green, department, event):
    Event.objects.filter(pk=event.pk).update(published=True)
    with committed():
        response = client.post(
            "/ru" + reverse("alerts:subscribe"),
            {
                "email": "reader@example.org",
                "frequency": "immediately",
                "tag": ["wco", "green-customs"],
                "department": department.slug,
                "event": event.slug,
            },
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.language == "ru"
    assert set(subscription.tags.all()) == {wco, green}
    assert (subscription.department, subscription.event) == (department, event)
    assert mail.outbox[0].subject == "Подтвердите подписку на пресс-релизы"


def test_unknown_filters_are_a_form_error_not_a_server_error(client):
    response = client.post(reverse("alerts:subscribe"), {"email": "r@example.org", "frequency": "x", "tag": "no-such"})
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert client.get(reverse("alerts:subscribe") + "?department=nope").status_code == 400
    assert client.get(reverse("alerts:subscribe") + "?tag=%00").status_code == 400
    assert client.get(reverse("alerts:subscribe")).status_code == 200


def test_a_post_from_another_site_is_refused(client):
    data = {"email": "reader@example.org", "frequency": "immediately"}
    assert client.post(reverse("alerts:subscribe"), data, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post(reverse("alerts:subscribe"), data, headers={"Origin": "https://evil.example"}).status_code == 403
    assert not Subscription.objects.exists()


def test_subscribing_is_limited_per_address_and_per_client(client, settings, committed, one_rate_window):
    settings.PRESSROOM_ALERTS_PER_ADDRESS = 2
    settings.PRESSROOM_ALERTS_PER_CLIENT = 4
    data = {"email": "reader@example.org", "frequency": "immediately"}
    with committed():
        codes = [client.post(reverse("alerts:subscribe"), data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    with committed():
        other = client.post(reverse("alerts:subscribe"), {**data, "email": "other@example.org"})
        fifth = client.post(reverse("alerts:subscribe"), {**data, "email": "third@example.org"})
    # The third address: under its own limit, but this client is over its.
    assert (other.status_code, fifth.status_code) == (302, 429)
    assert int(fifth["Retry-After"]) > 0
    assert len(mail.outbox) == 3


def test_public_pages_carry_the_form_without_a_csrf_token_or_cookie(client, make_release, wco):
    release = make_release(tags=[wco])
    for url in [
        reverse("releases:release-list") + "?tag=wco",
        reverse("releases:home"),
        release.get_absolute_url(),
        reverse("releases:department-detail", args=[release.department.slug]),
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert 'action="/alerts/"' in html, url
        assert "csrfmiddlewaretoken" not in html
        assert not response.cookies
        assert "public" in response["Cache-Control"]
    assert '<input type="hidden" name="tag" value="wco">' in client.get("/releases/?tag=wco").content.decode()


# What is sent, to whom, when


def test_a_published_release_goes_to_each_matching_subscriber_once(subscribed, publish, draft, wco, green, department):
    subscribed("all@example.org")
    subscribed("wco@example.org", tags=[wco])
    subscribed("both@example.org", tags=[wco, green])
    subscribed("press@example.org", department=department)
    subscribed("green@example.org", tags=[green])
    subscribed("russian@example.org", language="ru")
    subscribed("daily@example.org", frequency=Frequency.DAILY)
    services.subscribe(email="unconfirmed@example.org", language="en", frequency="immediately")
    mail.outbox.clear()
    publish(draft(tags=[wco]))
    assert recipients() == ["all@example.org", "press@example.org", "wco@example.org"]


def test_a_reader_with_several_matching_subscriptions_gets_one_message(subscribed, publish, draft, wco, department):
    subscribed("reader@example.org")
    subscribed("reader@example.org", tags=[wco])
    subscribed("reader@example.org", department=department)
    publish(draft(tags=[wco]))
    assert recipients() == ["reader@example.org"]


def test_an_alert_carries_title_lead_link_and_one_click_unsubscribe(subscribed, publish, draft, site_url):
    subscribed()
    release = publish(draft(title="The 88th session", lead="Held in Brussels."))
    (message,) = alerts_sent()
    assert message.subject == "The 88th session"
    assert "Held in Brussels." in message.body
    assert f"{site_url}{release.get_absolute_url()}" in message.body
    html = message.alternatives[0][0]
    assert f'href="{site_url}{release.get_absolute_url()}"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(rf"<{site_url}/alerts/unsubscribe/[^/]+/>", message.extra_headers["List-Unsubscribe"])
    assert f"{site_url}/alerts/manage/" in message.body


def test_an_alert_is_in_the_language_of_its_subscription(subscribed, publish, draft, site_url):
    subscribed(language="az")
    release = publish(draft(language="az", title="88-ci sessiya"))
    (message,) = alerts_sent()
    assert f"{site_url}/az/releases/{release.slug}/" in message.body
    assert "Bütün abunəliklərinizi idarə edin" in message.body


def test_a_draft_a_release_in_review_and_other_languages_send_nothing(subscribed, draft, committed, editor):
    subscribed(language="en")
    with committed():
        draft()
        draft(language="ru").submit(user=editor)
    assert alerts_sent() == []


def test_a_scheduled_release_goes_at_its_time_not_when_saved(subscribed, publish, draft, committed):
    subscribed()
    announce_due_releases()
    release = publish(draft(), at=timezone.now() + timedelta(hours=1))
    assert alerts_sent() == []
    with mock.patch("django.utils.timezone.now", return_value=release.published_at + timedelta(seconds=1)), committed():
        announce_due_releases()
    assert recipients() == ["reader@example.org"]


def test_a_release_withdrawn_before_its_time_is_never_sent(subscribed, publish, draft, committed, editor):
    subscribed()
    announce_due_releases()
    release = publish(draft(), at=timezone.now() + timedelta(hours=1))
    with committed():
        release.withdraw(user=editor, reason="Issued in error.")
    with mock.patch("django.utils.timezone.now", return_value=release.published_at + timedelta(seconds=1)), committed():
        announce_due_releases()
    assert alerts_sent() == []


def test_a_fan_out_run_for_a_release_not_public_sends_nothing(subscribed, draft, make_release):
    from alerts import sending

    subscribed()
    scheduled = make_release(published_at=timezone.now() + timedelta(hours=1))
    for release in (draft(), scheduled, make_release(status=Release.Status.WITHDRAWN)):
        assert sending.fan_out(release.pk) == 0
    assert alerts_sent() == [] and not Message.objects.filter(kind="alert").exists()


def test_a_public_change_note_is_announced_with_its_note(subscribed, publish, draft, committed, editor):
    subscribed()
    release = publish(draft(title="The session"))
    mail.outbox.clear()
    with committed():
        release.add_change_note("Corrected the date of the session.", user=editor)
    (message,) = alerts_sent()
    assert message.subject == "Changed: The session"
    assert "Corrected the date of the session." in message.body
    assert Message.objects.filter(kind="alert").count() == 2


def test_the_same_release_published_again_is_not_sent_again(subscribed, publish, draft, committed, editor):
    subscribed()
    release = publish(draft())
    with committed():
        release.withdraw(user=editor, reason="Issued in error.")
    publish(release)
    assert len(alerts_sent()) == 1


def test_the_sweep_starts_again_a_fan_out_whose_task_was_lost(subscribed, draft, committed, editor, settings):
    from alerts import sending

    subscribed()
    with mock.patch("alerts.sending.enqueue") as lost, committed():
        draft().publish(user=editor)
    assert lost.call_count == 1 and alerts_sent() == []
    assert Sending.objects.get().fanned_out_at is None
    later = timezone.now() + timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1)
    with committed():
        assert sending.sweep(later) == 1
    assert recipients() == ["reader@example.org"]


def test_the_sweep_starts_again_a_scheduled_releases_lost_fan_out(subscribed, publish, draft, committed, settings):
    from alerts import sending

    subscribed()
    announce_due_releases()
    release = publish(draft(), at=timezone.now() + timedelta(hours=1))
    due = release.published_at + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=due), mock.patch("alerts.sending.enqueue"), committed():
        announce_due_releases()
    assert alerts_sent() == [] and Sending.objects.get().fanned_out_at is None
    later = due + timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1)
    with mock.patch("django.utils.timezone.now", return_value=later), committed():
        assert sending.sweep() == 1
    assert recipients() == ["reader@example.org"]


def test_the_sweep_alerts_nobody_of_an_imported_release(subscribed, committed, tmp_path, settings, department):
    from alerts import sending

    subscribed()
    when = timezone.now() - timedelta(minutes=10)
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>'
        "<link>https://news.example/</link><language>en</language><item><title>Imported today</title>"
        "<link>https://news.example/news/1</link><guid>https://news.example/news/1</guid>"
        f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "<description>An item of the old site.</description></item></channel></rss>",
        encoding="utf-8",
    )
    (tmp_path / "map.toml").write_text(f'default_department = "{department.name}"\n', encoding="utf-8")
    report = ("--map", str(tmp_path / "map.toml"), "--report", str(tmp_path / "report.csv"))
    with committed():
        call_command("import_archive", str(feed), *report, stdout=io.StringIO(), stderr=io.StringIO())
    assert Release.objects.published().get().title == "Imported today"
    later = timezone.now() + timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1)
    with committed():
        assert sending.sweep(later) == 0
    assert alerts_sent() == [] and not Sending.objects.exists()


def test_a_withdrawal_holds_what_was_not_sent_yet(subscribed, draft, committed, editor, settings):
    from alerts import sending

    subscribed("one@example.org")
    subscribed("two@example.org")
    release = draft()
    # Rows written, their delivery not run yet (as with a busy queue).
    with mock.patch("outbox.services.enqueue_many"):
        with committed():
            release.publish(user=editor)
        assert Message.objects.filter(kind="alert", status="queued").count() == 2
        with committed():
            release.withdraw(user=editor, reason="Issued in error.")
    assert Message.objects.filter(kind="alert", status="held").count() == 2
    sent = Sending.objects.get()
    assert sent.withdrawn
    assert sending.resume(sent) == 0
    assert alerts_sent() == []


def test_pausing_holds_and_resuming_sends(subscribed, draft, committed, editor):
    from alerts import sending

    subscribed("one@example.org")
    release = draft()
    with mock.patch("outbox.services.enqueue_many"), committed():
        release.publish(user=editor)
    row = Sending.objects.get()
    assert sending.pause(row) == 1
    with committed():
        assert sending.resume(row) == 1
    assert recipients() == ["one@example.org"]


def test_disabled_subscribers_receive_nothing(subscribed, publish, draft):
    subscribed()
    Subscriber.objects.update(disabled_at=timezone.now())
    publish(draft())
    assert alerts_sent() == []


def test_a_subscription_whose_tag_was_deleted_never_widens_to_everything(subscribed, publish, draft, wco, green):
    subscribed(tags=[wco, green])
    green.delete()
    publish(draft(tags=[wco]))
    publish(draft())
    assert alerts_sent() == []


# Leaving, and what is kept


def test_one_click_unsubscribe_deletes_the_address_and_keeps_a_count(client, subscribed, publish, draft):
    subscribed()
    publish(draft())
    (message,) = alerts_sent()
    url = message.extra_headers["List-Unsubscribe"].strip("<>").split("://", 1)[1].partition("/")[2]
    assert client.get(f"/{url}").status_code == 200
    assert Subscriber.objects.exists()
    # As a mail program posts it (RFC 8058): no cookie, no token.
    response = client.post(f"/{url}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert UnsubscribeCount.objects.get().subscriptions == 1
    assert not Message.objects.filter(to="reader@example.org").exists()
    assert Message.objects.filter(kind="alert", status="sent").count() == 1
    # Again: nothing left, the same kind answer.
    assert client.post(f"/{url}").status_code == 200


def test_the_manage_page_lists_and_ends_subscriptions(client, subscribed, wco):
    first = subscribed()
    subscribed(tags=[wco])
    url = links.manage_url(first.subscriber, "en").split("://", 1)[1].partition("/")[2]
    page = client.get(f"/{url}")
    assert page.status_code == 200
    assert "All releases in English" in page.content.decode()
    assert "WCO" in page.content.decode()
    client.post(f"/{url}", {"subscription": first.pk, "action": "frequency", "frequency": "daily"})
    assert Subscription.objects.get(pk=first.pk).frequency == "daily"
    client.post(f"/{url}", {"subscription": first.pk, "action": "unsubscribe"})
    assert Subscription.objects.count() == 1
    client.post(f"/{url}", {"action": "unsubscribe-all"})
    assert not Subscriber.objects.exists()
    assert client.get(f"/{url}").status_code == 404


def test_expired_unconfirmed_subscriptions_are_deleted(committed, subscribed, settings):
    from alerts.tasks import delete_expired

    subscribed("kept@example.org")
    with committed():
        services.subscribe(email="gone@example.org", language="en", frequency="immediately")
    later = timezone.now() + settings.PRESSROOM_ALERTS_CONFIRMATION_MAX_AGE + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert delete_expired() == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]
    assert not Message.objects.filter(to="gone@example.org").exists()


# The daily digest


def test_the_daily_digest_is_sent_once_a_day_with_the_days_releases(
    subscribed, publish, draft, settings, wco, committed
):
    from alerts import sending

    settings.PRESSROOM_ALERTS_DIGEST_HOUR = 8
    subscribed(frequency=Frequency.DAILY, tags=[wco])
    subscribed("other@example.org", frequency=Frequency.DAILY)
    subscribed("immediate@example.org")
    first, _second = publish(draft(tags=[wco], title="First")), publish(draft(title="Second"))
    mail.outbox.clear()
    day, start, end = sending.digest_window(timezone.now() + timedelta(days=1))
    assert start <= first.published_at < end
    for minutes in (5, 20):  # beat's runs, twice: once a day all the same
        with mock.patch("django.utils.timezone.now", return_value=end + timedelta(minutes=minutes)), committed():
            sending.send_digests()
    digests = {message.to[0]: message for message in mail.outbox}
    assert sorted(digests) == ["other@example.org", "reader@example.org"]
    assert "First" in digests["reader@example.org"].body and "Second" not in digests["reader@example.org"].body
    assert "First" in digests["other@example.org"].body and "Second" in digests["other@example.org"].body
    assert digests["other@example.org"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Subscriber.objects.filter(digest_through=day).values_list("email", flat=True)) == {
        "reader@example.org",
        "other@example.org",
    }


def test_a_digest_leaves_out_what_was_withdrawn_since(subscribed, publish, draft, committed, editor):
    from alerts import sending

    subscribed(frequency=Frequency.DAILY)
    release = publish(draft(title="Gone"))
    with committed():
        release.withdraw(user=editor, reason="Issued in error.")
    _day, _start, end = sending.digest_window(timezone.now() + timedelta(days=1))
    with mock.patch("django.utils.timezone.now", return_value=end + timedelta(minutes=5)), committed():
        sending.send_digests()
    assert mail.outbox == []


def test_a_digest_leaves_out_what_an_editor_paused(subscribed, publish, draft, make_release, committed, editor):
    from alerts import sending

    subscribed(frequency=Frequency.DAILY)
    publish(draft(title="Paused"))
    kept = publish(draft(title="Kept"))
    corrected = make_release(title="Corrected", published_at=timezone.now() - timedelta(days=3))
    with committed():
        corrected.add_change_note("Corrected the date.", user=editor)
    for row in Sending.objects.exclude(release=kept):
        sending.pause(row)
    _day, start, end = sending.digest_window(timezone.now() + timedelta(days=1))
    assert [(release.title, note) for release, note in sending.digest_items(start, end)] == [("Kept", None)]
    with mock.patch("django.utils.timezone.now", return_value=end + timedelta(minutes=5)), committed():
        sending.send_digests()
    (digest,) = mail.outbox
    assert "Kept" in digest.body and "Paused" not in digest.body and "Corrected" not in digest.body


def test_a_digest_batch_costs_the_same_queries_whatever_the_number_of_items(subscribed, make_release, wco):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alerts import sending
    from releases.models import ReleaseImage
    from tests.pictures import prepared_image

    subscribed(frequency=Frequency.DAILY)
    subscribed("wco@example.org", frequency=Frequency.DAILY, tags=[wco])
    day, _start, _end = sending.digest_window(timezone.now() + timedelta(days=1))
    due = list(Subscriber.objects.order_by("pk").values_list("pk", flat=True))

    def cost():
        Subscriber.objects.update(digest_through=None)
        with CaptureQueriesContext(connection) as queries:
            sending.send_digest_batch(day.isoformat(), due[0], due[-1])
        return len(queries)

    recent = timezone.now() - timedelta(minutes=5)
    make_release(title="One", published_at=recent)
    older = make_release(title="Older", published_at=timezone.now() - timedelta(days=3))
    older.change_notes.create(note="Corrected the date.")
    two = cost()
    # Three more: with tags, a lead photo, and a change note of another older release.
    photographed = make_release(title="Photographed", tags=[wco], published_at=recent)
    photo = ReleaseImage(release=photographed, alt_text="The delegation in Brussels.", is_lead=True)
    photo.attach(prepared_image(size=(1200, 800)))
    photo.save()
    make_release(title="Three", tags=[wco], published_at=recent)
    oldest = make_release(title="Oldest", published_at=timezone.now() - timedelta(days=4))
    oldest.change_notes.create(note="Corrected the place.")
    assert len(sending.digest_items(*sending.digest_window(timezone.now() + timedelta(days=1))[1:])) == 5
    assert cost() == two
    digest = Message.objects.get(to="wco@example.org", key=f"digest:{day.isoformat()}:en")
    assert "-800.jpg" in digest.html and "Photographed" in digest.text and "Three" in digest.text


def test_a_paced_fan_out_writes_each_batch_at_its_time(subscribed, draft, committed, editor, settings):
    """PRESSROOM_OUTBOX_RATE: a batch's writing waits for the time its
    first message may go, rather than all the writing coming first and the
    deliveries queued behind it."""
    settings.PRESSROOM_OUTBOX_RATE = 100
    settings.PRESSROOM_ALERTS_BATCH = 2
    for number in range(5):
        subscribed(f"reader{number}@example.org")
    now = timezone.now()
    with mock.patch("alerts.sending.enqueue") as enqueue, mock.patch("django.utils.timezone.now", return_value=now):
        with committed():
            draft().publish(user=editor)
        (fan_out,) = enqueue.call_args_list
        sending.fan_out(*fan_out.args[1:])
    batches = [(call.args[0], call.args[-2:], call.kwargs["eta"]) for call in enqueue.call_args_list[1:]]
    ids = sorted(Subscriber.objects.values_list("pk", flat=True))
    assert batches == [
        ("alerts.send_batch", (ids[0], ids[1]), None),
        ("alerts.send_batch", (ids[2], ids[3]), now + timedelta(seconds=0.02)),
        ("alerts.send_batch", (ids[4], ids[4]), now + timedelta(seconds=0.04)),
    ]


def test_the_sweep_leaves_a_paced_fan_out_until_its_last_batch_was_due(subscribed, draft, committed, editor, settings):
    settings.PRESSROOM_OUTBOX_RATE = 1
    subscribed()
    with mock.patch("alerts.sending.enqueue"), committed():
        release = draft()
        release.publish(user=editor)
    fanned_out = timezone.now()
    # As a fan-out of 1,000 readers leaves it: a quarter of an hour of batches.
    Sending.objects.update(recipients=1000, fanned_out_at=fanned_out)
    lease = timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS)
    with mock.patch("alerts.sending.enqueue") as enqueue:
        assert sending.sweep(fanned_out + lease + timedelta(seconds=1)) == 0
        assert sending.sweep(fanned_out + timedelta(seconds=1000) + lease + timedelta(seconds=1)) == 1
    assert enqueue.call_args.args == ("alerts.fan_out", release.pk, None)
