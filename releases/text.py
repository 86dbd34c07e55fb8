"""Text as people type and paste it, made fit to store, search and syndicate.

Titles come pasted from word processors with what no reader sees and feeds
cannot carry: Word's manual line break (a vertical tab), page breaks, Unicode
line and paragraph separators, soft hyphens, zero-width spaces, stray control
characters. `clean_text` turns the breaks into what the field holds (a space
on one line, a newline in multi-line text) and drops the rest; every text
field of the app's models passes through it before it is validated and saved
(NormalizedText), so no page, feed, e-mail subject or search index sees them.
NUL never gets this far: Django's form fields refuse it with a form error.
"""

import re
import unicodedata
from functools import cache

from django.db import models

# Breaks within a paragraph: Windows and old Mac line ends, Word's manual line
# break (vertical tab), NEL and the Unicode line separator.
LINE_BREAK = re.compile("\r\n|[\r\x0b\x85\u2028]")
# Breaks between paragraphs: the page break (form feed) and the Unicode
# paragraph separator.
PARAGRAPH_BREAK = re.compile("[\x0c\u2029]")
# What no one means to store: C0 controls but tab and newline, DEL, the C1
# controls, the soft hyphen (it splits words for search), zero-width spaces and
# word joiners, byte order marks, bidirectional embeddings and overrides (they
# can make a name read as another in the admin; the site's languages are all
# written left to right), non-characters and lone surrogates (which no database
# encoding accepts).
INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
# On one line, a run of white space with a newline or tab in it is one space.
SPACE_WITH_BREAKS = re.compile(r"[ \u00a0]*[\n\t][\s]*")


def clean_text(text, *, multiline=False):
    """`text` in Unicode's composed form (NFC) with the invisible characters
    dropped and every line or paragraph break made a newline (`multiline`)
    or a space between words (one line, trimmed)."""
    if not text:
        return text
    text = LINE_BREAK.sub("\n", PARAGRAPH_BREAK.sub("\n\n", text))
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    if multiline:
        return text
    return SPACE_WITH_BREAKS.sub(" ", text).strip()


@cache
def text_fields(model):
    """[(attribute name, multi-line)] of the text `model` stores as typed:
    its CharFields (one line) and TextFields (multi-line), the per-language
    columns of django-modeltranslation among them; not slugs, e-mail
    addresses, URLs or choices, which their own validation keeps clean."""
    return [
        (field.attname, isinstance(field, models.TextField))
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (models.SlugField, models.EmailField, models.URLField))
        and not field.choices
    ]


def normalize_text_fields(instance):
    """Pass every text field of `instance` through clean_text. Through
    __dict__, past modeltranslation's descriptors, which would read a
    fallback language's text and write it into the current language's
    column."""
    values = instance.__dict__
    for name, multiline in text_fields(type(instance)):
        value = values.get(name)
        if isinstance(value, str):
            values[name] = clean_text(value, multiline=multiline)


class NormalizedText:
    """Model mixin: the text fields are cleaned (clean_text) before they are
    validated, so that a title of nothing but control characters is an empty
    title, refused as such, and again before every save, whatever path it
    comes by."""

    def clean_fields(self, exclude=None):
        normalize_text_fields(self)
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        super().save(*args, **kwargs)


# The largest primary key a database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(value):
    """The primary key typed or posted as `value`, or None when it is not
    one: ASCII digits only (str.isdigit() also takes "²" and "١", which
    int() then refuses or reads), and no larger than a key can be."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None
