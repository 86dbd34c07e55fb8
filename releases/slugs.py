"""Readable ASCII slugs from Azerbaijani, Russian and English titles."""

import re
import unicodedata

from django.utils.text import slugify

# Azerbaijani Latin letters as the press office spells names in English
# ("Bağırov" is "Baghirov", "Şahin" is "Shahin"), then Russian and
# Azerbaijani Cyrillic (BGN/PCGN style). Capitals are handled by lower-casing
# first; "İ" lower-cases to "i" plus a combining dot, which NFKD drops. The
# admin's slug.js prefills slugs with the same letters, which the release
# change form gives it.
LETTERS_IN_ASCII = {
    "ə": "a", "ğ": "gh", "ı": "i", "ö": "o", "ş": "sh", "ü": "u", "ç": "ch",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "gh", "ҝ": "g", "ө": "o", "ү": "u", "һ": "h", "ҹ": "j", "ј": "y",
}  # fmt: skip
TRANSLITERATION = str.maketrans(LETTERS_IN_ASCII)

# How long a slug made from a title may be: an address that reads whole in a
# search result or a message, cut at a word ("about 80 characters").
SLUG_LENGTH = 80
# A decimal point or comma between digits: slugify would drop it and run the
# numbers together ("660.4 kg" would read "6604-kg"), so it becomes a hyphen.
DECIMAL_MARK = re.compile(r"(?<=\d)[.,](?=\d)")


def transliterate(text):
    """ASCII text that reads like the original: 'Gömrük' becomes 'Gomruk'."""
    text = text.lower().translate(TRANSLITERATION)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug_from(text, *, max_length=SLUG_LENGTH, fallback):
    """A slug of at most max_length characters, cut after a whole word when
    one fits, or `fallback` when the text has no letters or digits to make
    one from (a title of only punctuation)."""
    slug = slugify(DECIMAL_MARK.sub("-", transliterate(text)))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        # The cut falls inside a word unless a hyphen follows it: end at the
        # last whole word, or mid-word when the first word alone is too long.
        slug = cut[: cut.rfind("-")] if "-" in cut[1:] else cut[:max_length]
    return slug.strip("-") or fallback


def unique_slug(queryset, base, *, max_length):
    """`base`, or `base-2`, `base-3`, ... : the first that no row of `queryset`
    has. One query, whatever the number of rows that share the base."""
    # A base cut at max_length is cut again to make room for the suffix, so
    # look up by a prefix that every candidate shares (room for a hyphen the
    # cut may drop and a suffix of up to ten digits), not by the whole base.
    prefix = base[: max_length - 12]
    taken = set(queryset.filter(slug__startswith=prefix).values_list("slug", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while True:
        ending = f"-{suffix}"
        candidate = base[: max_length - len(ending)].rstrip("-") + ending
        if candidate not in taken:
            return candidate
        suffix += 1
