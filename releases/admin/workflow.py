from django.conf import settings
from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from releases.admin.readonly import ReadOnlyAdmin
from releases.admin.search import SearchTermAdminMixin
from releases.models import WorkflowEvent
from releases.models.workflow import A, Status
from releases.notifications import recipients


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(SearchTermAdminMixin, ReadOnlyAdmin):
    """The audit trail: who submitted, published, scheduled, withdrew, sent
    back or restored what, and when. Read only, for editors and
    administrators (the view permission); nobody adds, edits or deletes."""

    list_display = ["created_at", "action", "release_title", "actor", "comment"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["release_title", "actor__username", "comment"]
    date_hierarchy = "created_at"
    show_full_result_count = False


STEP_LABELS = {
    "submit": _("Submit for review"),
    "send_back": _("Send back…"),
    "publish": _("Publish"),
    "schedule": _("Schedule…"),
    "unschedule": _("Unschedule"),
    "withdraw": _("Withdraw…"),
    "restore": _("Publish again"),
}
# The form's field each asking step shows in its dialog.
ASKED_FIELDS = {"comment": "review_comment", "reason": "withdrawal_reason", "time": "scheduled_for"}


def zone_name():
    """The display time zone as people say it: "Baku" for Asia/Baku."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


def step_message(release, step, told):
    """What the form says once a step is saved: what happened, in the
    workflow's words, and whether someone was told by e-mail (`told`).
    `step` is the recorded WorkflowEvent, None for a save that kept the
    status."""
    title = {"title": release.title}
    if step is None:
        if release.status == Status.DRAFT:
            return _("“%(title)s” saved as a draft.") % title
        if release.status == Status.IN_REVIEW:
            return _("“%(title)s” saved; it is still in review.") % title
        return _("“%(title)s” saved.") % title
    match step.action:
        case A.SUBMITTED if told:
            return _("“%(title)s” submitted for review; the editors have been told.") % title
        case A.SUBMITTED:
            return _("“%(title)s” submitted for review.") % title
        case A.SENT_BACK if told:
            return _("“%(title)s” sent back with your comment; the author has been told.") % title
        case A.SENT_BACK:
            return _("“%(title)s” sent back with your comment.") % title
        case A.PUBLISHED if told:
            return _("“%(title)s” is published: it is on the site now; the author has been told.") % title
        case A.PUBLISHED:
            return _("“%(title)s” is published: it is on the site now.") % title
        case A.SCHEDULED:
            when = {
                "time": formats.date_format(timezone.localtime(release.published_at), "DATETIME_FORMAT"),
                "zone": zone_name(),
            }
            if told:
                return _("Scheduled for %(time)s (%(zone)s); the author has been told.") % when
            return _("Scheduled for %(time)s (%(zone)s).") % when
        case A.UNSCHEDULED:
            return _("“%(title)s” unscheduled: it is a draft again.") % title
        case A.WITHDRAWN:
            return _("“%(title)s” withdrawn: it has left the lists, and its page gives your reason.") % title
        case A.UNWITHDRAWN:
            return _("“%(title)s” is public again.") % title
    return _("“%(title)s” saved.") % title


class WorkflowStepsAdminMixin:
    """For ReleaseAdmin: the form's buttons are the workflow's steps this user
    may take now (Release.available_steps, which decides), each saying what
    it did once saved."""

    def workflow_context(self, request, obj, form):
        release = obj if obj is not None else self.model(author=request.user)
        steps = [
            {"name": step.name, "label": STEP_LABELS[step.name], "asks": ASKED_FIELDS.get(step.asks, "")}
            for step in release.available_steps(request.user)
        ]
        may_save = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        return {
            "may_save": may_save,
            "workflow_steps": steps if may_save else [],
            "save_label": _("Save draft") if release.status == Status.DRAFT else _("Save"),
            "scheduled_for_field": form["scheduled_for"] if "scheduled_for" in form.fields else None,
            "zone_name": zone_name(),
        }

    def remember_step(self, request, release, step):
        told = bool(step is not None and recipients(step))
        request.workflow_step_message = step_message(release, step, told)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # The step's own words rather than the admin's "was changed successfully".
        step_words = getattr(request, "workflow_step_message", None)
        if step_words is not None and level == messages.SUCCESS:
            message, request.workflow_step_message = step_words, None
        super().message_user(request, message, level, *args, **kwargs)
