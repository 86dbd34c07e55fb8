"""Sending a release under embargo, and what follows: the plan of who gets
which language version, the send (a share link of their own for each
recipient, then a mail each through the outbox), revocation, the notice
that a release will not come out, and corrections. Plain functions with
keyword-only arguments; each checks its own permissions and rules."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from distribution import mail
from distribution.models import LINK_NOTE, SEND_PERMISSION, Distribution, MediaContact, Recipient
from outbox.models import Message
from releases.models import Release, ShareLink, WorkflowEvent
from releases.models.sharing import DEFAULT_LIFETIME, MAX_LIFETIME

logger = logging.getLogger(__name__)

# The mails of a send are written to the outbox this many at a time, each
# batch in its own transaction, by a worker (tasks.write_mails).
MAIL_BATCH = 200
FOUR_EYES = _("Another editor must send this release: you wrote it (the four-eyes rule).")


@dataclass
class Plan:
    """Who a send would reach: each contact with the language version they
    would get, and who is left out and why."""

    release: Release
    recipients: list = field(default_factory=list)  # (contact, version, fell_back)
    not_accredited: list = field(default_factory=list)
    already_sent: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)  # {language: version} that may go
    held_back: list = field(default_factory=list)  # (version, why it may not go)

    def languages(self):
        """{language code: how many recipients get that version}."""
        counts = {}
        for _contact, version, _fell_back in self.recipients:
            counts[version.language] = counts.get(version.language, 0) + 1
        return counts

    @property
    def fallbacks(self):
        return sum(1 for _contact, _version, fell_back in self.recipients if fell_back)


def sendable_versions(release, *, user, embargo_until):
    """({language: version}, [(version, reason)]): the versions of `release`
    that may go out with it, `release` itself always, and the others with
    why not. Each obeys the rules of a send of its own: neither public nor
    withdrawn, not public before `embargo_until`, and not written by `user`
    under the four-eyes rule."""
    versions, held_back = {release.language: release}, []
    others = Release.objects.filter(translation_key=release.translation_key).exclude(pk=release.pk)
    for version in others.defer("body", "search_vector").order_by("language"):
        try:
            check_embargo(version, embargo_until=embargo_until)
            version.check_four_eyes(user, message=FOUR_EYES)
        except ValidationError as refused:
            held_back.append((version, refused.messages[0]))
        else:
            versions[version.language] = version
    return versions, held_back


def plan(release, *, user, embargo_until, lists=(), contacts=()):
    """The Plan of `user` sending `release` under embargo until
    `embargo_until` to `lists` and `contacts` (each contact once): contacts
    get the version in their language that may go (sendable_versions), or
    `release` when there is none. Contacts whose accreditation has expired,
    and those who received a version of the release already, are left
    out."""
    wanted = Q(pk__in=[contact.pk for contact in contacts])
    for media_list in lists:
        wanted |= Q(pk__in=media_list.members().values("pk"))
    found = MediaContact.objects.filter(wanted).with_accreditation().order_by("name", "pk")
    already = set(Recipient.objects.of_release(release).values_list("contact_id", flat=True))
    versions, held_back = sendable_versions(release, user=user, embargo_until=embargo_until)
    result = Plan(release=release, versions=versions, held_back=held_back)
    for contact in found:
        if contact.pk in already:
            result.already_sent.append(contact)
        elif not contact.is_accredited:
            result.not_accredited.append(contact)
        else:
            version = versions.get(contact.language, release)
            result.recipients.append((contact, version, version.language != contact.language))
    return result


def check_send(release, *, user, embargo_until):
    """Raise PermissionDenied or ValidationError (with a code) unless `user`
    may send `release` under embargo until `embargo_until`."""
    if not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied(gettext("Only editors may send releases under embargo."))
    release.check_four_eyes(user, message=FOUR_EYES)
    check_embargo(release, embargo_until=embargo_until)


def may_send(release, *, user):
    """Whether `user` may send `release` at all (the send button)."""
    if not user.has_perm(SEND_PERMISSION):
        return False
    try:
        release.check_four_eyes(user)
    except ValidationError:
        return False
    return True


def check_embargo(release, *, embargo_until):
    """Raise ValidationError (with a code) unless `release` may go out under
    an embargo until `embargo_until`: whoever asks (the preview too)."""
    if release.is_published:
        raise ValidationError(_("This release is public already: there is no embargo to send it under."), code="public")
    if release.is_withdrawn:
        raise ValidationError(_("A withdrawn release cannot be sent."), code="withdrawn")
    now = timezone.now()
    if embargo_until <= now:
        raise ValidationError(_("The embargo must end in the future."), code="embargo_past")
    if embargo_until + DEFAULT_LIFETIME > now + MAX_LIFETIME:
        raise ValidationError(
            _("The embargo may end at most %(days)d days from now."),
            code="embargo_too_late",
            params={"days": (MAX_LIFETIME - DEFAULT_LIFETIME).days},
        )
    if release.is_scheduled and embargo_until > release.published_at:
        raise ValidationError(
            _("The release goes public at %(time)s: the embargo cannot end later."),
            code="embargo_after_publication",
            params={"time": formats.date_format(timezone.localtime(release.published_at), "DATETIME_FORMAT")},
        )


def send_under_embargo(*, release, user, embargo_until, lists=(), contacts=()):
    """Send `release` under embargo to `lists` and `contacts`: a send, and
    for each recipient a share link of their own, written in one
    transaction; their mails are written to the outbox by a worker once it
    commits (tasks.write_mails). Returns the Distribution. Raises
    PermissionDenied or ValidationError, and then nothing is sent."""
    check_send(release, user=user, embargo_until=embargo_until)
    with transaction.atomic():
        # Every language version locked, so that two editors sending at once,
        # the same version or two, cannot both reach the same contact (the
        # constraint would refuse the second with an IntegrityError).
        versions = Release.objects.select_for_update().filter(translation_key=release.translation_key).order_by("pk")
        release = next(version for version in versions if version.pk == release.pk)
        check_send(release, user=user, embargo_until=embargo_until)
        planned = plan(release, user=user, embargo_until=embargo_until, lists=lists, contacts=contacts)
        if not planned.recipients:
            raise ValidationError(
                _("Nobody to send to: the lists and contacts chosen hold no one who may receive this release."),
                code="nobody",
            )
        distribution = Distribution.objects.create(release=release, embargo_until=embargo_until, sent_by=user)
        distribution.lists.set(lists)
        expires_at = embargo_until + DEFAULT_LIFETIME
        links = ShareLink.objects.bulk_create(
            ShareLink(release=version, expires_at=expires_at, created_by=user, note=str(LINK_NOTE))
            for _contact, version, _fell_back in planned.recipients
        )
        Recipient.objects.bulk_create(
            Recipient(
                distribution=distribution,
                contact=contact,
                release=version,
                translation_key=release.translation_key,
                fell_back=fell_back,
                share_link=link,
            )
            for (contact, version, fell_back), link in zip(planned.recipients, links, strict=True)
        )
        transaction.on_commit(lambda: enqueue_mails(distribution.pk))
    return distribution


def enqueue_mails(distribution_id):
    """Hand the writing of a send's mails to a worker. A broker that cannot
    be reached loses nothing: beat's sweep (tasks.write_pending_mails)
    finds the send."""
    # Imported here: the tasks module imports this one.
    from distribution.tasks import write_mails

    try:
        write_mails.delay(distribution_id)
    except OperationalError:
        logger.warning("Broker unreachable: the mails of send %s wait for the sweep", distribution_id, exc_info=True)


def write_mails(distribution_id):
    """Write the embargo mail of every recipient of a send who has none yet,
    a batch per transaction: safe to run again, and what one run leaves
    (a worker killed) the next finishes. Returns how many it wrote."""
    distribution = Distribution.objects.get(pk=distribution_id)
    written = 0
    while True:
        with transaction.atomic():
            batch = list(
                distribution.recipients.filter(message__isnull=True)
                .select_related("contact", "release", "share_link")
                .select_for_update(of=("self",))
                .order_by("pk")[:MAIL_BATCH]
            )
            if not batch:
                return written
            for recipient in batch:
                recipient.message = mail.embargoed_release(recipient, embargo_until=distribution.embargo_until)
            Recipient.objects.bulk_update(batch, ["message"])
            written += len(batch)


def pending_distributions(*, older_than=timedelta(minutes=1)):
    """Sends with recipients whose mail is not written yet, a while after
    the send: their task was lost (a broker down as the send committed)."""
    cutoff = timezone.now() - older_than
    return Distribution.objects.filter(sent_at__lte=cutoff, recipients__message__isnull=True).distinct()


def check_may_revoke(user):
    if not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied(gettext("Only editors may revoke recipients' links."))


def revoke(recipients, *, user):
    """Stop the links of `recipients` (a queryset) at once. Returns how many
    were working."""
    check_may_revoke(user)
    links = ShareLink.objects.filter(recipient__in=recipients, revoked_at__isnull=True)
    return links.update(revoked_at=timezone.now(), revoked_by=user)


def stop_links(*, release_id, actor_id):
    """Every recipient's link to `release_id` stops: the release was
    withdrawn or unscheduled (receivers.py). Returns how many."""
    return ShareLink.objects.filter(recipient__release_id=release_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by_id=actor_id
    )


def enqueue_public_notices(release_id):
    """Hand the writing of the "now public" mails of `release_id` to a
    worker. A broker that cannot be reached loses nothing: beat's sweep
    (tasks.write_pending_mails) finds them."""
    # Imported here: the tasks module imports this one.
    from distribution.tasks import announce_public

    try:
        announce_public.delay(release_id)
    except OperationalError:
        logger.warning("Broker unreachable: the notices of release %s wait for the sweep", release_id, exc_info=True)


def awaiting_public_notice():
    """The recipients owed a "now public" mail that has not been written:
    they asked for it and their link was not revoked."""
    written = Message.objects.filter(kind=mail.KIND, key=Concat(Value("public:"), Cast(OuterRef("pk"), CharField())))
    return Recipient.objects.filter(contact__notify_when_public=True, share_link__revoked_at__isnull=True).exclude(
        Exists(written)
    )


def announce_public(*, release_id):
    """Write the "now public" mail of each recipient of `release_id` who
    asked for it and whose link was not revoked, a batch per transaction:
    safe to run again, and what one run leaves the next finishes. Returns
    how many it wrote."""
    recipients = awaiting_public_notice().filter(release_id=release_id).select_related("contact", "release")
    written = after = 0
    while True:
        with transaction.atomic():
            batch = list(recipients.filter(pk__gt=after).order_by("pk")[:MAIL_BATCH])
            if not batch:
                return written
            for recipient in batch:
                mail.now_public(recipient)
            written, after = written + len(batch), batch[-1].pk


def pending_public_notices(*, older_than=timedelta(minutes=1), within=timedelta(days=1)):
    """The ids of the releases public for a while (up to `within`) with
    "now public" mails not written yet: their task was lost."""
    now = timezone.now()
    public = Release.objects.published().filter(published_at__gt=now - within, published_at__lte=now - older_than)
    return awaiting_public_notice().filter(release__in=public).values_list("release_id", flat=True).distinct()


def stop_occasion(release):
    """The step that stopped the links of `release` (its withdrawal or
    unscheduling after a send), or None: what "notify recipients" is for."""
    first_send = Distribution.objects.filter(release__translation_key=release.translation_key).order_by("sent_at")
    first = first_send.values_list("sent_at", flat=True).first()
    if first is None or release.is_published or release.is_scheduled:
        return None
    return (
        WorkflowEvent.objects.filter(
            release=release,
            action__in=[WorkflowEvent.Action.WITHDRAWN, WorkflowEvent.Action.UNSCHEDULED],
            created_at__gte=first,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def notify_stopped(*, release, user, texts):
    """Tell every recipient of `release` that it will not come out as
    announced, with `texts` ({language: text}) in their language. Once per
    recipient for each withdrawal or unscheduling. Returns the messages."""
    check_may_revoke(user)
    occasion = stop_occasion(release)
    if occasion is None:
        raise ValidationError(_("The links of this release were not stopped: there is nothing to tell."), code="live")
    recipients = Recipient.objects.filter(release=release).select_related("contact", "release").order_by("pk")
    with transaction.atomic():
        return [
            mail.stop_notice(
                recipient,
                occasion=occasion.pk,
                text=texts.get(recipient.contact.language)
                or mail.stop_notice_text(recipient.contact.language, title=release.title),
            )
            for recipient in recipients
        ]


def send_correction(*, change_note, user):
    """Mail `change_note` to every recipient of its release whose link was
    not revoked, once each. Returns the messages."""
    check_may_revoke(user)
    recipients = (
        Recipient.objects.filter(release_id=change_note.release_id, share_link__revoked_at__isnull=True)
        .select_related("contact", "release", "share_link")
        .order_by("pk")
    )
    with transaction.atomic():
        return [mail.correction(recipient, change_note=change_note) for recipient in recipients]
