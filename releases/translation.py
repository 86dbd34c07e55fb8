"""Per-language text of events, delegations and departments (django-modeltranslation:
one column per language, `title_az`, `title_en`, `title_ru`, with `title`
reading the language being served). Releases are different: each language
version is a row of its own (see Release)."""

from modeltranslation.translator import TranslationOptions, register

from releases.models import Delegation, DelegationMember, Department, Event, EventCover


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ["title", "organizer", "venue", "city", "country", "description"]


@register(Department)
class DepartmentTranslationOptions(TranslationOptions):
    fields = ["name", "signature", "description", "media_contact_name"]


@register(Delegation)
class DelegationTranslationOptions(TranslationOptions):
    fields = ["head_name", "head_position", "head_rank", "notes"]


@register(DelegationMember)
class DelegationMemberTranslationOptions(TranslationOptions):
    fields = ["name", "position"]


@register(EventCover)
class EventCoverTranslationOptions(TranslationOptions):
    fields = ["alt_text", "credit"]
