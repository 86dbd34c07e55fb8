"""The tracing of a release sent under embargo: for each recipient, whether
their mail went out, was delivered or bounced, and who opened their link
when, from which addresses and browsers. A link seen from many addresses has
probably been passed on, and is flagged. Built for thousands of recipients
and tens of thousands of views: each recipient keeps the figures of their
link's views (counted as each is logged: RecipientQuerySet.note_view), so
that a page reads them rather than count the log; only the addresses and
browsers of a page's 50 links are read from it."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from distribution.models import Recipient
from releases.models import ShareLinkView

# How many addresses and browsers a row shows, the rest counted.
SHOWN = 5


class Delivery:
    """What the outbox says of a recipient's mail, read by its status value
    (the outbox may know more statuses than this app, "bounced" among them)."""

    LABELS = {
        None: _("waiting"),
        "queued": _("sending"),
        "sending": _("sending"),
        "sent": _("delivered"),
        "bounced": _("bounced"),
        "failed": _("failed"),
    }

    @classmethod
    def label(cls, status):
        return cls.LABELS.get(status, status)


def many_addresses():
    return settings.PRESSROOM_DISTRIBUTION_MANY_ADDRESSES


def recipients(release, *, search="", flagged=False):
    """The ids of the recipients of any language version of `release`, by
    contact name, to paginate: the rows of a page come from `figures`."""
    rows = Recipient.objects.of_release(release).order_by("contact__name", "contact_id")
    if search:
        rows = rows.filter(
            Q(contact__name__icontains=search)
            | Q(contact__outlet__icontains=search)
            | Q(contact__email__icontains=search)
        )
    if flagged:
        rows = rows.flagged()
    return rows.values_list("pk", flat=True)


def figures(ids):
    """The recipients `ids`, in that order, with their contact, version,
    link and mail, and the figures of their link's views: one query."""
    rows = (
        Recipient.objects.filter(pk__in=ids)
        .select_related("contact", "release", "share_link", "message")
        .only(
            "fell_back",
            "contact__name",
            "contact__outlet",
            "contact__email",
            "contact__language",
            "release__language",
            "release__title",
            "share_link__revoked_at",
            "share_link__expires_at",
            "share_link__token",
            "message__status",
            "message__sent_at",
            "distribution_id",
            "view_count",
            "first_view_at",
            "last_view_at",
            "address_count",
        )
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def summary(release):
    """Counts over every recipient of `release`, one query (their kept
    figures: no pass over the views)."""
    return Recipient.objects.of_release(release).aggregate(
        recipients=Count("pk"),
        delivered=Count("pk", filter=Q(message__status="sent")),
        bounced=Count("pk", filter=Q(message__status="bounced")),
        failed=Count("pk", filter=Q(message__status="failed")),
        revoked=Count("pk", filter=Q(share_link__revoked_at__isnull=False)),
        opened=Count("pk", filter=Q(view_count__gt=0)),
        flagged=Count("pk", filter=Q(address_count__gte=many_addresses())),
    )


@dataclass
class Seen:
    addresses: list
    more_addresses: int
    browsers: list
    more_browsers: int


def seen(rows):
    """{recipient id: Seen} for `rows` (a page of recipients): the distinct
    addresses and browsers their links were opened from, in one query."""
    link_to_recipient = {row.share_link_id: row.pk for row in rows}
    pairs = (
        ShareLinkView.objects.filter(link_id__in=link_to_recipient)
        .order_by()
        .values_list("link_id", "ip_address", "user_agent")
        .distinct()
    )
    addresses, browsers = {}, {}
    for link_id, address, browser in pairs:
        addresses.setdefault(link_id, set()).add(address or "?")
        browsers.setdefault(link_id, set()).add(browser or "?")
    result = {}
    for link_id, recipient_id in link_to_recipient.items():
        found_addresses = sorted(addresses.get(link_id, ()))
        found_browsers = sorted(browsers.get(link_id, ()))
        result[recipient_id] = Seen(
            addresses=found_addresses[:SHOWN],
            more_addresses=max(0, len(found_addresses) - SHOWN),
            browsers=found_browsers[:SHOWN],
            more_browsers=max(0, len(found_browsers) - SHOWN),
        )
    return result
