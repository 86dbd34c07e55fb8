"""The editorial workflow of a release: its statuses, the rules for moving
between them, and the trail each move leaves.

Every status change goes through ReleaseWorkflow.transition, which checks the
rules, saves, records a WorkflowEvent and notifies people, in one transaction:
the admin form, the admin actions and any other path call it, so none can
skip a check.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.text import NormalizedText

from .public import PublicContentQuerySet

PUBLISH_PERMISSION = "releases.publish_release"
WITHDRAW_PERMISSION = "releases.withdraw_release"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WorkflowEvent(NormalizedText, models.Model):
    """One step of a release's workflow: who did what, when, and why. The
    audit trail; never edited, and kept, with the release's title, when the
    release itself is deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNSCHEDULED = "unscheduled", _("Unscheduled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNWITHDRAWN = "unwithdrawn", _("Restored after withdrawal")
        RESTORED = "restored", _("Earlier revision restored")

    release = models.ForeignKey(
        "releases.Release",
        on_delete=models.SET_NULL,
        null=True,
        related_name="workflow_events",
        verbose_name=_("release"),
    )
    release_title = models.CharField(_("release title"), max_length=255, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        indexes = [models.Index(fields=["release", "-created_at"], name="workflow_event_release")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.release_title}"

    def save(self, *args, **kwargs):
        if self.release is not None:
            self.release_title = self.release.title
        super().save(*args, **kwargs)


class ChangeNote(NormalizedText, models.Model):
    """A public note on an edit made after publication ("Corrected the date
    of the session"), listed on the release page."""

    release = models.ForeignKey(
        "releases.Release", on_delete=models.CASCADE, related_name="change_notes", verbose_name=_("release")
    )
    note = models.CharField(_("change note"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")

    def __str__(self):
        return self.note


class SlugRedirect(models.Model):
    """An address a public release had before its slug changed; it redirects,
    permanently, to the release."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    old_slug = models.SlugField(_("old slug"), max_length=255)
    release = models.ForeignKey(
        "releases.Release", on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("release")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(fields=["language", "old_slug"], name="slug_redirect_unique"),
        ]

    def __str__(self):
        return f"/{self.language}/{self.old_slug}/"


A = WorkflowEvent.Action

# (from, to) -> (the permission it takes beyond changing releases, the event
# it records). Any pair not listed is not allowed.
STATUS_CHANGES = {
    (Status.DRAFT, Status.IN_REVIEW): (None, A.SUBMITTED),
    (Status.IN_REVIEW, Status.DRAFT): (PUBLISH_PERMISSION, A.SENT_BACK),
    (Status.DRAFT, Status.PUBLISHED): (PUBLISH_PERMISSION, A.PUBLISHED),
    (Status.IN_REVIEW, Status.PUBLISHED): (PUBLISH_PERMISSION, A.PUBLISHED),
    (Status.PUBLISHED, Status.DRAFT): (PUBLISH_PERMISSION, A.UNSCHEDULED),
    (Status.PUBLISHED, Status.WITHDRAWN): (WITHDRAW_PERMISSION, A.WITHDRAWN),
    (Status.WITHDRAWN, Status.PUBLISHED): (WITHDRAW_PERMISSION, A.UNWITHDRAWN),
}

PERMISSION_MESSAGES = {
    PUBLISH_PERMISSION: _("Only editors may publish, schedule, unpublish or send back releases."),
    WITHDRAW_PERMISSION: _("Only editors may withdraw releases or restore withdrawn ones."),
}


class ReleaseWorkflow:
    """The status methods of Release (a mixin: Release is the model)."""

    def check_status_change(self, new_status, *, user, comment=""):
        """Raise ValidationError, with a code, unless `user` may move this
        release from its current status to `new_status` (with `comment`:
        the reason for a withdrawal, the note for the author when sending
        back)."""
        if new_status == self.status:
            return
        key = (self.status, new_status)
        if key not in STATUS_CHANGES:
            raise self._invalid_status_change(new_status)
        if not user.has_perm("releases.change_release"):
            raise ValidationError(_("You may not change releases."), code="permission_denied")
        permission, action = STATUS_CHANGES[key]
        if permission and not user.has_perm(permission):
            raise ValidationError(PERMISSION_MESSAGES[permission], code="permission_denied")
        if action == A.UNSCHEDULED and self.is_published:
            raise ValidationError(
                _("This release is already public: withdraw it, with a reason, instead."), code="already_public"
            )
        if action == A.PUBLISHED and settings.PRESSROOM_FOUR_EYES and self.author_id == user.pk:
            raise ValidationError(
                _("Another editor must publish this release: you wrote it (the four-eyes rule)."),
                code="four_eyes",
            )
        if action == A.WITHDRAWN and not comment.strip():
            raise ValidationError(_("Give the reason for withdrawing this release."), code="reason_required")
        if action == A.SENT_BACK and not comment.strip():
            raise ValidationError(_("Tell the author what to change."), code="comment_required")

    def transition(self, new_status, *, user, comment="", at=None):
        """Move to `new_status`, checking the rules, and save; record the step
        and tell the people concerned. Publishing keeps a publication time
        already set (a scheduled time) unless `at` is given, and uses now when
        there is none. Returns the recorded WorkflowEvent (None if the status
        stays as it is: then only the edit is saved)."""
        from releases import notifications

        self.check_status_change(new_status, user=user, comment=comment)
        with transaction.atomic():
            if new_status == self.status:
                self.last_editor = user
                self.save()
                return None
            action = STATUS_CHANGES[(self.status, new_status)][1]
            if new_status == Status.PUBLISHED:
                self.published_at = at or self.published_at or timezone.now()
                self.withdrawn_at = None
                self.withdrawal_reason = ""
                if self.published_at > timezone.now():
                    action = A.SCHEDULED
            elif new_status == Status.WITHDRAWN:
                self.withdrawn_at = timezone.now()
                self.withdrawal_reason = comment.strip()
            self.status = new_status
            self.last_editor = user
            self.save()
            event = self.workflow_events.create(action=action, actor=user, comment=comment.strip())
            transaction.on_commit(lambda: notifications.workflow_event(event))
        return event

    def _invalid_status_change(self, new_status):
        return ValidationError(
            _("A release that is %(old)s cannot become %(new)s."),
            code="invalid_status_change",
            params={"old": self.get_status_display().lower(), "new": Status(new_status).label.lower()},
        )

    def _step(self, sources, new_status, **kwargs):
        """A named step applies to releases in `sources` only: sending back a
        draft must be refused, not pass as a save that changes nothing, nor
        sending back a scheduled release as unscheduling it."""
        if self.status not in sources:
            raise self._invalid_status_change(new_status)
        return self.transition(new_status, **kwargs)

    def submit(self, *, user):
        return self._step([Status.DRAFT], Status.IN_REVIEW, user=user)

    def send_back(self, *, user, comment):
        return self._step([Status.IN_REVIEW], Status.DRAFT, user=user, comment=comment)

    def publish(self, *, user, at=None):
        """Publish now, or at `at` (or the time already set) when that is
        later. A withdrawn release is published again (as by unwithdraw)."""
        return self._step([Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN], Status.PUBLISHED, user=user, at=at)

    def withdraw(self, *, user, reason):
        return self._step([Status.PUBLISHED], Status.WITHDRAWN, user=user, comment=reason)

    def unwithdraw(self, *, user):
        return self._step([Status.WITHDRAWN], Status.PUBLISHED, user=user)

    def add_change_note(self, note, *, user):
        """A public note on an edit after publication; it moves the time the
        feeds give as the release's last update."""
        with transaction.atomic():
            change_note = self.change_notes.create(note=note.strip(), author=user)
            type(self).objects.filter(pk=self.pk).update(public_updated_at=change_note.created_at)
        self.public_updated_at = change_note.created_at
        return change_note

    @property
    def latest_review_comment(self):
        """The last "sent back" event, while the release is a draft again."""
        if self.status != Status.DRAFT:
            return None
        return self.workflow_events.filter(action=A.SENT_BACK).select_related("actor").first()
