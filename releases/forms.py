from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from releases.models import Release, Tag
from releases.models.workflow import STEPS
from releases.text import clean_text

# More than any release needs; a post with thousands of names would make as
# many tags.
MAX_TAGS_PER_RELEASE = 50


class TagSuggestWidget(TagWidget):
    """Taggit's comma-separated input, which static/releases/admin/tags.js
    turns into chips typed from the keyboard, suggesting the tags in use
    (from the tag admin). The words it shows come with it."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "data-suggest-url": reverse_lazy("admin:releases_tag_suggest"),
                "data-chips-label": _("Tags of this release"),
                "data-suggestions-label": _("Tags in use"),
                "data-remove-label": _("Remove the tag __TAG__"),
                "data-pending-label": _("“__TAG__” is not a tag yet: press Enter or a comma to add it."),
                **(attrs or {}),
            }
        )

    class Media:
        js = ["releases/admin/tags.js"]


class CommentForm(forms.Form):
    """The intermediate page of the admin actions that need a text: the
    reason for a withdrawal, the note to authors when sending back."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = label
        self.fields["comment"].help_text = help_text


class ReleaseAdminForm(forms.ModelForm):
    """The release form of the admin.

    `status` is not written by the form: clean() checks the requested change
    with the model's rules and sets it aside as `requested_status`, and the
    admin applies it with Release.transition, like every other path.

    `known_version` is the release's version when the form was opened: if
    someone saved it since, the save is refused (optimistic locking) and the
    form comes back with the person's text and a link to the difference.
    """

    # Posted by the workflow's buttons (releases/admin/workflow.py): the
    # step taken; none saves with the status as it is. `status` stays, hidden,
    # for clients that post the status itself.
    step = forms.ChoiceField(choices=[(step.name, step.name) for step in STEPS], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Release.Status.choices, required=False, widget=forms.HiddenInput
    )
    scheduled_for = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The release appears on the site by itself at this time (%(zone)s time).")
        % {"zone": settings.TIME_ZONE},
    )
    review_comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when sending a release in review back to its author: what should change."),
    )
    change_note = forms.CharField(
        label=_("Public change note"),
        required=False,
        max_length=500,
        help_text=_(
            "For an edit after publication that readers should know of, for example: Corrected the date of "
            "the session. Shown on the release page with its time. Leave empty for minor edits such as typos."
        ),
    )
    translation_of = forms.ModelChoiceField(
        queryset=Release.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("The release this one translates: they become language versions of one release."),
    )
    known_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Release
        fields = [
            "language", "title", "slug", "lead", "body", "department", "event", "delegations", "tags",
            "status", "published_at", "withdrawal_reason",
        ]  # fmt: skip
        widgets = {"tags": TagSuggestWidget}
        # Said for the chips of tags.js; typed as text, commas still part tags.
        help_texts = {
            "tags": _(
                "Type a tag and press Enter or a comma; the tags in use are suggested, the first one highlighted."
            )
        }

    user = None  # the user who posts; set by ReleaseAdmin.get_form
    conflict = None  # {"version": the current version, "editor": ..., "time": ...} after a refused save

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].initial = self.instance.status
        self.fields["known_version"].initial = self.instance.version

    def clean_tags(self):
        names = [name for name in map(clean_text, self.cleaned_data.get("tags") or []) if name]
        if len(names) > MAX_TAGS_PER_RELEASE:
            raise ValidationError(
                _("A release may carry at most %(limit)d tags."),
                code="too_many_tags",
                params={"limit": MAX_TAGS_PER_RELEASE},
            )
        limit = Tag._meta.get_field("name").max_length
        if too_long := next((name for name in names if len(name) > limit), None):
            raise ValidationError(
                _("A tag may be at most %(limit)d characters long; “%(start)s…” is longer."),
                code="tag_too_long",
                params={"limit": limit, "start": too_long[:30]},
            )
        return names

    def clean(self):
        cleaned_data = super().clean()
        self.check_not_saved_meanwhile()
        source = cleaned_data.get("translation_of")
        if source is not None and self.instance._state.adding:
            self.instance.translation_key = source.translation_key
            self.instance.language = cleaned_data.get("language", self.instance.language)
            # The model form skips constraints on fields it does not show, as
            # translation_key: check that one here.
            try:
                Release.one_version_per_language().validate(Release, self.instance)
            except ValidationError as error:
                self.add_error("language", error)
        if "status" not in self.fields:
            return cleaned_data
        if self.instance._state.adding and self.instance.author_id is None:
            # The admin makes whoever adds a release its author (save_model):
            # the rules that look at the author (four eyes) must see it now.
            self.instance.author = self.user
        self.requested_status = cleaned_data.pop("status", "") or self.instance.status
        if (step_name := cleaned_data.get("step")) and not self.take_step(step_name, cleaned_data):
            return cleaned_data
        if self.requested_status == Release.Status.WITHDRAWN:
            self.status_comment = cleaned_data.get("withdrawal_reason") or self.instance.withdrawal_reason
        else:
            self.status_comment = cleaned_data.get("review_comment", "")
        # Checked on the release as it is stored: moving a public release's
        # time into the future must not let it go back to draft.
        self.status_change_allowed = self.check_status_change()
        self.check_edit(cleaned_data)
        return cleaned_data

    def take_step(self, name, cleaned_data):
        """Set the status the step `name` moves to, if the workflow offers
        it to this user now, and the time a schedule asks for."""
        step = next((step for step in self.instance.available_steps(self.user) if step.name == name), None)
        if step is None:
            self.add_error(None, ValidationError(_("This step is not open to you now."), code="step_not_open"))
            return False
        self.requested_status = step.status
        if step.asks == "time":
            at = cleaned_data.get("scheduled_for") or cleaned_data.get("published_at")
            if at is None or at <= timezone.now():
                self.add_error(
                    "scheduled_for", ValidationError(_("Choose a time still to come."), code="time_required")
                )
                return False
            cleaned_data["published_at"] = at
            self.scheduled_at = at
        return True

    def _post_clean(self):
        super()._post_clean()
        # And on the release as posted, which is what the admin's transition
        # checks again: anything refused there, after this form accepted it,
        # would be a server error (a scheduled release sent back to draft
        # with a past time is public by then).
        if getattr(self, "status_change_allowed", False):
            self.check_status_change()

    def check_status_change(self):
        try:
            self.instance.check_status_change(self.requested_status, user=self.user, comment=self.status_comment)
        except ValidationError as error:
            field = {"reason_required": "withdrawal_reason", "comment_required": "review_comment"}.get(
                error.code, "status"
            )
            self.add_error(field if field in self.fields else None, error)
            return False
        return True

    def check_edit(self, cleaned_data):
        """The workflow's rules on who may change what (Release.check_edit),
        on the release as it is stored."""
        changes = {name: cleaned_data.get(name) for name in self.changed_data if name in self._meta.fields}
        if getattr(self, "scheduled_at", None):
            changes["published_at"] = self.scheduled_at
        if self.requested_status != self.instance.status:
            changes["status"] = self.requested_status
        try:
            self.instance.check_edit(self.user, changes)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                self.add_error(None, error)
                return
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)

    def check_not_saved_meanwhile(self):
        """Refuse the save if the release changed since the form was opened.
        The row stays locked until the admin's transaction ends, so no save
        can slip in between this check and this save."""
        known = self.cleaned_data.get("known_version")
        if self.instance._state.adding or known is None:
            return
        current = (
            # Only the release's row: PostgreSQL locks no outer join's side
            # (the last editor, who may be none).
            Release.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "updated_at", "last_editor__username")
            .first()
        )
        if current is None or current["version"] == known:
            return
        self.conflict = {"known": known, **current}
        self.add_error(
            None,
            ValidationError(
                _(
                    "%(editor)s saved this release at %(time)s, after you opened it. Your text is below, not "
                    "saved. Compare the two versions; saving again replaces theirs with yours."
                ),
                code="conflict",
                params={
                    "editor": current["last_editor__username"] or _("Someone"),
                    "time": formats.date_format(timezone.localtime(current["updated_at"]), "DATETIME_FORMAT"),
                },
            ),
        )
        # The next save is made knowing of theirs.
        self.data = self.data.copy()
        self.data[self.add_prefix("known_version")] = current["version"]
