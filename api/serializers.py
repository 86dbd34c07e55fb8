"""What the API gives for each thing: plain serializers over objects the
views have loaded whole (select_related, prefetches), so that serializing
runs no query. Addresses are absolute (releases/addresses.py); names and
titles of departments, events and delegations in the release's language."""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from releases.addresses import absolute_media_url, absolute_url


def api_url(name, **kwargs):
    return absolute_url(reverse(f"api:{name}", kwargs=kwargs))


class OncePerList:
    """For a nested serializer of what many rows of a list share (a
    department, an event, a tag): each is serialized once per list and
    language, and its rows share the result, addresses and names in their
    language included (README, "The API": what it saves). The serializer
    lives for one answer, so nothing outlives the content it shows."""

    def to_representation(self, instance):
        done = self.__dict__.setdefault("_done", {})
        key = (translation.get_language(), instance.pk)
        if key not in done:
            done[key] = super().to_representation(instance)
        return done[key]


class TagSerializer(OncePerList, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CountedTagSerializer(TagSerializer):
    release_count = serializers.IntegerField(help_text="Public releases in the language asked for.")


class DepartmentSerializer(OncePerList, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    signature = serializers.CharField(source="signed_as", help_text="How its releases are signed.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, department):
        return absolute_url(department.get_absolute_url())


class DepartmentDetailSerializer(DepartmentSerializer):
    description = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    media_contact_name = serializers.CharField(allow_blank=True)
    media_contact_email = serializers.EmailField(allow_blank=True)
    media_contact_phone = serializers.CharField(allow_blank=True)


class EventSerializer(OncePerList, serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    organizer = serializers.CharField(allow_blank=True)
    venue = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event):
        return absolute_url(event.get_absolute_url())


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    webp = serializers.SerializerMethodField()
    jpeg = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_webp(self, rendition):
        return absolute_media_url(rendition.webp_url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_jpeg(self, rendition):
        return absolute_media_url(rendition.jpeg_url)


class PhotoSerializer(serializers.Serializer):
    alt_text = serializers.CharField()
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    is_lead = serializers.BooleanField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSerializer(many=True, help_text="Narrowest first, each in WebP and JPEG.")


# One for every row: a serializer made for each would copy its fields each time.
LEAD_PHOTO = PhotoSerializer()


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    language = serializers.CharField()
    format = serializers.CharField()
    size = serializers.IntegerField(source="file_size", help_text="Bytes.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document):
        return absolute_url(document.get_absolute_url())


class DelegationMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)


class DelegationSerializer(serializers.Serializer):
    head_name = serializers.CharField()
    head_position = serializers.CharField(allow_blank=True)
    head_rank = serializers.CharField(allow_blank=True)
    members = DelegationMemberSerializer(many=True, source="member_list")


class ChangeNoteSerializer(serializers.Serializer):
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReleaseSerializer(serializers.Serializer):
    """A release in a list: what a card on the site shows."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["published", "withdrawn", "deleted"],
        help_text="Always `published` but in `updated_since` results, where a release that left the public "
        "is `withdrawn` or `deleted` and carries nothing but what a mirror needs to take it down.",
    )
    language = serializers.CharField()
    translation_key = serializers.UUIDField(help_text="Shared by the language versions of one release.")
    slug = serializers.SlugField()
    title = serializers.CharField()
    lead = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(
        source="public_updated_at", allow_null=True, help_text="The time of the latest public change note."
    )
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    department = DepartmentSerializer()
    event = EventSerializer(allow_null=True)
    tags = TagSerializer(many=True, source="tag_list")
    lead_photo = serializers.SerializerMethodField()

    def to_representation(self, release):
        # Departments' and events' names in the release's own language.
        with translation.override(release.language):
            return super().to_representation(release)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, release):
        return absolute_url(release.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, release):
        return api_url("release-detail", pk=release.pk)

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_lead_photo(self, release):
        photos = getattr(release, "lead_images", None) or getattr(release, "shown_images", None)
        return LEAD_PHOTO.to_representation(photos[0]) if photos else None


class ReleaseDetailSerializer(ReleaseSerializer):
    """One release, with all that its page shows."""

    body = serializers.CharField(help_text="HTML, sanitized as the site shows it.")
    photos = PhotoSerializer(many=True, source="shown_images", help_text="The lead photo first.")
    documents = DocumentSerializer(many=True, source="listed_documents")
    delegations = DelegationSerializer(many=True, source="delegation_list")
    change_notes = ChangeNoteSerializer(many=True, source="listed_change_notes")
    translations = serializers.SerializerMethodField(
        help_text="The other public language versions: {language: {id, url, api_url}}."
    )

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "url": {"type": "string", "format": "uri"},
                    "api_url": {"type": "string", "format": "uri"},
                },
                "required": ["id", "url", "api_url"],
            },
        }
    )
    def get_translations(self, release):
        return {
            version.language: {
                "id": version.pk,
                "url": absolute_url(version.get_absolute_url()),
                "api_url": api_url("release-detail", pk=version.pk),
            }
            for version in release.other_versions
        }


class RemovedReleaseSerializer(serializers.Serializer):
    """A release that left the public: withdrawn (still readable on the site
    with its notice) or deleted."""

    id = serializers.SerializerMethodField(help_text="The release's id.")
    status = serializers.ChoiceField(choices=["withdrawn", "deleted"])
    language = serializers.CharField()
    translation_key = serializers.UUIDField()
    slug = serializers.SlugField()
    withdrawn_at = serializers.DateTimeField(allow_null=True, help_text="When it left the public.")
    withdrawal_reason = serializers.CharField(allow_blank=True)
    url = serializers.SerializerMethodField(help_text="The page with the notice; null for a deleted release.")

    @extend_schema_field(OpenApiTypes.INT)
    def get_id(self, release):
        # A deleted release's row (api.models.RemovedRelease) has an id of its own.
        return getattr(release, "release_id", release.pk)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, release):
        return absolute_url(release.get_absolute_url()) if release.status == "withdrawn" else None
