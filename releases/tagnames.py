"""When two tag names are the same tag."""

import unicodedata

from releases.text import clean_text

# Tag names are at most 100 characters; folding can make a name longer
# ("ß" is "ss", "ﬃ" is "ffi").
TAG_KEY_LENGTH = 255


def tag_key(name):
    """What makes two tag names one tag: equal after compatibility
    normalization (NFKC: "ＷＣＯ" is "WCO"), case folding ("ß" is "ss", "Ё" is
    "ё") and folding white space, with the dotted and dotless i of
    Azerbaijani as one letter ("İqtisadiyyat", "IQTISADIYYAT" and
    "iqtisadiyyat" are one tag, and so are "IMF" and "imf")."""
    text = unicodedata.normalize("NFKC", clean_text(name or ""))
    text = text.replace("İ", "i").replace("ı", "i").casefold().replace("i\u0307", "i")
    return " ".join(text.split())[:TAG_KEY_LENGTH]
