"""The alerts in the admin: counts of subscribers for press staff and
editors, their addresses for administrators only, and each release's
sending report, which editors may pause."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts import sending, services
from alerts.models import Frequency, Sending, Subscriber, Subscription, SubscriptionTag, UnsubscribeCount
from outbox.models import Message
from releases.admin.readonly import ReadOnlyAdmin
from releases.admin.search import SearchTermAdminMixin

MOST_FOLLOWED = 50


@admin.register(Subscription)
class SubscriberCountsAdmin(ReadOnlyAdmin):
    """How many readers subscribe, per language, tag and department: a page
    of counts, never an address."""

    change_list_template = "admin/alerts/subscriber_counts.html"

    def has_view_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("alerts.view_subscriber_counts")

    def has_module_permission(self, request):
        return request.user.has_perm("alerts.view_subscriber_counts")

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        confirmed = Subscription.objects.confirmed()
        by_language = {
            (row["language"], row["frequency"]): row["count"]
            for row in confirmed.order_by().values("language", "frequency").annotate(count=Count("pk"))
        }
        languages = [
            (label, by_language.get((code, Frequency.IMMEDIATELY), 0), by_language.get((code, Frequency.DAILY), 0))
            for code, label in Subscription._meta.get_field("language").choices
        ]
        tags = (
            SubscriptionTag.objects.filter(subscription__confirmed_at__isnull=False)
            .order_by()
            .values("tag__name")
            .annotate(count=Count("subscription"))
            .order_by("-count", "tag__name")[:MOST_FOLLOWED]
        )
        departments = (
            confirmed.filter(department__isnull=False)
            .order_by()
            .values("department__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "department__name")
        )
        subscribers = Subscriber.objects.aggregate(
            total=Count("pk"), disabled=Count("pk", filter=Q(disabled_at__isnull=False))
        )
        month_ago = timezone.localdate() - timedelta(days=30)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Alert subscribers"),
            "languages": languages,
            "tags": tags,
            "departments": departments,
            "subscribers": subscribers,
            "confirmed": sum(by_language.values()),
            "pending": Subscription.objects.filter(confirmed_at__isnull=True).count(),
            "left": UnsubscribeCount.objects.filter(day__gte=month_ago).aggregate(total=Sum("subscriptions"))["total"]
            or 0,
            "may_see_addresses": request.user.is_superuser,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_list_template, context)


@admin.register(Subscriber)
class SubscriberAdmin(SearchTermAdminMixin, ReadOnlyAdmin):
    """The addresses, for administrators (personal data: README, "Privacy").
    Deleting one erases it from the alerts' outbox rows too."""

    list_display = ["email", "created_at", "subscription_count", "hard_bounces", "disabled_at"]
    list_filter = [("disabled_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    show_full_result_count = False
    fields = readonly_fields = ["email", "created_at", "hard_bounces", "disabled_at", "digest_through"]

    def _administrator(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self._administrator(request)

    def has_module_permission(self, request):
        return self._administrator(request)

    def has_delete_permission(self, request, obj=None):
        return self._administrator(request)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subscription_total=Count("subscriptions"))

    @admin.display(description=_("subscriptions"), ordering="subscription_total")
    def subscription_count(self, subscriber):
        return subscriber.subscription_total

    def get_deleted_objects(self, objs, request):
        # Their subscriptions go with them: no permission of their own needed.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.forget(obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            services.forget(subscriber)


@admin.register(Sending)
class SendingAdmin(ReadOnlyAdmin):
    """Each release's alerts: how many readers, and where their messages
    are (the outbox's statuses)."""

    list_display = [
        "release",
        "change",
        "created_at",
        "recipients",
        "queued",
        "sent",
        "failed",
        "bounced",
        "held",
        "paused_at",
    ]
    list_select_related = ["release", "change_note"]
    search_fields = ["release__title"]
    actions = ["pause_selected", "resume_selected"]
    fields = readonly_fields = ["release", "change_note", "created_at", "recipients", "paused_at", "withdrawn"]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's rows counted in one query, not four per row; kept on
        # this request's rows, not on the admin that every thread shares.
        counts = sending.report(row.key for row in changelist.result_list)
        for row in changelist.result_list:
            row.outbox_counts = counts.get(row.key, {})
        return changelist

    def _count(self, row, *statuses):
        counts = getattr(row, "outbox_counts", None)
        if counts is None:
            counts = sending.report([row.key]).get(row.key, {})
        return sum(counts.get(status, 0) for status in statuses)

    @admin.display(description=_("change"))
    def change(self, row):
        return row.change_note.note if row.change_note else _("Publication")

    @admin.display(description=_("queued"))
    def queued(self, row):
        return self._count(row, Message.Status.QUEUED, Message.Status.SENDING)

    @admin.display(description=_("sent"))
    def sent(self, row):
        return self._count(row, Message.Status.SENT)

    @admin.display(description=_("failed"))
    def failed(self, row):
        return self._count(row, Message.Status.FAILED)

    @admin.display(description=_("bounced"))
    def bounced(self, row):
        return self._count(row, Message.Status.BOUNCED)

    @admin.display(description=_("held"))
    def held(self, row):
        return self._count(row, Message.Status.HELD)

    def has_pause_permission(self, request):
        return request.user.has_perm("alerts.pause_sending")

    @admin.action(description=_("Pause the selected alerts"), permissions=["pause"])
    def pause_selected(self, request, queryset):
        held = sum(sending.pause(row) for row in queryset)
        self.message_user(
            request,
            ngettext("Paused; %(count)d message held.", "Paused; %(count)d messages held.", held) % {"count": held},
            messages.SUCCESS,
        )

    @admin.action(description=_("Resume the selected alerts"), permissions=["pause"])
    def resume_selected(self, request, queryset):
        released = sum(sending.resume(row) for row in queryset)
        self.message_user(
            request,
            ngettext("Resumed; %(count)d message queued again.", "Resumed; %(count)d messages queued again.", released)
            % {"count": released},
            messages.SUCCESS,
        )
