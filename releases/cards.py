"""Release cards (`templates/includes/release_card.html`), each rendered once
and kept in the cache, a page's cards read with one multi-get (README,
"Caching").

A card is kept under a digest of everything it is made of, so that no
change needs to find and forget it: every column of the release, of its
department, of each of its tags and of its lead image as the page's own
queries loaded them; the language, the heading level, the time zone and
the shape of the addresses its links are made from; the source of the card's templates and the storage
settings its image addresses come from. A change to any of them makes
another key, and the old card is never read again (it expires after
CARD_SECONDS). Draft, scheduled or withdrawn releases never reach a card:
the lists only hold what their queries made public."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from releases.templatetags.pressroom_media import lead_image

CARD_TEMPLATE = "includes/release_card.html"
# The templates the card includes: their source is part of every key.
CARD_TEMPLATES = (CARD_TEMPLATE, "includes/card_image.html", "includes/picture.html")
# A card unread for this long leaves the cache; a card still read stays
# current, since its key changes with what it shows.
CARD_SECONDS = 24 * 60 * 60
KEY_PREFIX = "pressroom:card:"


def release_cards(releases, *, heading_level=2):
    """The cards of `releases` (a list's releases, with the department, the
    tags and the lead image loaded: `public_releases()`), in their order, as
    safe HTML strings: those kept read at once, the others rendered and kept."""
    releases = list(releases)
    if not releases:
        return []
    template = get_template(CARD_TEMPLATE)
    shared = _shared_part(heading_level)
    keys = [_key(shared, release) for release in releases]
    kept = cache.get_many(keys)
    rendered = {}
    cards = []
    for key, release in zip(keys, releases, strict=True):
        card = kept.get(key)
        if card is None:
            card = rendered[key] = template.render({"release": release, "heading_level": heading_level})
        cards.append(mark_safe(card))
    if rendered:
        cache.set_many(rendered, timeout=CARD_SECONDS)
    return cards


def _shared_part(heading_level):
    """What every card of the page is made of beside its own rows."""
    sources = b"".join(get_template(name).template.source.encode() for name in CARD_TEMPLATES)
    return repr(
        (
            hashlib.blake2b(sources, digest_size=16).hexdigest(),
            get_language(),
            heading_level,
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            # The shape of the addresses its links are made from.
            reverse("releases:release-list"),
            reverse("releases:release-detail", kwargs={"slug": "slug"}),
            reverse("releases:department-detail", kwargs={"slug": "slug"}),
            settings.MEDIA_URL,
            settings.STORAGES,
        )
    )


def _key(shared, release):
    image = lead_image(release)
    rows = (
        _columns(release),
        _columns(release.department) if release.department_id else None,
        [_columns(tag) for tag in release.tag_list],
        _columns(image) if image is not None else None,
    )
    digest = hashlib.blake2b(f"{shared}{rows!r}".encode(), digest_size=20).hexdigest()
    return KEY_PREFIX + digest


def _columns(instance):
    """The values of the columns loaded for `instance` (a deferred column
    counts as None: a card that read it would have loaded it)."""
    values = instance.__dict__
    return (type(instance).__name__, *(_value(values.get(field.attname)) for field in instance._meta.concrete_fields))


def _value(value):
    # A file column holds its name until read, a FieldFile after.
    return value.name if isinstance(value, FieldFile) else value
