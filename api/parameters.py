"""The query parameters of each list, checked strictly: the API answers 400
to what the site would quietly ignore (releases/filters.py), so that a
client's mistake shows at once. The serializers also document the
parameters in the schema (drf-spectacular)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.errors import InvalidParameters
from releases.filters import MAX_TAGS
from releases.search import SEARCH_MAX_LENGTH

# Text parameters refuse a NUL (DRF's validator, a 400); the schema says so.
NO_NUL = r"^[^\x00]*$"
# The same for a parameter that may also be blank (allow_blank): the schema
# gives blank as a branch of its own (oneOf), which a pattern matching ""
# too would make ambiguous, and Schemathesis would call `q=` invalid.
NO_NUL_NOT_BLANK = r"^[^\x00]+$"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class LanguageParameters(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        help_text="The language of the names and titles given (by default the site's default language).",
    )


class PageParameters(serializers.Serializer):
    cursor = serializers.RegexField(
        NO_NUL,
        required=False,
        max_length=1000,
        help_text="Where the page starts: the `next` cursor of the page before, as given.",
    )
    page_size = serializers.IntegerField(
        required=False,
        default=PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=f"Rows a page, {PAGE_SIZE} by default, {MAX_PAGE_SIZE} at most.",
    )


class ReleaseListParameters(PageParameters):
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        help_text="Only releases in this language (by default, every language).",
    )
    tag = serializers.ListField(
        child=serializers.SlugField(max_length=255),
        required=False,
        max_length=MAX_TAGS,
        help_text="Releases carrying every tag given (repeat the parameter for several).",
    )
    department = serializers.SlugField(max_length=200, required=False, help_text="A department's slug.")
    event = serializers.SlugField(max_length=255, required=False, help_text="An event's slug.")
    year = serializers.IntegerField(min_value=1900, max_value=2999, required=False, help_text="Year of publication.")
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="Month of publication (of any year, without `year`)."
    )
    q = serializers.RegexField(
        NO_NUL_NOT_BLANK,
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        # Empty, or spaces only, is no words, as on the site's search.
        allow_blank=True,
        help_text="Words, each to be found (stemmed by `language`'s rules); the newest 1,000 matches.",
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=(
            "Incremental sync: every release that became public, changed or left the public since this time "
            "(ISO 8601), oldest change first; withdrawn and deleted ones as `withdrawn` or `deleted`."
        ),
    )


def read(parameters_class, request):
    """The query parameters of `request`, checked by `parameters_class`:
    InvalidParameters (a 400) for a parameter it does not know or a value it
    refuses."""
    unknown = [name for name in request.query_params if name not in parameters_class().fields]
    if unknown:
        raise InvalidParameters({name: [_("Unknown parameter.")] for name in unknown})
    # A plain dict, not the QueryDict: DRF would take an empty value in a
    # QueryDict for no value at all, and `language=` must be refused.
    fields = parameters_class().fields
    query = request.query_params
    data = {
        name: query.getlist(name) if isinstance(fields[name], serializers.ListField) else query[name] for name in query
    }
    parameters = parameters_class(data=data)
    parameters.is_valid(raise_exception=True)
    return parameters.validated_data
