"""Release cards (`templates/includes/release_card.html`), each rendered once
and kept in the cache, a page's cards read with one multi-get (README,
"Caching").

A card is kept under a digest of everything it is made of, so that no
change needs to find and forget it: every column of the release and of its
department as the list's own query loaded them, and the release's card
stamp, which every change to its tags, their names or its photos renews
(releases/models/cards.py); the language, the heading level, the time zone
and the shape of the addresses its links are made from; the source of the
card's templates and the storage settings its image addresses come from. A
change to any of them makes another key, and the old card is never read
again (it expires after CARD_SECONDS). So a list loads the tags and the
photo only of the cards it renders. Draft, scheduled or withdrawn releases
never reach a card: the lists only hold what their queries made public."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.db.models.fields.files import FieldFile, FileField
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from releases.models import CardStamp, Release
from releases.models.media import lead_image_prefetch
from releases.models.release import tags_prefetch

CARD_TEMPLATE = "includes/release_card.html"
# The templates the card includes: their source is part of every key.
CARD_TEMPLATES = (CARD_TEMPLATE, "includes/card_image.html", "includes/picture.html")
# A card unread for this long leaves the cache; a card still read stays
# current, since its key changes with what it shows.
CARD_SECONDS = 24 * 60 * 60
KEY_PREFIX = "pressroom:card:"


def release_cards(releases, *, heading_level=2):
    """The cards of `releases` (a list's releases with their departments,
    best with their card stamps too: Release.objects.for_cards), in their
    order, as safe HTML strings: those kept read at once, the others
    rendered, with their tags and photos loaded in one query each, and kept."""
    releases = list(releases)
    if not releases:
        return []
    template = get_template(CARD_TEMPLATE)
    shared = _shared_part(heading_level)
    stamps = _stamps(releases)
    keys = [_key(shared, release, stamps.get(release.pk)) for release in releases]
    kept = cache.get_many(keys)
    prefetch_related_objects(
        [release for key, release in zip(keys, releases, strict=True) if key not in kept],
        tags_prefetch(),
        lead_image_prefetch(),
    )
    rendered = {}
    cards = []
    for key, release in zip(keys, releases, strict=True):
        card = kept.get(key)
        if card is None:
            release.sort_tag_list()
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


def _stamps(releases):
    """{release id: card stamp} of `releases`: from their own query when it
    selected the stamps, else in one query. A release without one is left
    out (its stamp is None)."""
    related = Release.card_stamp.related
    if all(related.is_cached(release) for release in releases):
        found = (related.get_cached_value(release) for release in releases)
        return {stamp.release_id: stamp.stamp for stamp in found if stamp is not None}
    ids = [release.pk for release in releases]
    return dict(CardStamp.objects.filter(release_id__in=ids).values_list("release_id", "stamp"))


def _key(shared, release, stamp):
    rows = (
        _columns(release),
        _columns(release.department) if release.department_id else None,
        stamp,
    )
    digest = hashlib.blake2b(f"{shared}{rows!r}".encode(), digest_size=20).hexdigest()
    return KEY_PREFIX + digest


def _columns(instance):
    """The values of the columns loaded for `instance` (a deferred column
    counts as None: a card that read it would have loaded it)."""
    names, file_names = _column_names(type(instance))
    values = instance.__dict__
    if file_names:
        # A file column holds its name until read, a FieldFile after.
        values = values | {name: _file_name(values.get(name)) for name in file_names}
    return (type(instance).__name__, *map(values.get, names))


@functools.cache
def _column_names(model):
    """The attribute names of `model`'s columns, and of its file columns."""
    fields = model._meta.concrete_fields
    return tuple(field.attname for field in fields), tuple(
        field.attname for field in fields if isinstance(field, FileField)
    )


def _file_name(value):
    return value.name if isinstance(value, FieldFile) else value
