"""Pages by cursor: a page starts after the last row of the one before, found
by its place in the order (a "keyset"), never by counting rows from the
start. So a page at any depth reads as few index entries as the first, and
a release published while a client walks the list shifts nothing.

A cursor is the sort key of that last row, signed with SECRET_KEY: a cursor
that was altered, made up or cut short is refused with a 400, never used.
"""

import datetime

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from api.errors import InvalidParameters

SALT = "api.cursor"


class Order:
    """An order of rows by `fields` (names, each with "-" for descending),
    the last of which must be unique (the primary key), and the cursors of
    one named `kind` that walk it."""

    def __init__(self, kind, *fields):
        self.kind = kind
        self.fields = fields

    def after(self, queryset, cursor):
        """`queryset` in this order, from just after the row `cursor` names
        (None: from the start)."""
        queryset = queryset.order_by(*self.fields)
        if cursor is None:
            return queryset
        values = self.decode(cursor)
        condition, equal = Q(), {}
        for field, value in zip(self.fields, values, strict=True):
            name = field.lstrip("-")
            beyond = f"{name}__{'lt' if field.startswith('-') else 'gt'}"
            condition |= Q(**equal, **{beyond: value})
            equal[name] = value
        # The first field's bound alone, besides: a range the index can start
        # at, where the OR above only filters what it reads.
        first = self.fields[0]
        start = {f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]}
        return queryset.filter(condition, **start)

    def page(self, queryset, cursor, size):
        """(rows, next cursor or None): `size` rows from just after `cursor`."""
        rows = list(self.after(queryset, cursor)[: size + 1])
        following = self.encode(rows[size - 1]) if len(rows) > size else None
        return rows[:size], following

    def encode(self, row):
        values = []
        for field in self.fields:
            value = getattr(row, field.lstrip("-"))
            values.append(value.isoformat() if isinstance(value, datetime.date) else value)
        return signing.dumps([self.kind, values], salt=SALT, compress=False)

    def decode(self, cursor):
        try:
            kind, values = signing.loads(cursor, salt=SALT)
            if kind != self.kind or len(values) != len(self.fields):
                raise ValueError(kind)
            return [_value(value) for value in values]
        except (signing.BadSignature, ValueError, TypeError):
            raise bad_cursor() from None


def bad_cursor():
    return InvalidParameters({"cursor": [_("Not a cursor of this list: use the one a page of it gave, as it was.")]})


def _value(value):
    """A sort key's value as encode() wrote it: a number, or a date or time."""
    if isinstance(value, int):
        return value
    if len(value) == 10:
        return datetime.date.fromisoformat(value)
    return datetime.datetime.fromisoformat(value)
