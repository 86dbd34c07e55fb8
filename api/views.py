"""The API's views: thin, over the same querysets as the site. Every release
comes from Release.objects.published() (readable() where withdrawn releases
are reported), every event from Event.objects.public()."""

from contextlib import nullcontext
from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import parameters, sync
from api.cursors import Order
from api.errors import ErrorSerializer, RateLimited, error_response
from api.models import RemovedRelease
from api.serializers import (
    CountedTagSerializer,
    DepartmentDetailSerializer,
    EventSerializer,
    ReleaseDetailSerializer,
    ReleaseSerializer,
    RemovedReleaseSerializer,
)
from api.tokens import BearerTokenAuthentication
from releases.addresses import absolute_url
from releases.filters import ReleaseFilters
from releases.models import ChangeNote, Department, Event, Release, Tag
from releases.models.media import documents_prefetch, gallery_prefetch, lead_image_prefetch
from releases.models.release import tags_prefetch
from releases.search import SEARCH_MAX_LENGTH, search_words
from serving.limits import over_limit, retry_after, statement_budget

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is unknown or has a value not allowed."),
    401: OpenApiResponse(ErrorSerializer, description="A bearer token malformed, unknown or revoked."),
    414: OpenApiResponse(description="An address longer than the server takes (gunicorn: 4,094 bytes)."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such public release.")}
RELEASE_ORDER = Order("releases", "-published_at", "-id")
EVENT_ORDER = Order("events", "-start_date", "-id")

RELEASE_OR_REMOVED = PolymorphicProxySerializer(
    component_name="ReleaseOrRemoved",
    serializers=[ReleaseSerializer, RemovedReleaseSerializer],
    resource_type_field_name=None,
    many=True,
)


def page_of(items, name):
    """The schema of a page of a list by cursor, of `items` (a serializer
    with many=True)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": items,
            "next": serializers.URLField(allow_null=True, help_text="The next page; null on the last."),
            "next_cursor": serializers.CharField(allow_null=True, help_text="The `cursor` of the next page."),
        },
    )


class ApiView(APIView):
    """What every API answer shares: open to every origin for reading (CORS),
    a rate limit per client (serving/limits.py) with its 429, and an
    optional token (api/tokens.py) that changes the limit and nothing else."""

    authentication_classes = [BearerTokenAuthentication]

    def dispatch(self, request, *args, **kwargs):
        # Times in UTC, whatever the site's display time zone; a time given
        # without an offset (updated_since) is read as UTC too.
        with timezone.override(UTC):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.auth is not None:  # a trusted tool's token: counted per token
            seconds = over_limit(
                f"api-token:{request.auth.pk}",
                limit=settings.PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS,
                window=settings.PRESSROOM_API_RATE_LIMIT_SECONDS,
            )
        else:
            seconds = retry_after(
                request,
                limit=settings.PRESSROOM_API_RATE_LIMIT_REQUESTS,
                window=settings.PRESSROOM_API_RATE_LIMIT_SECONDS,
                scope="api-rate",
            )
        if seconds:
            raise RateLimited(wait=seconds)

    @extend_schema(exclude=True)
    def options(self, request, *args, **kwargs):
        """A CORS preflight: any origin may read, with conditional requests."""
        response = Response(status=204)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        # The same answer whatever the token, but a shared cache (a CDN) must
        # not answer a request with a token for us: a revoked one is a 401.
        patch_vary_headers(response, ["Authorization"])
        if response.status_code >= 400:
            response["Cache-Control"] = "no-store"
        return response

    def next_url(self, cursor):
        if cursor is None:
            return None
        query = self.request.query_params.copy()
        query["cursor"] = cursor
        return absolute_url(f"{self.request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in the API's shape."""
    response = error_response(404, "not_found", _("Not found."))
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {}
    response["Access-Control-Allow-Origin"] = "*"
    return response


class RootView(ApiView):
    @extend_schema(
        operation_id="root",
        summary="The API's lists and documents",
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}, **ERRORS},
    )
    def get(self, request):
        names = {"releases": "release-list", "tags": "tag-list", "events": "event-list"}
        names |= {"departments": "department-list", "schema": "schema", "docs": "docs"}
        return Response({key: absolute_url(reverse(f"api:{name}")) for key, name in names.items()})


