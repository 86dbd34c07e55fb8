from django import forms
from django.conf import settings
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from distribution.models import MediaContact, MediaList
from releases.uploads import read_upload


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, the first row naming the columns; see the columns below."),
    )

    def clean_file(self):
        # The size limit of every upload; the bytes, for contacts_csv.
        return read_upload(self.cleaned_data["file"])


class SendForm(forms.Form):
    """What a send goes to and until when: checked further by
    services.check_send when the editor previews or sends."""

    lists = forms.ModelMultipleChoiceField(
        MediaList.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("media lists")
    )
    contacts = forms.ModelMultipleChoiceField(
        MediaContact.objects.all(), required=False, label=_("single contacts"), help_text=_("Type a name to find one.")
    )
    embargo_until = forms.SplitDateTimeField(
        label=_("embargo until"),
        widget=widgets.AdminSplitDateTime,
        help_text=_("Baku time. For a scheduled release, its publication time."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = self.fields["contacts"]
        contacts.widget = widgets.AutocompleteSelectMultiple(MediaList._meta.get_field("contacts"), admin_site)
        contacts.widget.choices = contacts.choices

    def clean(self):
        data = super().clean()
        if not data.get("lists") and not data.get("contacts"):
            raise forms.ValidationError(_("Choose at least one media list or contact."), code="no_recipients")
        return data


class StopNoticeForm(forms.Form):
    """The prepared text of the notice, one per language, to change at will."""

    def __init__(self, *args, initial_texts, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            if code in initial_texts:
                self.fields[code] = forms.CharField(
                    label=name, widget=forms.Textarea(attrs={"rows": 4}), initial=initial_texts[code], max_length=2000
                )
