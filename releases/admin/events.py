from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from releases.admin.editing import ContentPartInlineMixin, PublicContentAdminMixin
from releases.admin.history import RevisionAdminMixin
from releases.admin.media import EventCoverInline
from releases.admin.search import SearchTermAdminMixin
from releases.models import Delegation, DelegationMember, Department, Event


class DelegationInline(ContentPartInlineMixin, TranslationStackedInline):
    model = Delegation
    extra = 0
    fields = ["head_name", "head_position", "head_rank", "notes"]
    show_change_link = True


class DelegationMemberInline(ContentPartInlineMixin, TranslationTabularInline):
    model = DelegationMember
    extra = 1
    fields = ["order", "name", "position"]


@admin.register(Event)
class EventAdmin(SearchTermAdminMixin, PublicContentAdminMixin, RevisionAdminMixin, TranslationAdmin):
    list_display = ["title", "start_date", "end_date", "city", "country", "organizer", "published"]
    list_filter = ["published", "country"]
    search_fields = ["title", "organizer", "city", "country"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [DelegationInline, EventCoverInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organizer", "description"]}),
        (_("Where and when"), {"fields": ["venue", "city", "country", "start_date", "end_date"]}),
        (_("Publication"), {"fields": ["published"]}),
    ]


@admin.register(Delegation)
class DelegationAdmin(SearchTermAdminMixin, PublicContentAdminMixin, RevisionAdminMixin, TranslationAdmin):
    list_display = ["head_name", "head_position", "event", "event_start_date"]
    list_select_related = ["event"]
    search_fields = ["head_name", "head_position", "event__title"]
    autocomplete_fields = ["event"]
    inlines = [DelegationMemberInline]
    fields = ["event", "head_name", "head_position", "head_rank", "notes"]

    @admin.display(description=_("date"), ordering="event__start_date")
    def event_start_date(self, delegation):
        return delegation.event.start_date

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete labels name the event: fetch it in the same query.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("event"), may_have_duplicates


@admin.register(Department)
class DepartmentAdmin(SearchTermAdminMixin, PublicContentAdminMixin, RevisionAdminMixin, TranslationAdmin):
    list_display = ["name", "email", "phone", "media_contact_name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "signature", "description"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
        (_("Media contact"), {"fields": ["media_contact_name", "media_contact_email", "media_contact_phone"]}),
    ]
