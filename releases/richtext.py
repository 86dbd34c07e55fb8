"""The release body's rich text: what the editor offers and what survives saving.

One configuration serves both the editor (django-prose-editor) and the
sanitizer (nh3), so that press staff can only produce what will be kept.
"""

import nh3
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Spell-checking on, as in the title and lead: the editor turns it off by default.
    "NoSpellCheck": False,
}

_allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
# Links are to the outside world: never let them pass the page's authority on
# to it, nor give it a handle on this window.
_allowlist["link_rel"] = "noopener noreferrer"
_allowlist["attributes"]["a"].discard("rel")
_cleaner = nh3.Cleaner(**_allowlist)


def sanitize_html(html):
    """HTML with only the tags, attributes and URL schemes of BODY_EXTENSIONS.

    Scripts, event handlers, `style` and `javascript:` URLs are removed; an
    editor's lone empty paragraph becomes an empty string.
    """
    cleaned = _cleaner.clean(html or "").strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
