"""WordPress exports (WXR): RSS 2.0 with WordPress's namespaces, read as a
stream (lxml's iterparse, each item dropped once read) in two passes: the
attachments first (their addresses, captions and the posts they belong to),
then the posts. Memory holds the attachments' addresses, never the posts."""

from datetime import UTC, datetime
from functools import partial
from urllib.parse import urljoin

from django.utils.html import linebreaks
from lxml import etree

from imports.bodies import take_photos
from imports.items import FileRef, SourceItem

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# WordPress 1.0 and 1.1 exports use these namespaces instead.
OLDER_WP = ("{http://wordpress.org/export/1.0/}", "{http://wordpress.org/export/1.1/}")
BLOCK_TAGS = ("<p", "<div", "<h2", "<h3", "<h4", "<ul", "<ol", "<blockquote", "<table")
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx")


def _items(path):
    """Each <item> of the export, as an element dropped once the caller is
    done with it. Entities are not expanded and no address is fetched: an
    export is untrusted input."""
    parser_options = {"resolve_entities": False, "no_network": True, "huge_tree": True, "events": ("end",)}
    for _event, element in etree.iterparse(str(path), tag="item", **parser_options):
        yield element
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]


def _text(element, name):
    for prefix in (WP, *OLDER_WP):
        name_in = name.replace("wp:", prefix)
        found = element.find(name_in)
        if found is not None:
            return (found.text or "").strip()
    return ""


def _meta(element):
    meta = {}
    for prefix in (WP, *OLDER_WP):
        for row in element.iterfind(f"{prefix}postmeta"):
            meta[_text(row, "wp:meta_key")] = _text(row, "wp:meta_value")
    return meta


class Attachments:
    """The first pass: each attachment's address and text, by its id and by
    the post it belongs to."""

    def __init__(self, path):
        self.by_id, self.by_parent = {}, {}
        for element in _items(path):
            if _text(element, "wp:post_type") != "attachment":
                continue
            meta = _meta(element)
            ref = FileRef(
                location=_text(element, "wp:attachment_url"),
                alt=meta.get("_wp_attachment_image_alt", ""),
                caption=(element.findtext(EXCERPT + "encoded") or "").strip(),
                title=(element.findtext("title") or "").strip(),
            )
            post_id = _text(element, "wp:post_id")
            self.by_id[post_id] = ref
            self.by_parent.setdefault(_text(element, "wp:post_parent"), []).append(post_id)


def read(path, *, mapping):
    """The posts of the WordPress export at `path`, as SourceItems."""
    attachments = Attachments(path)
    settings = mapping.section("wxr")
    post_types = settings.get("post_types", ["post"])
    language_meta = settings.get("language_meta", "_wpml_language")
    translation_meta = settings.get("translation_meta", "_wpml_translation_group")
    line = 0
    for element in _items(path):
        line = element.sourceline or line
        post_type = _text(element, "wp:post_type")
        if post_type == "attachment":
            continue
        post_id = _text(element, "wp:post_id")
        where = f"line {line} (post {post_id})"
        item = SourceItem(source_id=f"post:{post_id}", where=where)
        if post_type not in post_types:
            item.skip = f"a {post_type or 'item'} of WordPress, not a post (mapping: [wxr] post_types)"
            yield item
            continue
        status = _text(element, "wp:status")
        if status == "trash":
            item.skip = "in WordPress's bin"
            yield item
            continue
        meta = _meta(element)
        item.title = (element.findtext("title") or "").strip()
        body = element.findtext(CONTENT + "encoded") or ""
        item.body = body if any(tag in body.lower() for tag in BLOCK_TAGS) else linebreaks(body, autoescape=False)
        item.lead = (element.findtext(EXCERPT + "encoded") or "").strip()
        item.slug = _text(element, "wp:post_name")
        item.author = (element.findtext(DC + "creator") or "").strip()
        item.published = status == "publish"
        item.published_at = _date(element)
        if item.published_at is None and item.published:
            item.problem = "no publication date (wp:post_date_gmt)"
        for category in element.iterfind("category"):
            domain, name = category.get("domain"), (category.text or "").strip()
            if domain == "post_tag":
                item.tags.append(name)
            elif domain == "category":
                if mapping.categories_are_tags:
                    item.tags.append(name)
                elif not item.department:
                    item.department = name
            elif domain == "language":  # Polylang
                item.language = category.get("nicename") or name
            elif domain == "post_translations":  # Polylang
                item.translation_group = category.get("nicename") or name
        item.language = meta.get(language_meta) or item.language
        item.translation_group = meta.get(translation_meta) or item.translation_group
        item.old_addresses = [address for address in (element.findtext("link"), _guid(element)) if address]
        photo_ids = [meta["_thumbnail_id"]] if meta.get("_thumbnail_id") else []
        photo_ids += [pk for pk in attachments.by_parent.get(post_id, []) if pk not in photo_ids]
        for pk in photo_ids:
            ref = attachments.by_id.get(pk)
            if ref is None:
                continue
            if ref.location.lower().endswith(DOCUMENT_EXTENSIONS):
                item.documents.append(ref)
            else:
                item.photos.append(ref)
        link = element.findtext("link") or ""
        item.body, item.body_photos = take_photos(item.body, partial(urljoin, link), known=item.photos)
        yield item


def _date(element):
    gmt = _text(element, "wp:post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            return None
    local = _text(element, "wp:post_date")
    if local and not local.startswith("0000"):
        try:
            return datetime.strptime(local, "%Y-%m-%d %H:%M:%S")  # naive: the site's time zone
        except ValueError:
            return None
    return None


def _guid(element):
    guid = element.find("guid")
    # "https://old.example/?p=123": the short address WordPress answers too.
    if guid is not None and guid.text and "?p=" in guid.text:
        return guid.text.strip()
    return ""


def source_name(path):
    """The exported site's address: the source's identity."""
    for _event, element in etree.iterparse(str(path), events=("end",), resolve_entities=False, no_network=True):
        if element.tag in {f"{prefix}base_site_url" for prefix in (WP, *OLDER_WP)}:
            return (element.text or "").strip()
        if element.tag == "item":
            break
    return ""
