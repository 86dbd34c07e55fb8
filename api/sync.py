"""Incremental sync (`updated_since`): every release that became public,
changed, was withdrawn or was deleted since a time, oldest change first, by
cursor. Public and withdrawn releases are ordered by the time of their
latest change, which for a scheduled release is the time it went public
(the later of its last save and its publication: nobody saves a scheduled
release as it goes public); deleted ones by their deletion, from the
RemovedRelease rows. The two are merged on (time, source, id)."""

import datetime

from django.core import signing
from django.db.models import Q
from django.db.models.functions import Greatest

from api.cursors import SALT, bad_cursor

RELEASES, REMOVED = 0, 1


def changed_since(releases):
    """`releases` with `changed_at`, the time a syncing client orders them by."""
    return releases.annotate(changed_at=Greatest("updated_at", "published_at"))


def page(releases, removed, *, since, cursor, size):
    """(rows, time of the last row, next cursor or None): `size` rows of
    `releases` (annotated by changed_since) and `removed` (RemovedRelease
    rows) changed at `since` or later, from just after `cursor`."""
    position = decode(cursor) if cursor else (since, -1, 0)
    rows = [(row.changed_at, RELEASES, row.pk, row) for row in _after(releases, "changed_at", RELEASES, position, size)]
    rows += [(row.removed_at, REMOVED, row.pk, row) for row in _after(removed, "removed_at", REMOVED, position, size)]
    rows.sort(key=lambda row: row[:3])
    shown = rows[:size]
    following = encode(shown[-1][:3]) if len(rows) > size else None
    return [row[3] for row in shown], (shown[-1][0] if shown else None), following


def _after(queryset, field, source, position, size):
    time, last_source, last_id = position
    same_time = Q(**{field: time})
    if last_source == source:
        same_time &= Q(pk__gt=last_id)
    elif last_source > source:
        same_time = Q(pk__in=[])
    # The bound alone, besides: a range the index can start at.
    later = queryset.filter(Q(**{f"{field}__gt": time}) | same_time, **{f"{field}__gte": time})
    return later.order_by(field, "pk")[: size + 1]


def encode(position):
    time, source, pk = position
    return signing.dumps(["sync", [time.isoformat(), source, pk]], salt=SALT, compress=False)


def decode(cursor):
    try:
        kind, (time, source, pk) = signing.loads(cursor, salt=SALT)
        if kind != "sync" or source not in (RELEASES, REMOVED) or not isinstance(pk, int):
            raise ValueError(kind)
        return datetime.datetime.fromisoformat(time), source, pk
    except (signing.BadSignature, ValueError, TypeError):
        raise bad_cursor() from None
