from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency
from releases.filters import MAX_TAGS, _slug
from releases.models import Department, Event, Tag


class ScopeForm(forms.Form):
    """What a subscription covers: a page's filters (tags, department,
    event), as hidden fields; the language is the page's."""

    tag = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    department = forms.CharField(required=False, widget=forms.HiddenInput)
    event = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any slug is a choice: clean_tag says whether it names a tag.
        self.fields["tag"].valid_value = lambda value: bool(_slug(value))

    def clean_tag(self):
        slugs = list(dict.fromkeys(self.cleaned_data["tag"]))[:MAX_TAGS]
        tags = list(Tag.objects.filter(slug__in=slugs))
        if len(tags) != len(slugs):
            raise ValidationError(_("One of these tags no longer exists."), code="unknown_tag")
        return tags

    def clean_department(self):
        slug = self.cleaned_data["department"]
        if not slug:
            return None
        department = Department.objects.filter(slug=_slug(slug)).first()
        if department is None:
            raise ValidationError(_("This department no longer exists."), code="unknown_department")
        return department

    def clean_event(self):
        slug = self.cleaned_data["event"]
        if not slug:
            return None
        event = Event.objects.public().filter(slug=_slug(slug)).first()
        if event is None:
            raise ValidationError(_("This event is not on the site."), code="unknown_event")
        return event


class SubscribeForm(ScopeForm):
    """What a page's "Get these by e-mail" sends: an address, how often,
    and the page's filters."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("For example: name@example.org. We send a link to confirm first."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.IMMEDIATELY, widget=forms.RadioSelect
    )

    field_order = ["email", "frequency"]


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect)
