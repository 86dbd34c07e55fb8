"""The editorial workflow of a release: its statuses, the rules for moving
between them, and the trail each move leaves.

Every status change goes through ReleaseWorkflow.transition, which checks the
rules, saves and records a WorkflowEvent in one transaction, and announces the
step once it commits (releases/events.py: the workflow mail and others
subscribe): the admin form, the admin actions and any other path call it, so
none can skip a check.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from releases import events
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
        EDITED = "edited", _("Edited after publication")

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


class Step(NamedTuple):
    """A step of the workflow as a person takes it: its name, the status it
    moves to, the action it records (which says from where it may start) and
    what it asks for first ("comment", "reason", "time" or nothing)."""

    name: str
    status: str
    action: str
    asks: str = ""


# In the order the form offers them.
STEPS = [
    Step("submit", Status.IN_REVIEW, A.SUBMITTED),
    Step("send_back", Status.DRAFT, A.SENT_BACK, "comment"),
    Step("publish", Status.PUBLISHED, A.PUBLISHED),
    Step("schedule", Status.PUBLISHED, A.PUBLISHED, "time"),
    Step("unschedule", Status.DRAFT, A.UNSCHEDULED),
    Step("withdraw", Status.WITHDRAWN, A.WITHDRAWN, "reason"),
    Step("restore", Status.PUBLISHED, A.UNWITHDRAWN),
]
# Refusals for want of a text the step asks for: the step is open all the same.
_TEXT_REQUIRED = {"reason_required", "comment_required"}

# What an editor must have given (published, scheduled or withdrawn) before a
# release's content is out of press staff's hands.
APPROVED = [Status.PUBLISHED, Status.WITHDRAWN]


# Fields that only the holders of a permission may change, by model.
EDITOR_FIELDS = {
    "release": {"published_at": PUBLISH_PERMISSION, "withdrawal_reason": WITHDRAW_PERMISSION},
    "event": {"published": PUBLISH_PERMISSION},
}


def read_only_fields(user, model):
    """The fields of `model` that `user` sees in its form but may not change."""
    fields = EDITOR_FIELDS.get(model._meta.model_name, {})
    return {name for name, permission in fields.items() if not user.has_perm(permission)}


def may_edit(user, obj):
    """Whether `user` may change `obj`, a release, event, delegation,
    department or tag: whoever may change such objects, until an editor has
    approved it (`obj.is_approved`: a release published, scheduled or
    withdrawn, or something such a release shows, or an event an editor
    published); from then on, editors only. Every admin asks this."""
    opts = obj._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and (
        not obj.is_approved or may_change_public_content(user)
    )


def may_delete_part(user, release, model):
    """Whether `user` may delete a photo or document (`model`: its class)
    of `release`: whoever holds the permission to delete them (editors)
    whenever they may change the release; press staff, who may change the
    release, while no editor has approved it (a draft or a release in
    review): a wrong upload of theirs is theirs to remove, not an editor's
    chore, and nothing readers have seen goes with it."""
    opts = model._meta
    if not may_edit(user, release):
        return False
    if user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
        return True
    return not release.is_approved and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def may_change_public_content(user):
    """Whether `user` may change what readers see, or will see at a
    scheduled time, with nobody else's review: editors only. Press staff
    change drafts and releases in review; an edit of theirs to public
    content would go live with no editor (issue 13)."""
    return user.has_perm(PUBLISH_PERMISSION)


def record_public_edit(obj, changed, *, user):
    """An entry in the audit trail for an edit of public content (a release
    approved by an editor, or an event, delegation, department or tag that
    the public sees): `changed` names what changed, in words. Entries of
    other objects than releases carry their kind and name as the title."""
    comment = _("Changed: %(fields)s.") % {"fields": ", ".join(str(label) for label in changed)}
    if obj._meta.model_name == "release":
        return WorkflowEvent.objects.create(release=obj, action=A.EDITED, actor=user, comment=comment)
    title = f"{capfirst(obj._meta.verbose_name)}: {obj}"[:255]
    return WorkflowEvent.objects.create(release_title=title, action=A.EDITED, actor=user, comment=comment)


EDITORS_ONLY = _("Readers see this, or will at its scheduled time: only editors may change it now.")
ALREADY_PUBLIC = _("This release is already public: withdraw it, with a reason, instead.")
PERMISSION_MESSAGES = {
    PUBLISH_PERMISSION: _("Only editors may publish, schedule, unpublish or send back releases."),
    WITHDRAW_PERMISSION: _("Only editors may withdraw releases or restore withdrawn ones."),
}


class ReleaseWorkflow:
    """The status methods of Release (a mixin: Release is the model), and
    who may edit what of it: the admin form, the admin actions, the history
    restore and any other path ask these methods, and add no rule of their
    own."""

    @property
    def is_approved(self):
        """An editor has published (now or for later) or withdrawn it."""
        return self.status in APPROVED

    def may_edit(self, user):
        """Whether `user` may change this release's content (may_edit)."""
        return may_edit(user, self)

    def read_only_fields(self, user):
        """The fields of the form that `user` sees but may not change."""
        return read_only_fields(user, self)

    def may_add_change_note(self, user):
        """A public change note is for edits readers have seen, and an
        editor's to give."""
        return (self.is_published or self.is_withdrawn) and may_change_public_content(user)

    def check_edit(self, user, changes):
        """Raise ValidationError, with a code (a dict of them by field where
        a field is to blame), unless `user` may make `changes` ({field: new
        value}, "status" included when it changes) to this release as it is
        stored."""
        if not changes:
            return
        if not self.may_edit(user):
            raise ValidationError(EDITORS_ONLY, code="editors_only")
        if refused := sorted(changes.keys() & self.read_only_fields(user)):
            message = _("Only editors may change this field.")
            raise ValidationError({name: ValidationError(message, code="permission_denied") for name in refused})
        published_at = changes.get("published_at")
        if (
            self.is_published
            and changes.get("status", self.status) == Status.PUBLISHED
            and published_at
            and published_at > timezone.now()
        ):
            # A later time would take a public release off the site with no
            # step of the workflow, no reason and no trace.
            raise ValidationError({"published_at": ValidationError(ALREADY_PUBLIC, code="already_public")})

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
            raise ValidationError(ALREADY_PUBLIC, code="already_public")
        if action == A.PUBLISHED:
            self.check_four_eyes(user)
        if action == A.WITHDRAWN and not comment.strip():
            raise ValidationError(_("Give the reason for withdrawing this release."), code="reason_required")
        if action == A.SENT_BACK and not comment.strip():
            raise ValidationError(_("Tell the author what to change."), code="comment_required")

    def available_steps(self, user):
        """The steps (STEPS) `user` may take with this release now, as it is
        stored: those check_status_change allows, the text they ask for
        aside. The admin's buttons are these and no others."""
        if not self.may_edit(user):
            return []
        return [step for step in STEPS if self._opens(step, user)]

    def _opens(self, step, user):
        if STATUS_CHANGES.get((self.status, step.status), (None, None))[1] != step.action:
            return False
        try:
            self.check_status_change(step.status, user=user)
        except ValidationError as error:
            return error.code in _TEXT_REQUIRED
        return True

    def check_four_eyes(self, user, message=None):
        """Raise ValidationError (with `message`, or one about publishing)
        when the four-eyes rule is on and `user` wrote this release: another
        editor must let it out, whether published or sent to journalists
        under embargo (distribution)."""
        if settings.PRESSROOM_FOUR_EYES and self.author_id == user.pk:
            raise ValidationError(
                message or _("Another editor must publish this release: you wrote it (the four-eyes rule)."),
                code="four_eyes",
            )

    def transition(self, new_status, *, user, comment="", at=None):
        """Move to `new_status`, checking the rules, and save; record the step
        and announce it (releases/events.py). Publishing keeps a publication
        time already set (a scheduled time) unless `at` is given, and uses now
        when there is none. Returns the recorded WorkflowEvent (None if the
        status stays as it is: then only the edit is saved, and announced)."""
        self.check_status_change(new_status, user=user, comment=comment)
        with transaction.atomic():
            if new_status == self.status:
                self.last_editor = user
                self.save()
                events.changed(release_id=self.pk, actor_id=user.pk)
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
            self._announce(event)
        return event

    def _announce(self, step):
        """Send the event of the workflow step `step` once it commits."""
        ids = {"release_id": self.pk, "actor_id": step.actor_id, "workflow_event_id": step.pk}
        match step.action:
            case A.SUBMITTED:
                events.submitted(**ids)
            case A.SENT_BACK:
                events.sent_back(**ids, comment=step.comment)
            case A.PUBLISHED | A.UNWITHDRAWN:
                events.published(**ids, published_at=self.published_at, restored=step.action == A.UNWITHDRAWN)
            case A.SCHEDULED:
                events.scheduled(**ids, published_at=self.published_at)
            case A.UNSCHEDULED:
                events.unscheduled(**ids)
            case A.WITHDRAWN:
                events.withdrawn(**ids, reason=step.comment)

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
            events.corrected(release_id=self.pk, actor_id=user.pk, change_note_id=change_note.pk, note=change_note.note)
        self.public_updated_at = change_note.created_at
        return change_note

    @property
    def latest_review_comment(self):
        """The last "sent back" event, while the release is a draft again."""
        if self.status != Status.DRAFT:
            return None
        return self.workflow_events.filter(action=A.SENT_BACK).select_related("actor").first()
