"""Pages of public releases that cost the same on the first page of a small
archive and the two-thousandth of a million releases.

Django's Paginator runs COUNT(*) over every match and then reads the page by
OFFSET over whole rows. Here the count stops at COUNT_CAP ("more than
10,000 releases") and comes back inside the page's own query, and the offset
is walked over the ordering index alone: the page's rows are then fetched by
primary key (a "late row lookup").
"""

import math
from dataclasses import dataclass

from django.db.models.expressions import RawSQL

COUNT_CAP = 10_000


class ArchivePaginator:
    """Pages of `rows`. `ids` gives the primary keys of the matches in page
    order (a one-column queryset, by default rows.values("pk")): a query
    that an index answers alone, such as the links of a tag
    (ReleaseFilters.tag_links). Or a list of every match's key, read
    before (a search's window: releases.search.ranked_window): the count
    and the order are then known, and a page's query only fetches its rows."""

    ELLIPSIS = "…"

    def __init__(self, rows, per_page, *, ids=None, cap=None):
        self.rows = rows
        self.ids = rows.values("pk") if ids is None else ids
        self._listed = isinstance(ids, list)
        self.per_page = per_page
        self.cap = COUNT_CAP if cap is None else cap
        # From the list of keys, or the first page's query, else counted on demand.
        self._count = len(ids) if self._listed else None

    def page(self, number):
        """Page `number` (a positive integer); past the end, the last page."""
        offset = (number - 1) * self.per_page
        rows = self._rows(offset)
        if not rows and number > 1:
            # Past the end: the last page, for which the count must be exact.
            matches = self.count if not self.capped else self.ids.order_by().count()
            number = max(1, math.ceil(matches / self.per_page))
            rows = self._rows((number - 1) * self.per_page)
        if rows and self._count is None:
            self._count = rows[0].matches
        return ArchivePage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    def _rows(self, offset):
        # One more than a page, to know whether another follows.
        ids = self.ids[offset : offset + self.per_page + 1]
        if self._listed:
            place = {pk: n for n, pk in enumerate(ids)}
            return sorted(self.rows.filter(pk__in=ids), key=lambda row: place[row.pk])
        capped_sql, params = self.ids.order_by()[: self.cap + 1].query.sql_with_params()
        return list(
            self.rows.filter(pk__in=ids).annotate(
                matches=RawSQL(f"SELECT COUNT(*) FROM ({capped_sql}) AS capped", params)
            )
        )

    @property
    def count(self):
        """Matches, exact up to the cap; cap + 1 means "more than the cap"."""
        if self._count is None:
            self._count = self.ids.order_by()[: self.cap + 1].count()
        return self._count

    @property
    def capped(self):
        return not self._listed and self.count > self.cap

    @property
    def num_pages(self):
        """The number of pages, or None when the count stopped at the cap."""
        return None if self.capped else max(1, math.ceil(self.count / self.per_page))


@dataclass
class ArchivePage:
    object_list: list
    number: int
    paginator: "ArchivePaginator"
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1

    def page_range(self, on_each_side=2):
        """The first page, those around this one and the last, with ELLIPSIS
        for the gaps; past the cap, where the last page is unknown, an
        ELLIPSIS ends the range."""
        paginator = self.paginator
        counted_pages = math.ceil(paginator.count / paginator.per_page) if paginator.count else 1
        last = max(counted_pages, self.number + self.has_next)
        around = range(max(1, self.number - on_each_side), min(last, self.number + on_each_side) + 1)
        pages = [1, ArchivePaginator.ELLIPSIS] if around[0] > 2 else [1] if around[0] == 2 else []
        pages.extend(around)
        if paginator.capped:
            pages.append(ArchivePaginator.ELLIPSIS)
        elif around[-1] < last:
            pages.extend([ArchivePaginator.ELLIPSIS, last] if around[-1] < last - 1 else [last])
        return pages
