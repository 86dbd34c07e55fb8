"""The filters of the public release list, read from the query string.

Bad values never raise: an unusable filter is dropped (month=13), a
well-formed but unknown one simply matches nothing (tag=no-such-tag).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from releases.models import Tag, TagCount, TaggedRelease
from releases.models.release import SEARCH_MAX_LENGTH

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,255}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# More distinct tags than any release carries can only match nothing.
MAX_TAGS = 20


def _slug(value):
    # fullmatch: a pattern ending in "$" would also let a trailing newline through.
    return value if value and SLUG.fullmatch(value) else ""


def _number(value, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass
class ReleaseFilters:
    tags: list = field(default_factory=list)
    department: str = ""
    event: str = ""
    year: int | None = None
    month: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params):
        tags = list(dict.fromkeys(slug for slug in map(_slug, params.getlist("tag")) if slug))
        year = _number(params.get("year"), 1900, 2999)
        words = CONTROL_CHARACTERS.sub(" ", params.get("q", ""))
        return cls(
            tags=tags[:MAX_TAGS],
            department=_slug(params.get("department")),
            event=_slug(params.get("event")),
            year=year,
            month=_number(params.get("month"), 1, 12) if year else None,
            q=" ".join(words.split())[:SEARCH_MAX_LENGTH],
        )

    def __bool__(self):
        return bool(self.tags or self.department or self.event or self.year or self.q)

    def apply(self, releases, *, language):
        return self._narrowed(releases.with_all_tags(self.tags)).search(self.q, language=language)

    def _narrowed(self, queryset, *, release=""):
        """`queryset` narrowed to the department, event and date asked for;
        `release` leads from its rows to their release ("content_object__"
        for tag links, which keep their own copy of the publication time)."""
        if self.department:
            queryset = queryset.filter(**{f"{release}department__slug": self.department})
        if self.event:
            queryset = queryset.filter(**{f"{release}event__slug": self.event})
        if self.year:
            queryset = queryset.filter(published_at__year=self.year)
            if self.month:
                queryset = queryset.filter(published_at__month=self.month)
        return queryset

    def tag_links(self, *, language):
        """The primary keys of the public releases in `language` that match
        these filters (tags given, no words), newest first, read from a tag's
        links (TaggedRelease keeps its releases' columns) so that a popular
        tag's page, at any depth, walks one index."""
        # The rarest of the tags leads: its links are walked in order, and
        # each is looked up among the others' (an index probe apiece).
        rarest = TagCount.objects.filter(tag__slug__in=self.tags, language=language).order_by("releases")
        links = TaggedRelease.objects.published(language).filter(tag_id=Subquery(rarest.values("tag_id")[:1]))
        if len(self.tags) > 1:
            for slug in self.tags:
                tag_id = Subquery(Tag.objects.filter(slug=slug).values("pk")[:1])
                links = links.filter(
                    Exists(TaggedRelease.objects.filter(content_object_id=OuterRef("content_object_id"), tag_id=tag_id))
                )
        links = self._narrowed(links, release="content_object__")
        return links.order_by("-published_at", "-content_object_id").values("content_object_id")

    def as_params(self):
        """The filters as query-string pairs, in a stable order."""
        params = [("tag", slug) for slug in self.tags]
        for name in ("department", "event", "year", "month", "q"):
            if value := getattr(self, name):
                params.append((name, value))
        return params

    def querystring(self, without=None, **extra):
        """'?...' for these filters less the pair `without`, plus `extra`."""
        params = [pair for pair in self.as_params() if pair != without] + list(extra.items())
        return "?" + urlencode(params) if params else "?"

    def chips(self, names):
        """The active filters as (kind, label, link that removes it).

        `names` maps ("tag", slug), ("department", slug) and ("event", slug)
        to display names; an unknown slug is shown as it is.
        """
        kinds = {"tag": _("Tag"), "department": _("Department"), "event": _("Event"), "q": _("Words")}
        chips = [
            (kinds[name], names.get((name, value), value), self.querystring(without=(name, value)))
            for name, value in self.as_params()
            if name in kinds
        ]
        if self.year:
            label = f"{self.month:02d}.{self.year}" if self.month else str(self.year)
            dateless = [pair for pair in self.as_params() if pair[0] not in ("year", "month")]
            chips.append((_("Date"), label, "?" + urlencode(dateless) if dateless else "?"))
        return chips
