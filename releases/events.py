"""What happens to releases, announced once it has happened: the signals
that the workflow mail and the page cache subscribe to (releases/receivers.py),
and that alerts, distribution and webhooks can subscribe to in the same way.
(Not to be confused with the Event model, a conference or visit.)

Each signal is sent by one function below, when the transaction that made the
change commits, and never if it rolls back. Receivers get keyword arguments
that are plain ids and values, never model instances, which could be stale by
the time they run: a receiver loads what it needs. Every signal but
`public_content_changed` is sent with the Release model as its sender. A
receiver that fails is logged and does not keep the others from running: the
change is saved already.
"""

import logging
from functools import partial

from django.apps import apps
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# The workflow's steps (releases/models/workflow.py), each sent by the
# function of the same name below, with the arguments it documents.
release_submitted = Signal()
release_sent_back = Signal()
release_published = Signal()
release_scheduled = Signal()
release_unscheduled = Signal()
release_withdrawn = Signal()
# Edits, and public change notes on them.
release_changed = Signal()
release_corrected = Signal()
# Anything the public pages show.
public_content_changed = Signal()


def submitted(*, release_id, actor_id, workflow_event_id):
    """`release_submitted`: a draft was sent for review by `actor_id`.
    `workflow_event_id` is the WorkflowEvent that records the step (so it is
    for every step below)."""
    _send_on_commit(release_submitted, **locals())


def sent_back(*, release_id, actor_id, workflow_event_id, comment):
    """`release_sent_back`: a release in review went back to its author as a
    draft; `comment` says what should change."""
    _send_on_commit(release_sent_back, **locals())


def published(*, release_id, actor_id, workflow_event_id, published_at, restored):
    """`release_published`: a release became public now, at `published_at`
    (a time that has come). `restored` is True when it had been withdrawn
    and is public again. A scheduled release becoming public at its time
    sends it too, once, from the periodic announcement
    (releases/announcements.py), with `actor_id` and `workflow_event_id`
    None: so every release that reaches the public sends it exactly once."""
    _send_on_commit(release_published, **locals())


def scheduled(*, release_id, actor_id, workflow_event_id, published_at):
    """`release_scheduled`: a release was published for `published_at`, a
    time still to come; it becomes public by itself then."""
    _send_on_commit(release_scheduled, **locals())


def unscheduled(*, release_id, actor_id, workflow_event_id):
    """`release_unscheduled`: a scheduled release went back to draft before
    its time; it never became public."""
    _send_on_commit(release_unscheduled, **locals())


def withdrawn(*, release_id, actor_id, workflow_event_id, reason):
    """`release_withdrawn`: a published release was withdrawn (public or
    still scheduled); `reason` is shown to the public on the release."""
    _send_on_commit(release_withdrawn, **locals())


def changed(*, release_id, actor_id):
    """`release_changed`: an edit of a release was saved, its status as it
    was (a new release's first save included, and an earlier revision
    restored)."""
    _send_on_commit(release_changed, **locals())


def corrected(*, release_id, actor_id, change_note_id, note):
    """`release_corrected`: an editor added a public change note to an edit
    that readers have seen (the ChangeNote `change_note_id`, whose text is
    `note`: "Corrected the date of the session"); the release page lists
    it and feeds give its time as the release's update."""
    _send_on_commit(release_corrected, **locals())


def content_changed(model):
    """`public_content_changed`, with `model` (the class of what was saved
    or deleted) as its sender: something public pages may show changed (a
    release, draft or not, its tags, photos, documents, change notes or
    delegations; an event, department or tag). No arguments. Sent once per
    model however many saves of it one transaction makes: an import's item
    or an admin save writes a dozen rows, and each send starts a new version
    of the page cache."""
    if not _waiting(model):
        transaction.on_commit(partial(_send, public_content_changed, model, {}))


def _waiting(model):
    """Whether `public_content_changed` for `model` already waits for this
    transaction's commit, from this savepoint or one enclosing it (so it
    cannot be rolled back while this change is kept)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    alive = set(connection.savepoint_ids)
    return any(
        getattr(function, "func", None) is _send and function.args[:2] == (public_content_changed, model)
        and savepoints <= alive
        for savepoints, function, *_robust in connection.run_on_commit
    )  # fmt: skip


def _send_on_commit(signal, **kwargs):
    # The senders above pass their own arguments (locals()) and nothing else.
    transaction.on_commit(partial(_send, signal, apps.get_model("releases", "Release"), kwargs))


def _send(signal, sender, kwargs):
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error("%s failed on %s", receiver, kwargs, exc_info=result)
