"""The filters of the public release list, read from the query string.

Bad values never raise: an unusable filter is dropped (month=13), a
well-formed but unknown one simply matches nothing (tag=no-such-tag).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from releases.collation import sort_key
from releases.models import Department, Event, Release, Tag, TagCount, TaggedRelease
from releases.search import SEARCH_MAX_LENGTH, search_words
from serving.pagecache import kept_for_version

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,255}")
# More distinct tags than any release carries can only match nothing.
MAX_TAGS = 20
# A list narrowed by a department or an event as well as tags walks the
# rarest tag's links only when it has at most this many public releases in
# the language; a more common tag leaves the walk to the department's or
# event's releases, each probed for the tags.
TAG_LEADS = 2_000
# Where every match of a list costs an index probe (several tags, or tags
# with a department or an event), its count stops here.
COMBINED_COUNT_CAP = 1_000


# Not a filter: a parameter of the list, set by the language switcher of a
# release that has no version in the list's language, which the list then
# says (templates/releases/release_list.html).
UNTRANSLATED = "untranslated"


def _slug(value):
    # fullmatch: a pattern ending in "$" would also let a trailing newline through.
    return value if value and SLUG.fullmatch(value) else ""


def _tag_id(slug):
    """The id of the tag `slug`, as a subquery: NULL, which matches nothing,
    when there is no such tag."""
    return Subquery(Tag.objects.filter(slug=slug).values("pk")[:1])


def _number(value, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _published_in(rows, *, year=None, month=None):
    """`rows` (releases, or tag links with their copy of the publication
    time) published in `year` and `month`, as the site's time zone reckons
    them whatever zone is current (the API's is UTC). Either may be None: a
    month alone is that month of any year (the API's; the site's lists ask
    for a month only with its year). A year, or a month of a year, is a
    range of the index on the publication time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if year:
        start = datetime(year, month or 1, 1, tzinfo=zone)
        end = (
            datetime(year + 1, 1, 1, tzinfo=zone) if month in (None, 12) else datetime(year, month + 1, 1, tzinfo=zone)
        )
        return rows.filter(published_at__gte=start, published_at__lt=end)
    if month:
        return rows.alias(published_month=ExtractMonth("published_at", tzinfo=zone)).filter(published_month=month)
    return rows


@dataclass
class ReleaseFilters:
    # What from_query reads.
    QUERY_PARAMETERS = ("tag", "department", "event", "year", "month", "q")

    tags: list = field(default_factory=list)
    department: str = ""
    event: str = ""
    year: int | None = None
    month: int | None = None
    q: str = ""
    # The tags asked for, by language, as tags_found() read them.
    _tags_found: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_query(cls, params):
        tags = list(dict.fromkeys(slug for slug in map(_slug, params.getlist("tag")) if slug))
        year = _number(params.get("year"), 1900, 2999)
        return cls(
            tags=tags[:MAX_TAGS],
            department=_slug(params.get("department")),
            event=_slug(params.get("event")),
            year=year,
            month=_number(params.get("month"), 1, 12) if year else None,
            q=search_words(params.get("q"), max_length=SEARCH_MAX_LENGTH),
        )

    def __bool__(self):
        return bool(self.tags or self.department or self.event or self.year or self.month or self.q)

    def apply(self, releases, *, language):
        tags = self._tag_ids(language) if self._tags_by_id else [_tag_id(slug) for slug in self.tags]
        return self._narrowed(releases.with_all_tags(tags)).search(self.q, language=language)

    @property
    def _tags_by_id(self):
        """Whether the tags' ids are read first (tags_found). Tags alone are
        found in subqueries, which spares their list a query: walking the
        rarest tag's links (tag_links) has one plan anyway. With a
        department, an event or words, PostgreSQL must choose what to walk,
        and chooses well only with each tag's own statistics: a popular
        tag's 100,000 links are not read to match a department's 2,000
        releases."""
        return bool(self.tags) and bool(self.department or self.event or self.q)

    def _narrowed(self, queryset, *, release_path=None):
        """`queryset` narrowed to the department, event and date asked for.
        Its rows are releases, or lead to their release by `release_path`
        ("content_object" for tag links, which keep their own copy of the
        publication time: the date is read from the rows themselves)."""
        to_release = f"{release_path}__" if release_path else ""
        for name, found in (("department", self.department_found), ("event", self.event_found)):
            if found:
                queryset = queryset.filter(**{f"{to_release}{name}_id": found[0]})
            elif slug := getattr(self, name):  # no such department or event: nothing matches
                queryset = queryset.filter(**{f"{to_release}{name}__slug": slug})
        return _published_in(queryset, year=self.year, month=self.month)

    @cached_property
    def department_found(self):
        """(id, name) of the department asked for, or None. Lists filter by
        the id itself rather than through a join, so that PostgreSQL plans
        with that department's own statistics and reads its releases in
        the order of its index."""
        if self.department:
            return Department.objects.filter(slug=self.department).values_list("pk", "name").first()
        return None

    @cached_property
    def event_found(self):
        """(id, title) of the event asked for, or None; as department_found."""
        if self.event:
            return Event.objects.public().filter(slug=self.event).values_list("pk", "title").first()
        return None

    def tags_found(self, *, language):
        """{slug: (id, public releases in `language`)} of the tags asked for
        that exist, read in one query and kept."""
        if language not in self._tags_found:
            releases = TagCount.objects.filter(tag=OuterRef("pk"), language=language).values("releases")[:1]
            tags = Tag.objects.filter(slug__in=self.tags).annotate(releases=Coalesce(Subquery(releases), 0))
            rows = tags.values_list("slug", "pk", "releases")
            self._tags_found[language] = {slug: (pk, count) for slug, pk, count in rows}
        return self._tags_found[language]

    def _tag_ids(self, language):
        """The tags' ids, rarest first (see _tags_by_id); one that does not
        exist comes first, as a subquery that finds no tag."""
        found = self.tags_found(language=language)
        missing = [_tag_id(slug) for slug in self.tags if slug not in found]
        return missing + [pk for pk, _count in sorted(found.values(), key=lambda tag: tag[1])]

    def led_by_tag(self, *, language):
        """Whether the list should walk its rarest tag's links (tag_links)
        rather than releases: always when only tags narrow it, otherwise
        when that tag is rare enough (TAG_LEADS)."""
        if not self.tags:
            return False
        if not (self.department or self.event):
            return True
        counts = [count for _pk, count in self.tags_found(language=language).values()]
        return len(counts) < len(self.tags) or min(counts) <= TAG_LEADS

    @property
    def count_cap(self):
        """The cap of the list's count: COMBINED_COUNT_CAP where each match
        costs a probe, None (the paginator's own) elsewhere."""
        combined = len(self.tags) > 1 or bool(self.tags and (self.department or self.event))
        return COMBINED_COUNT_CAP if combined else None

    def tag_links(self, *, language):
        """The primary keys of the public releases in `language` that match
        these filters (tags given, no words), newest first, read from a tag's
        links (TaggedRelease keeps its releases' columns) so that a popular
        tag's page, at any depth, walks one index."""
        # The rarest of the tags leads: its links are walked in order, and
        # each is looked up among the others' (an index probe apiece).
        if self._tags_by_id:
            lead, *others = self._tag_ids(language)
        else:
            rarest = TagCount.objects.filter(tag__slug__in=self.tags, language=language).order_by("releases")
            lead = Subquery(rarest.values("tag_id")[:1])
            # Which one leads is known only to the query: each is probed.
            others = [_tag_id(slug) for slug in self.tags]
            others = others if len(others) > 1 else []
        links = TaggedRelease.objects.published(language).filter(tag_id=lead)
        for tag_id in others:
            links = links.filter(
                Exists(TaggedRelease.objects.filter(content_object_id=OuterRef("content_object_id"), tag_id=tag_id))
            )
        links = self._narrowed(links, release_path="content_object")
        return links.order_by("-published_at", "-content_object_id").values("content_object_id")

    def as_params(self):
        """The filters as query-string pairs, in a stable order."""
        params = [("tag", slug) for slug in self.tags]
        for name in ("department", "event", "year", "month", "q"):
            if value := getattr(self, name):
                params.append((name, value))
        return params

    def canonical_params(self):
        """as_params with the tags in the order of their slugs: the same
        list, however its tags were given, has one address."""
        return sorted(pair for pair in self.as_params() if pair[0] == "tag") + [
            pair for pair in self.as_params() if pair[0] != "tag"
        ]

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
            # "June 2023", "İyun 2023", "Июнь 2023 г.": the language's own way.
            label = date_format(date(self.year, self.month, 1), "YEAR_MONTH_FORMAT") if self.month else str(self.year)
            dateless = [pair for pair in self.as_params() if pair[0] not in ("year", "month")]
            chips.append((_("Date"), label, "?" + urlencode(dateless) if dateless else "?"))
        return chips


@dataclass
class NarrowingChoices:
    """What the public list offers to narrow it by, beside its tags: a
    year, a month and a department, each as (value, label)."""

    years: list
    months: list
    departments: list

    @classmethod
    def for_page(cls, request, language):
        """for_language's, kept by each worker for the version of the public
        content the page belongs to (serving.pagecache.kept_for_version)."""
        this_year = timezone.localdate().year
        return kept_for_version(request, ("narrowing", language, this_year), lambda: cls.for_language(language))

    @classmethod
    def for_language(cls, language):
        """The years from this year back to that of the oldest public release
        in `language`, the months by name, every department by name in the
        alphabetical order of the language. Two queries, whatever the size
        of the archive: the oldest release, read from the start of the
        lists' index, and the departments (a few dozen rows)."""
        oldest = (
            Release.objects.published()
            .filter(language=language)
            .order_by("published_at", "pk")
            .values_list("published_at", flat=True)
            .first()
        )
        this_year = timezone.localdate().year
        first_year = timezone.localtime(oldest).year if oldest else this_year
        in_order = sort_key(language)
        departments = sorted(Department.objects.values_list("slug", "name"), key=lambda pair: in_order(pair[1]))
        return cls(
            years=[(year, str(year)) for year in range(this_year, first_year - 1, -1)],
            months=[(number, str(name)) for number, name in MONTHS.items()],
            departments=departments,
        )
