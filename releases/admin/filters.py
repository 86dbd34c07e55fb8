"""Filters of the release list that stay small with a million releases, five
thousand events and two thousand tags: an event or a tag is chosen through
the admin's own autocomplete (as django-admin-autocomplete-filter does), not
from a list of them all, and the publication date by year and month, without
the DISTINCT over every date that `date_hierarchy` runs."""

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.cache import cache
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from releases.models import Release, TaggedRelease
from releases.text import parse_id


class AutocompleteFilter(admin.ListFilter):
    """One object of a related model, chosen in a select box that searches
    as one types (the admin's autocomplete view and its select2 widget).

    The parameter takes the object's id, as the admin's own related filters
    do (`?tags__id__exact=12`, so old links keep working), or its slug, for
    addresses typed by hand (`?tags__id__exact=wco`); without JavaScript the
    form's plain select and its button still work for the chosen value. An
    id or slug of nothing gives an empty list and a warning, never an error.
    """

    template = "admin/releases/release/autocomplete_filter.html"
    field_name = None  # the release's relation: "event", "tags"
    parameter_name = None

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.field = model._meta.get_field(self.field_name)
        self.related_model = self.field.remote_field.model
        self.admin_site = model_admin.admin_site
        values = params.pop(self.parameter_name, [])
        self.raw_value = values[-1].strip() if values else ""
        self.chosen = None
        if self.raw_value:
            self.used_parameters[self.parameter_name] = self.raw_value
            self.chosen = self.find(self.raw_value)
            if self.chosen is None:
                messages.warning(
                    request,
                    gettext("No %(model)s has the id or slug “%(value)s”.")
                    % {"model": self.related_model._meta.verbose_name, "value": self.raw_value[:100]},
                )

    def find(self, value):
        objects = self.related_model._default_manager
        found = None
        if (pk := parse_id(value)) is not None:
            found = objects.filter(pk=pk).first()
        # A slug may be all digits too (the tag "2024").
        return found or objects.filter(slug=value[:255]).first()

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def queryset(self, request, queryset):
        if self.chosen is not None:
            return self.filter_by(queryset, self.chosen)
        if self.raw_value:
            return queryset.none()
        return queryset

    def filter_by(self, queryset, chosen):
        return queryset.filter(**{self.field_name: chosen})

    def choices(self, changelist):
        # One "choice": the form, with the list's other parameters kept.
        field = forms.ModelChoiceField(
            queryset=self.related_model._default_manager.all(),
            required=False,
            widget=AutocompleteSelect(
                self.field, self.admin_site, attrs={"data-submit-on-change": "", "data-width": "100%"}
            ),
        )
        widget = field.widget.render(
            self.parameter_name,
            self.chosen.pk if self.chosen is not None else None,
            attrs={"id": f"filter-{self.parameter_name}"},
        )
        kept = {
            name: values
            for name, values in changelist.filter_params.items()
            if name not in (self.parameter_name, PAGE_VAR)
        }
        yield {
            "selected": self.chosen is not None,
            "widget": widget,
            "kept_parameters": [(name, value) for name, values in kept.items() for value in values],
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
            "display": str(self.chosen) if self.chosen is not None else "",
        }


class EventFilter(AutocompleteFilter):
    title = _("event")
    field_name = "event"
    parameter_name = "event__id__exact"


class TagFilter(AutocompleteFilter):
    title = _("tags")
    field_name = "tags"
    parameter_name = "tags__id__exact"

    def filter_by(self, queryset, chosen):
        # A subquery rather than a join: one row per release, no DISTINCT.
        return queryset.filter(pk__in=TaggedRelease.objects.filter(tag=chosen).values("content_object_id"))


def autocomplete_filter_media():
    """The scripts and styles of the autocomplete filters: the admin's
    select2 and its set-up, and the script that submits a filter when a
    value is chosen. Static files, as the Content-Security-Policy wants."""
    field = Release._meta.get_field("event")
    # Naming jquery.init.js first keeps the script after it in the merge.
    submit = forms.Media(js=["admin/js/jquery.init.js", "releases/admin/list_filters.js"])
    return AutocompleteSelect(field, admin.site).media + submit


# The years of the publication filter are those from the earliest
# publication to the latest: two aggregates over the whole table, kept this
# many seconds. The current year is always offered.
YEAR_RANGE_CACHE_KEY = "releases:admin:publication-years"
YEAR_RANGE_SECONDS = 60 * 60


def publication_years():
    """The years releases are published in, newest first."""
    bounds = cache.get(YEAR_RANGE_CACHE_KEY)
    if bounds is None:
        dates = Release.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
        bounds = tuple(timezone.localtime(d).year if d else None for d in (dates["first"], dates["last"]))
        cache.set(YEAR_RANGE_CACHE_KEY, bounds, YEAR_RANGE_SECONDS)
    this_year = timezone.localdate().year
    first, last = (year if year is not None else this_year for year in bounds)
    return list(range(max(last, this_year), min(first, this_year) - 1, -1))


class PublicationDateFilter(admin.ListFilter):
    """Publication by year, then month: the parameters of the admin's date
    hierarchy (`?published_at__year=2024&published_at__month=5`), so that its
    links keep working. A year or month that is no number is ignored."""

    title = _("publication time")
    year_parameter = "published_at__year"
    month_parameter = "published_at__month"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.year = self.month = None
        for name in self.expected_parameters():
            values = params.pop(name, [])
            if values:
                self.used_parameters[name] = values[-1]
        year = self.used_parameters.get(self.year_parameter, "")
        month = self.used_parameters.get(self.month_parameter, "")
        if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
            self.year = int(year)
            if month.isascii() and month.isdigit() and 1 <= int(month) <= 12:
                self.month = int(month)

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.year_parameter, self.month_parameter]

    def queryset(self, request, queryset):
        if self.year is None:
            return queryset
        if self.month is None:
            return queryset.filter(published_at__year=self.year)
        return queryset.filter(published_at__year=self.year, published_at__month=self.month)

    def choices(self, changelist):
        everything = self.expected_parameters()
        yield {
            "selected": self.year is None,
            "query_string": changelist.get_query_string(remove=everything),
            "display": _("All dates"),
        }
        for year in publication_years():
            yield {
                "selected": self.year == year and self.month is None,
                "query_string": changelist.get_query_string({self.year_parameter: year}, [self.month_parameter]),
                "display": str(year),
            }
            if year == self.year:
                for month in MONTHS:
                    yield {
                        "selected": self.month == month,
                        "query_string": changelist.get_query_string(
                            {self.year_parameter: year, self.month_parameter: month}
                        ),
                        "display": formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT"),
                    }


class AuthorFilter(admin.SimpleListFilter):
    """Releases one wrote: what the desk's "my drafts" links to."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [("me", _("Me"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(author=request.user)
        return queryset


class ScheduleFilter(admin.SimpleListFilter):
    """Published releases, told apart by whether their time has come
    (releases.models.visibility): public now, or scheduled for later."""

    title = _("publication")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [("public", _("Public now")), ("scheduled", _("Scheduled"))]

    def queryset(self, request, queryset):
        match self.value():
            case "public":
                return queryset.published()
            case "scheduled":
                return queryset.scheduled()
        return queryset
