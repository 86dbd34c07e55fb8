from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from releases.models import Release


class TagSuggestWidget(TagWidget):
    """Taggit's comma-separated input, with suggestions of existing tags
    (static/releases/admin/tags.js fetches them from the tag admin)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-suggest-url": reverse_lazy("admin:releases_tag_suggest"), **(attrs or {})})

    class Media:
        js = ["releases/admin/tags.js"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the public on each withdrawn release, for example: Issued in error."),
    )


class ReleaseAdminForm(forms.ModelForm):
    """The release form of the admin.

    `status` is not written by the form: clean() checks the requested change
    with the model's rules and sets it aside as `requested_status`, and the
    admin applies it with Release.change_status, like every other path.
    """

    status = forms.ChoiceField(label=_("Status"), choices=Release.Status.choices)
    translation_of = forms.ModelChoiceField(
        queryset=Release.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("The release this one translates: they become language versions of one release."),
    )

    class Meta:
        model = Release
        fields = [
            "language", "title", "slug", "lead", "body", "department", "event", "delegations", "tags",
            "status", "published_at", "withdrawal_reason",
        ]  # fmt: skip
        widgets = {"tags": TagSuggestWidget}

    user = None  # the user who posts; set by ReleaseAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].initial = self.instance.status

    def clean(self):
        cleaned_data = super().clean()
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
        if "status" not in cleaned_data:
            return cleaned_data
        self.requested_status = cleaned_data.pop("status")
        reason = cleaned_data.get("withdrawal_reason") or self.instance.withdrawal_reason
        try:
            self.instance.check_status_change(self.requested_status, user=self.user, reason=reason)
        except ValidationError as error:
            field = "withdrawal_reason" if error.code == "reason_required" else "status"
            self.add_error(field if field in self.fields else None, error)
        return cleaned_data
