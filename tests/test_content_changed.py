"""public_content_changed is sent once per model and transaction, however
many saves it holds, and never lost to a savepoint rolled back."""

import pytest
from django.db import transaction

from releases import events
from releases.models import Release

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    senders = []

    def receiver(sender, **kwargs):
        senders.append(sender)

    events.public_content_changed.connect(receiver)
    yield senders
    events.public_content_changed.disconnect(receiver)


def test_saves_of_one_model_in_a_transaction_send_once(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            events.content_changed(Release)
    assert heard == [Release]


def test_a_send_waiting_in_a_savepoint_rolled_back_is_sent_again_outside_it(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                events.content_changed(Release)
                raise ValueError
        except ValueError:
            pass
        events.content_changed(Release)
    assert heard == [Release]


def test_a_send_inside_a_savepoint_joins_the_one_outside(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.content_changed(Release)
        with transaction.atomic():
            events.content_changed(Release)
    assert heard == [Release]
