from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from distribution.models import MediaList

# The members a list's page names; the rest are counted.
SHOWN_MEMBERS = 50


@admin.register(MediaList)
class MediaListAdmin(admin.ModelAdmin):
    list_display = ["name", "hand_count", "rule_language"]
    search_fields = ["name"]
    autocomplete_fields = ["contacts", "rule_tags", "rule_departments"]
    fieldsets = [
        (None, {"fields": ["name", "description", "contacts"]}),
        (
            _("Saved rule"),
            {
                "fields": ["rule_language", "rule_tags", "rule_departments"],
                "description": _(
                    "Contacts in this language (if one is chosen) who cover at least one of these tags or "
                    "departments (if any are chosen) belong to the list too, found again at each send."
                ),
            },
        ),
        (_("Members now"), {"fields": ["members"]}),
    ]
    readonly_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(hand_count=Count("contacts"))

    @admin.display(description=_("contacts chosen by hand"), ordering="hand_count")
    def hand_count(self, media_list):
        return media_list.hand_count

    @admin.display(description=_("members"))
    def members(self, media_list):
        if media_list.pk is None:
            return "-"
        members = media_list.members()
        count = members.count()
        names = ", ".join(str(contact) for contact in members[:SHOWN_MEMBERS])
        if count > SHOWN_MEMBERS:
            return gettext("%(names)s and %(more)d more (%(count)d in all)") % {
                "names": names,
                "more": count - SHOWN_MEMBERS,
                "count": count,
            }
        return gettext("%(count)d: %(names)s") % {"count": count, "names": names} if count else gettext("nobody")