class ReleaseListView(ApiView):
    query_parameters = tuple(parameters.ReleaseListParameters().fields)

    @extend_schema(
        operation_id="releases_list",
        summary="Public releases, newest first; or, with updated_since, every change since a time",
        parameters=[parameters.ReleaseListParameters],
        responses={200: page_of(RELEASE_OR_REMOVED, "ReleasePage"), **ERRORS},
    )
    def get(self, request):
        params = parameters.read(parameters.ReleaseListParameters, request)
        language = params.get("language")
        filters = ReleaseFilters(
            tags=list(dict.fromkeys(params.get("tag", []))),
            department=params.get("department", ""),
            event=params.get("event", ""),
            year=params.get("year"),
            month=params.get("month"),
            q=search_words(params.get("q", ""), max_length=SEARCH_MAX_LENGTH),
        )
        releases = Release.objects.readable() if "updated_since" in params else Release.objects.published()
        if language:
            releases = releases.filter(language=language)
        releases = filters.apply(releases, language=language or settings.LANGUAGE_CODE)
        releases = (
            releases.select_related("department", "event")
            .prefetch_related(tags_prefetch(), lead_image_prefetch())
            .defer("body", "search_vector")
        )
        # Words are what may cost a list dearly (pages by cursor cost the same
        # at any depth): their statements are cut short as the site's are.
        with statement_budget() if filters.q else nullcontext():
            if "updated_since" in params:
                return self.changes(releases, params)
            rows, cursor = RELEASE_ORDER.page(releases, params.get("cursor"), params["page_size"])
            results = ReleaseSerializer(rows, many=True).data
        return Response({"results": results, "next": self.next_url(cursor), "next_cursor": cursor})

    def changes(self, releases, params):
        removed = RemovedRelease.objects.all()
        if params.get("language"):
            removed = removed.filter(language=params["language"])
        rows, _last, cursor = sync.page(
            sync.changed_since(releases),
            removed,
            since=params["updated_since"],
            cursor=params.get("cursor"),
            size=params["page_size"],
        )
        # One serializer for each kind of row, not one per row: a DRF
        # serializer copies its fields each time it is made.
        public = [row for row in rows if row.status == Release.Status.PUBLISHED]
        removed = [row for row in rows if row.status != Release.Status.PUBLISHED]
        public = iter(ReleaseSerializer(public, many=True).data)
        removed = iter(RemovedReleaseSerializer(removed, many=True).data)
        results = [next(public) if row.status == Release.Status.PUBLISHED else next(removed) for row in rows]
        return Response({"results": results, "next": self.next_url(cursor), "next_cursor": cursor})


class ReleaseDetailView(ApiView):
    @extend_schema(
        operation_id="release_detail",
        summary="One release, with every language version, photos, documents and change notes",
        responses={
            200: PolymorphicProxySerializer(
                component_name="ReleaseDetailOrWithdrawn",
                serializers=[ReleaseDetailSerializer, RemovedReleaseSerializer],
                resource_type_field_name=None,
            ),
            **ERRORS,
            **NOT_FOUND,
        },
    )
    def get(self, request, pk):
        release = get_object_or_404(
            Release.objects.readable()
            .select_related("department", "event")
            .prefetch_related(
                tags_prefetch(),
                gallery_prefetch(),
                documents_prefetch(),
                Prefetch(
                    "change_notes",
                    queryset=ChangeNote.objects.order_by("created_at", "id"),
                    to_attr="listed_change_notes",
                ),
            ),
            pk=pk,
        )
        if release.is_withdrawn:
            return Response(RemovedReleaseSerializer(release).data)
        release.other_versions = (
            Release.objects.published().filter(translation_key=release.translation_key).exclude(pk=release.pk)
        ).only("pk", "language", "slug")
        return Response(ReleaseDetailSerializer(release).data)


class TagListView(ApiView):
    query_parameters = ("language",)

    @extend_schema(
        operation_id="tags_list",
        summary="Every tag of public releases in a language, with its count",
        parameters=[parameters.LanguageParameters],
        responses={200: CountedTagSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        params = parameters.read(parameters.LanguageParameters, request)
        tags = Tag.objects.in_public_use(params.get("language", settings.LANGUAGE_CODE))
        return Response(CountedTagSerializer(tags, many=True).data)


class EventListView(ApiView):
    query_parameters = ("language", "cursor", "page_size")

    class Parameters(parameters.LanguageParameters, parameters.PageParameters):
        pass

    @extend_schema(
        operation_id="events_list",
        summary="Public events, latest first",
        parameters=[Parameters],
        responses={200: page_of(EventSerializer(many=True), "EventPage"), **ERRORS},
    )
    def get(self, request):
        params = parameters.read(self.Parameters, request)
        with translation.override(params.get("language", settings.LANGUAGE_CODE)):
            rows, cursor = EVENT_ORDER.page(Event.objects.public(), params.get("cursor"), params["page_size"])
            results = EventSerializer(rows, many=True).data
        return Response({"results": results, "next": self.next_url(cursor), "next_cursor": cursor})


class DepartmentListView(ApiView):
    query_parameters = ("language",)

    @extend_schema(
        operation_id="departments_list",
        summary="The departments that sign releases",
        parameters=[parameters.LanguageParameters],
        responses={200: DepartmentDetailSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        params = parameters.read(parameters.LanguageParameters, request)
        with translation.override(params.get("language", settings.LANGUAGE_CODE)):
            return Response(DepartmentDetailSerializer(Department.objects.order_by("slug"), many=True).data)
