"""Sentences, titles and names in English, Azerbaijani and Russian, made from
the parallel phrases of `lexicon`. Whatever draws the same indices gets the
same meaning in each language, so that the language versions of a synthetic
release read as translations of each other."""

from html import escape

from releases.slugs import slug_from

from . import lexicon

COLUMN = {language: index for index, language in enumerate(lexicon.ORDER)}


def pick(entries, index, language):
    return entries[index][COLUMN[language]]


def capitalised(text):
    return text[:1].upper() + text[1:]


def sentence(language, subject, verb, obj, circumstance):
    """One sentence from indices into SUBJECTS, VERBS, OBJECTS and CIRCUMSTANCES."""
    parts = [
        pick(lexicon.SUBJECTS, subject, language),
        pick(lexicon.VERBS, verb, language),
        pick(lexicon.OBJECTS, obj, language),
        pick(lexicon.CIRCUMSTANCES, circumstance, language),
    ]
    if language == "az":
        # Azerbaijani puts the verb last: subject, circumstance, object, verb.
        parts = [parts[0], parts[3], parts[2], parts[1]]
    return capitalised(" ".join(parts)) + "."


def random_sentence_indices(rng):
    return (
        rng.randrange(len(lexicon.SUBJECTS)),
        rng.randrange(len(lexicon.VERBS)),
        rng.randrange(len(lexicon.OBJECTS)),
        rng.randrange(len(lexicon.CIRCUMSTANCES)),
    )


def count_sentence(language, offence, number):
    template = lexicon.COUNT_SENTENCES[COLUMN[language]]
    return template.format(offence=pick(lexicon.OFFENCES, offence, language), number=number)


def sentence_pool(rng, language, size):
    """`size` sentences of `language`, HTML-escaped, to build bodies from:
    drawing whole sentences keeps a million bodies fast to write."""
    pool = []
    for _ in range(size):
        if rng.random() < 0.08:
            text = count_sentence(language, rng.randrange(len(lexicon.OFFENCES)), rng.randrange(3, 900))
        else:
            text = sentence(language, *random_sentence_indices(rng))
        pool.append(escape(text, quote=False))
    return pool


def random_title_slots(rng):
    return {
        "template": rng.randrange(len(lexicon.TITLES)),
        "topic": rng.randrange(len(lexicon.TOPICS)),
        "place": rng.randrange(len(lexicon.PLACES)),
        "goods": rng.randrange(len(lexicon.GOODS)),
        "organisation": rng.randrange(len(lexicon.ORGANISATIONS)),
        "meeting": rng.randrange(len(lexicon.MEETINGS)),
    }


def title(language, slots):
    template = pick(lexicon.TITLES, slots["template"], language)
    return capitalised(
        template.format(
            topic=pick(lexicon.TOPICS, slots["topic"], language),
            place=pick(lexicon.PLACES, slots["place"], language),
            goods=pick(lexicon.GOODS, slots["goods"], language),
            organisation=pick(lexicon.ORGANISATIONS, slots["organisation"], language),
            meeting=pick(lexicon.MEETINGS, slots["meeting"], language),
        )
    )


def english_ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# The Azerbaijani ordinal ending follows the vowel of the number's last word
# ("birinci", "üçüncü", "altıncı", "doqquzuncu", "onuncu", "qırxıncı").
_AZ_UNITS = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_AZ_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def azerbaijani_ordinal(number):
    if number % 10:
        ending = _AZ_UNITS[number % 10]
    elif number % 100:
        ending = _AZ_TENS[number % 100 // 10]
    elif number % 1000:
        ending = "cü"  # yüz
    else:
        ending = "ci"  # min
    return f"{number}-{ending}"


def event_title(language, body, kind, number):
    """'88th session of the WCO Policy Commission' and its translations."""
    body_name = pick(lexicon.BODIES, body, language)
    kind_en, kind_az, kind_ru, ru_ending = lexicon.MEETING_KINDS[kind]
    if language == "en":
        return f"{english_ordinal(number)} {kind_en} of the {body_name}"
    if language == "az":
        return f"{body_name}: {azerbaijani_ordinal(number)} {kind_az}"
    return f"{body_name}: {number}-{ru_ending} {kind_ru}"


def person(language, first, surname):
    *names, female = lexicon.FIRST_NAMES[first]
    family = pick(lexicon.SURNAMES, surname, language)
    if female:
        family += "а" if language == "ru" else "a"
    return f"{names[COLUMN[language]]} {family}"


def in_every_language(render):
    """{"title_en": ..., "title_az": ..., "title_ru": ...} style columns: `render`
    is called with each language."""
    return {language: render(language) for language in lexicon.ORDER}


def base_slug(text, fallback):
    """The readable part of a slug; callers add a number that makes it unique.
    A dash between words ("EU–Azerbaijan") separates them in the slug too."""
    return slug_from(text.replace("–", " "), max_length=80, fallback=fallback)
