from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from releases.models import Delegation, DelegationMember, Department, Event, Release, Tag

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by_database():
    """pytest.raises(IntegrityError) around a savepoint, so that PostgreSQL
    can go on with the test after the refused statement."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# Events


def test_event_ending_before_it_starts_is_refused_by_the_database(event):
    event.end_date = event.start_date - timedelta(days=1)
    with refused_by_database():
        event.save()


def test_event_ending_before_it_starts_fails_full_clean(event):
    event.end_date = event.start_date - timedelta(days=1)
    with pytest.raises(ValidationError, match="An event cannot end before it starts."):
        event.full_clean()


def test_event_may_end_on_the_day_it_starts(event):
    event.end_date = event.start_date
    event.full_clean()
    event.save()


def test_event_without_end_date_is_valid(event):
    assert event.end_date is None
    event.full_clean()


def test_event_place_leaves_out_what_is_unknown(event):
    assert event.place == "WCO headquarters, Brussels, Belgium"
    event.venue = ""
    assert event.place == "Brussels, Belgium"


# Releases: database constraints


def test_published_release_without_publication_time_is_refused_by_the_database(make_release):
    with refused_by_database():
        make_release(status=Release.Status.PUBLISHED, published_at=None)


def test_withdrawn_release_without_publication_time_is_refused_by_the_database(make_release):
    with refused_by_database():
        make_release(status=Release.Status.WITHDRAWN, published_at=None)


def test_draft_needs_no_publication_time(make_release):
    release = make_release(status=Release.Status.DRAFT)
    assert release.published_at is None


def test_withdrawn_release_without_reason_is_refused_by_the_database(make_release):
    with refused_by_database():
        make_release(status=Release.Status.WITHDRAWN, withdrawal_reason="")


def test_withdrawn_release_without_reason_fails_full_clean(make_release):
    release = make_release(status=Release.Status.WITHDRAWN)
    release.withdrawal_reason = ""
    with pytest.raises(ValidationError, match="A withdrawn release needs a reason."):
        release.full_clean()


def test_slug_is_unique_per_language(make_release):
    make_release(slug="wco-session", language="en")
    with refused_by_database():
        make_release(slug="wco-session", language="en")


def test_same_slug_is_allowed_in_another_language(make_release):
    make_release(slug="wco-session", language="en")
    other = make_release(slug="wco-session", language="az")
    assert other.slug == "wco-session"


def test_only_one_version_per_translation_key_and_language(make_release):
    english = make_release(language="en")
    with refused_by_database():
        make_release(language="en", translation_key=english.translation_key)


def test_language_versions_share_a_translation_key(make_release):
    english = make_release(language="en")
    russian = make_release(language="ru", translation_key=english.translation_key)
    assert set(Release.objects.filter(translation_key=english.translation_key)) == {english, russian}


def test_empty_slug_is_refused_by_the_database(make_release):
    release = make_release()
    with refused_by_database():
        Release.objects.filter(pk=release.pk).update(slug="")


def test_body_is_sanitized_on_save_without_full_clean(make_release):
    release = make_release(body='<p onclick="steal()">Text</p><script>alert(1)</script>')
    release.refresh_from_db()
    assert release.body == "<p>Text</p>"


def test_body_is_sanitized_when_saved_again(make_release):
    release = make_release()
    release.body = '<p style="color: red">Changed</p>'
    release.save()
    release.refresh_from_db()
    assert release.body == "<p>Changed</p>"


# __str__ and get_absolute_url


def test_department_str_is_its_name(department):
    assert str(department) == "Press and Public Relations Department"


def test_event_str_is_its_title(event):
    assert str(event) == "88th session of the WCO Policy Commission"


def test_delegation_str_names_its_head_and_event(delegation):
    assert str(delegation) == "Delegation led by Shahin Baghirov to 88th session of the WCO Policy Commission"


def test_delegation_member_str_is_their_name(delegation):
    member = DelegationMember.objects.create(delegation=delegation, name="Rauf Aliyev", position="Head of unit")
    assert str(member) == "Rauf Aliyev"


def test_release_str_is_its_title(make_release):
    assert str(make_release(title="Customs posts work around the clock")) == "Customs posts work around the clock"


def test_tag_str_is_its_name(db):
    assert str(Tag.objects.create(name="Green Customs")) == "Green Customs"


def test_release_url_uses_its_slug(make_release):
    assert make_release(slug="wco-session").get_absolute_url() == "/releases/wco-session/"


def test_event_url_uses_its_slug(event):
    assert event.get_absolute_url() == "/events/wco-policy-commission/"


def test_department_url_uses_its_slug(department):
    assert department.get_absolute_url() == "/departments/press/"


def test_department_signs_with_its_signature_or_its_name(department):
    assert department.signed_as == "Press and Public Relations Department"
    department.signature = "SCC Press and Public Relations Department"
    assert department.signed_as == "SCC Press and Public Relations Department"


# Default ordering


def test_releases_are_ordered_newest_first(make_release):
    now = timezone.now()
    older = make_release(published_at=now - timedelta(days=2))
    newer = make_release(published_at=now - timedelta(days=1))
    assert list(Release.objects.all()) == [newer, older]


def test_events_are_ordered_latest_first(db):
    earlier = Event.objects.create(title="Earlier", slug="earlier", start_date=date(2023, 6, 19))
    later = Event.objects.create(title="Later", slug="later", start_date=date(2023, 6, 22))
    assert list(Event.objects.all()) == [later, earlier]


def test_departments_are_ordered_by_name(db):
    second = Department.objects.create(name="Press", slug="press")
    first = Department.objects.create(name="International Relations", slug="international")
    assert list(Department.objects.all()) == [first, second]


def test_delegation_members_keep_their_order(delegation):
    second = DelegationMember.objects.create(delegation=delegation, name="Second", order=2)
    first = DelegationMember.objects.create(delegation=delegation, name="First", order=1)
    assert list(delegation.members.all()) == [first, second]


def test_deleting_an_event_keeps_its_releases(make_release, event):
    release = make_release(event=event)
    event.delete()
    release.refresh_from_db()
    assert release.event is None


def test_deleting_an_event_deletes_its_delegations(delegation):
    delegation.event.delete()
    assert not Delegation.objects.exists()


def test_department_that_signed_releases_cannot_be_deleted(make_release, department):
    make_release()
    with pytest.raises(ProtectedError):
        department.delete()


# Status changes


@pytest.fixture
def draft(make_release):
    return make_release(status=Release.Status.DRAFT)


def test_press_staff_may_send_a_draft_for_review(draft, press_user):
    draft.submit(user=press_user)
    draft.refresh_from_db()
    assert draft.status == Release.Status.IN_REVIEW


def test_press_staff_may_not_send_a_release_in_review_back(make_release, press_user):
    release = make_release(status=Release.Status.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        release.send_back(user=press_user, comment="Shorter, please.")
    assert error.value.code == "permission_denied"


def test_press_staff_may_not_publish(draft, press_user):
    with pytest.raises(ValidationError) as error:
        draft.publish(user=press_user)
    assert error.value.code == "permission_denied"
    draft.refresh_from_db()
    assert draft.status == Release.Status.DRAFT
    assert draft.published_at is None


def test_press_staff_may_not_withdraw(make_release, press_user):
    release = make_release()
    with pytest.raises(ValidationError) as error:
        release.withdraw(user=press_user, reason="Issued in error.")
    assert error.value.code == "permission_denied"


def test_user_without_a_role_may_not_change_status(draft, staff_user):
    with pytest.raises(ValidationError) as error:
        draft.check_status_change(Release.Status.IN_REVIEW, user=staff_user)
    assert error.value.code == "permission_denied"


def test_editor_may_publish(draft, editor):
    draft.publish(user=editor)
    draft.refresh_from_db()
    assert draft.status == Release.Status.PUBLISHED
    assert draft.is_published
    assert draft.last_editor == editor


def test_publishing_without_a_time_sets_now(draft, editor):
    before = timezone.now()
    draft.publish(user=editor)
    assert before <= draft.published_at <= timezone.now()


def test_publishing_keeps_a_future_time_as_a_schedule(draft, editor):
    later = timezone.now() + timedelta(days=3)
    draft.published_at = later
    draft.publish(user=editor)
    draft.refresh_from_db()
    assert draft.published_at == later
    assert draft.is_scheduled
    assert not Release.objects.published().exists()


def test_publishing_at_a_given_time_uses_it(draft, editor):
    later = timezone.now() + timedelta(days=3)
    draft.publish(user=editor, at=later)
    assert draft.published_at == later


def test_withdrawing_needs_a_reason(make_release, editor):
    release = make_release()
    with pytest.raises(ValidationError) as error:
        release.withdraw(user=editor, reason="   ")
    assert error.value.code == "reason_required"
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_editor_may_withdraw_with_a_reason(make_release, editor):
    release = make_release()
    release.withdraw(user=editor, reason="  Issued in error.  ")
    release.refresh_from_db()
    assert release.status == Release.Status.WITHDRAWN
    assert release.withdrawal_reason == "Issued in error."
    assert release.withdrawn_at is not None


def test_editor_may_restore_a_withdrawn_release(make_release, editor):
    release = make_release(status=Release.Status.WITHDRAWN)
    published_at = release.published_at
    release.publish(user=editor)
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED
    assert release.published_at == published_at
    assert release.withdrawal_reason == ""
    assert release.withdrawn_at is None


def test_press_staff_may_not_restore_a_withdrawn_release(make_release, press_user):
    release = make_release(status=Release.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        release.check_status_change(Release.Status.PUBLISHED, user=press_user)
    assert error.value.code == "permission_denied"


def test_public_release_cannot_go_back_to_draft(make_release, editor):
    release = make_release()
    with pytest.raises(ValidationError) as error:
        release.transition(Release.Status.DRAFT, user=editor)
    assert error.value.code == "already_public"


def test_scheduled_release_may_go_back_to_draft(make_release, editor):
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    release.transition(Release.Status.DRAFT, user=editor)
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT


def test_press_staff_may_not_unschedule_a_release(make_release, press_user):
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        release.check_status_change(Release.Status.DRAFT, user=press_user)
    assert error.value.code == "permission_denied"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Release.Status.DRAFT, Release.Status.WITHDRAWN),
        (Release.Status.IN_REVIEW, Release.Status.WITHDRAWN),
        (Release.Status.WITHDRAWN, Release.Status.DRAFT),
        (Release.Status.PUBLISHED, Release.Status.IN_REVIEW),
    ],
)
def test_status_change_not_in_the_workflow_is_refused(make_release, editor, old, new):
    release = make_release(status=old)
    with pytest.raises(ValidationError) as error:
        release.check_status_change(new, user=editor, comment="Issued in error.")
    assert error.value.code == "invalid_status_change"


def test_keeping_the_status_is_always_allowed(make_release, press_user):
    release = make_release()
    release.check_status_change(Release.Status.PUBLISHED, user=press_user)
