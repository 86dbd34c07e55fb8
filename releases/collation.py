"""Names in the alphabetical order of their language (README, "The public
website"): Azerbaijani "Ə" after "E" and "İ" after "I", "Ş" after "S";
Russian "КПП" after "Комиссия", as readers of each language expect, not
in the order of the characters' code points.

`collated(field, language)` is an expression to order by. On PostgreSQL it
names the ICU collation of the language (az-x-icu, ru-x-icu, en-x-icu, in
Debian's build and the official images). SQLite has no such collations:
the same names are registered on each of its connections as Python
functions (`sort_key`), which follow ICU's order for the letters of each
alphabet, with case and accents as lesser differences. They differ from
ICU in rarer cases (ligatures, letters of other scripts among themselves).
"""

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

# The letters of each language, in their order. ICU's Azerbaijani tailoring
# puts the letters foreign to the alphabet ("w") after "z"; its Russian
# takes "ё" for an "е" with an accent ("Ёлка" before "Ель").
ALPHABETS = {
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
COLLATIONS = {code: f"{code}-x-icu" for code in ALPHABETS}
# Letters that stand apart in a language but are accented forms elsewhere:
# NFKD would take "ё" for "е" and "ç" for "c".
_OWN_LETTERS = {code: set(alphabet) - set("abcdefghijklmnopqrstuvwxyz") for code, alphabet in ALPHABETS.items()}


def collation_name(language):
    """The collation of `language` (the site's default language's for one
    it has none of)."""
    return COLLATIONS.get(language, COLLATIONS.get(settings.LANGUAGE_CODE, "en-x-icu"))


def collated(field, language):
    """`field` in the alphabetical order of `language`, to order by."""
    return Collate(field, collation_name(language))


def _lower(text, language):
    if language == "az":
        # Azerbaijani case: "I" is the capital of "ı", "İ" of "i".
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower().replace("i\u0307", "i")


def _letter_key(letter, language):
    """(primary, secondary) weights of one lower-case character."""
    alphabet = ALPHABETS[language]
    if letter in alphabet:
        return (2, alphabet.index(letter)), 0
    if letter in _OWN_LETTERS[language] or not letter.isalpha():
        base, accent = letter, 0
    else:
        decomposed = unicodedata.normalize("NFKD", letter)
        base, accent = decomposed[:1], ord(decomposed[1]) if len(decomposed) > 1 else 0
    if base in alphabet:
        return (2, alphabet.index(base)), accent
    if base.isdigit():
        return (1, unicodedata.digit(base, 0)), 0
    if base.isalpha():
        return (3, ord(base)), accent
    # White space and punctuation come first, as ICU has them.
    return (0, ord(base)), 0


@lru_cache(maxsize=10_000)
def _sort_key(text, language):
    lowered = _lower(text, language)
    weights = [_letter_key(letter, language) for letter in lowered]
    primary = tuple(weight for weight, _accent in weights)
    secondary = tuple(accent for _weight, accent in weights)
    # Lower case before upper case, as ICU has it.
    tertiary = tuple(letter != lower for letter, lower in zip(text, lowered, strict=False))
    return primary, secondary, tertiary, text


def sort_key(language):
    """A key function ordering texts as the collation of `language` does."""
    language = language if language in ALPHABETS else settings.LANGUAGE_CODE
    return lambda text: _sort_key(text, language)


def _comparison(language):
    key = sort_key(language)

    def compare(first, second):
        first, second = key(first), key(second)
        return (first > second) - (first < second)

    return compare


@receiver(connection_created)
def register_sqlite_collations(sender, connection, **kwargs):
    """Give a new SQLite connection the collations PostgreSQL has."""
    if connection.vendor == "sqlite":
        for language, name in COLLATIONS.items():
            connection.connection.create_collation(name, _comparison(language))
