"""Sending a release under embargo and tracing it, in the admin: the send
page (choose lists and contacts, preview who gets which language version,
send), and the release's distribution page (each recipient's mail and
views; revoke, notify, correct). The rules are in distribution/services.py;
these views ask them."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from distribution import mail, services, tracing
from distribution.forms import SendForm, StopNoticeForm
from distribution.models import Distribution, Recipient
from releases.admin.readonly import ReadOnlyAdmin
from releases.models import ChangeNote, Release
from releases.search import search_words
from releases.text import parse_id
from serving.limits import page_number

# The preview names this many recipients; the rest are counted.
PREVIEW_ROWS = 200
RECIPIENTS_PER_PAGE = 50
PREPARE_PERMISSION = "distribution.view_medialist"
TRACE_PERMISSION = "distribution.view_distribution"


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["release", "embargo_until", "recipient_count", "sent_by", "sent_at", "tracing"]
    list_select_related = ["release", "sent_by"]
    date_hierarchy = "sent_at"
    search_fields = ["release__title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recipient_count=Count("recipients"))

    @admin.display(description=_("recipients"), ordering="recipient_count")
    def recipient_count(self, distribution):
        return distribution.recipient_count

    @admin.display(description=_("tracing"))
    def tracing(self, distribution):
        url = reverse("admin:distribution_release", args=[distribution.release_id])
        return format_html('<a href="{}">{}</a>', url, _("Recipients and views"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("send/<int:release_id>/", view(never_cache(self.send_view)), name="distribution_send"),
            path("release/<int:release_id>/", view(never_cache(self.release_view)), name="distribution_release"),
            path("release/<int:release_id>/revoke/", view(self.revoke_view), name="distribution_revoke"),
            path("release/<int:release_id>/notify/", view(self.notify_view), name="distribution_notify"),
            path("release/<int:release_id>/correction/", view(self.correction_view), name="distribution_correction"),
            *super().get_urls(),
        ]

    def _context(self, request, release, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "release": release,
            "release_url": reverse("admin:releases_release_change", args=[release.pk]),
            "tracing_url": reverse("admin:distribution_release", args=[release.pk]),
        }

    def send_view(self, request, release_id):
        """Press staff prepare (choose, preview); editors also send."""
        if not request.user.has_perm(PREPARE_PERMISSION):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=release_id)
        initial = {"embargo_until": release.published_at} if release.is_scheduled else {}
        form = SendForm(request.POST or None, initial=initial, admin_site=self.admin_site)
        planned = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.check_embargo(release, embargo_until=data["embargo_until"])
                planned = services.plan(
                    release,
                    user=request.user,
                    embargo_until=data["embargo_until"],
                    lists=data["lists"],
                    contacts=data["contacts"],
                )
                if "_send" in request.POST:
                    distribution = services.send_under_embargo(
                        release=release,
                        user=request.user,
                        embargo_until=data["embargo_until"],
                        lists=data["lists"],
                        contacts=data["contacts"],
                    )
                    count = distribution.recipients.count()
                    self.message_user(
                        request,
                        ngettext(
                            "Sent under embargo to %(count)d recipient, each with a link of their own.",
                            "Sent under embargo to %(count)d recipients, each with a link of their own.",
                            count,
                        )
                        % {"count": count},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:distribution_release", args=[release.pk]))
            except ValidationError as error:
                form.add_error(None, error)
                planned = None if error.code != "nobody" else planned
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
        if planned is not None and not planned.recipients:
            form.add_error(
                None,
                ValidationError(
                    gettext(
                        "Nobody to send to: the lists and contacts chosen hold no one who may receive this release."
                    ),
                    code="nobody",
                ),
            )
        context = {
            **self._context(request, release, _("Send under embargo")),
            "form": form,
            "media": self.media + form.media,
            "plan": planned,
            "preview_rows": planned.recipients[:PREVIEW_ROWS] if planned else [],
            "more_rows": max(0, len(planned.recipients) - PREVIEW_ROWS) if planned else 0,
            "may_send": services.may_send(release, user=request.user),
            "sendable": not (release.is_published or release.is_withdrawn),
        }
        return TemplateResponse(request, "admin/distribution/send.html", context)

    def release_view(self, request, release_id):
        """The tracing of every recipient of the release, a page at a time."""
        if not request.user.has_perm(TRACE_PERMISSION):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=release_id)
        search = search_words(request.GET.get("q", ""), max_length=100)
        flagged = request.GET.get("flagged") == "1"
        rows = tracing.recipients(release, search=search, flagged=flagged)
        page = Paginator(rows, RECIPIENTS_PER_PAGE).get_page(page_number(request.GET.get("page")))
        page.object_list = tracing.figures(list(page.object_list))
        seen = tracing.seen(page.object_list)
        for row in page.object_list:
            row.seen = seen[row.pk]
            row.delivery = tracing.Delivery.label(row.message.status if row.message else None)
            row.flagged = row.address_count >= tracing.many_addresses()
        context = {
            **self._context(request, release, _("Distribution of “%(title)s”") % {"title": release.title}),
            "page": page,
            "summary": tracing.summary(release),
            "search": search,
            "flagged": flagged,
            "many_addresses": tracing.many_addresses(),
            "may_manage": request.user.has_perm(services.SEND_PERMISSION),
            "change_notes": ChangeNote.objects.filter(release__translation_key=release.translation_key).select_related(
                "release"
            ),
            "stopped": services.stop_occasion(release),
            "send_url": reverse("admin:distribution_send", args=[release.pk]),
        }
        return TemplateResponse(request, "admin/distribution/release.html", context)

    def revoke_view(self, request, release_id):
        """POST `recipient` (one) or `all`; GET asks before revoking all."""
        release = get_object_or_404(Release, pk=release_id)
        if not request.user.has_perm(services.SEND_PERMISSION):
            raise PermissionDenied
        tracing_url = reverse("admin:distribution_release", args=[release.pk])
        if request.method != "POST":
            return TemplateResponse(
                request, "admin/distribution/revoke_all.html", self._context(request, release, _("Revoke every link"))
            )
        recipients = Recipient.objects.of_release(release)
        if "all" not in request.POST:
            recipients = recipients.filter(pk=parse_id(request.POST.get("recipient")))
        count = services.revoke(recipients, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d link revoked: it no longer works.", "%(count)d links revoked: they no longer work.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return redirect(tracing_url)

    def notify_view(self, request, release_id):
        """Tell the recipients that the release will not come out: the
        prepared text in each of their languages, to change, then send."""
        release = get_object_or_404(Release, pk=release_id)
        if not request.user.has_perm(services.SEND_PERMISSION):
            raise PermissionDenied
        tracing_url = reverse("admin:distribution_release", args=[release.pk])
        if services.stop_occasion(release) is None:
            self.message_user(
                request,
                gettext("The links of this release were not stopped: there is nothing to tell."),
                messages.ERROR,
            )
            return redirect(tracing_url)
        languages = set(Recipient.objects.filter(release=release).values_list("contact__language", flat=True))
        texts = {code: mail.stop_notice_text(code, title=release.title) for code in languages}
        form = StopNoticeForm(request.POST or None, initial_texts=texts)
        if request.method == "POST" and form.is_valid():
            sent = services.notify_stopped(release=release, user=request.user, texts=form.cleaned_data)
            self.message_user(
                request,
                ngettext("%(count)d recipient will be told.", "%(count)d recipients will be told.", len(sent))
                % {"count": len(sent)},
                messages.SUCCESS,
            )
            return redirect(tracing_url)
        context = {**self._context(request, release, _("Notify recipients")), "form": form}
        return TemplateResponse(request, "admin/distribution/notify.html", context)

    def correction_view(self, request, release_id):
        """POST `change_note`: mail it to the recipients of its release."""
        release = get_object_or_404(Release, pk=release_id)
        if not request.user.has_perm(services.SEND_PERMISSION) or request.method != "POST":
            raise PermissionDenied
        note_id = request.POST.get("change_note", "")
        note = get_object_or_404(ChangeNote, pk=parse_id(note_id), release__translation_key=release.translation_key)
        sent = services.send_correction(change_note=note, user=request.user)
        self.message_user(
            request,
            ngettext(
                "The correction goes to %(count)d recipient.", "The correction goes to %(count)d recipients.", len(sent)
            )
            % {"count": len(sent)},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:distribution_release", args=[release.pk]))
