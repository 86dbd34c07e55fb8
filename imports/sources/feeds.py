"""RSS 2.0 and Atom feeds, from a file or an address the operator allows:
for sites that have nothing else. A feed holds the latest items only, so
it is read whole."""

from email.utils import parsedate_to_datetime
from functools import partial
from urllib.parse import urljoin

from django.utils.dateparse import parse_datetime
from lxml import etree

from imports.bodies import take_photos
from imports.items import FileRef, SourceItem

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def parse(content):
    return etree.fromstring(content, PARSER)


def source_name(root):
    if root.tag == f"{ATOM}feed":
        link = _atom_link(root, "alternate") or root.findtext(f"{ATOM}id") or ""
    else:
        link = root.findtext("channel/link") or ""
    return link.strip()


def read(root):
    """The entries of a parsed feed (`parse`), as SourceItems."""
    if root.tag == f"{ATOM}feed":
        yield from _atom(root)
    else:
        yield from _rss(root)


def _rss(root):
    channel = root.find("channel")
    language = _language(channel.findtext("language") if channel is not None else "")
    for element in root.iter("item"):
        link = (element.findtext("link") or "").strip()
        guid = (element.findtext("guid") or "").strip()
        item = SourceItem(source_id=guid or link, where=f"line {element.sourceline} ({link or guid})")
        item.title = (element.findtext("title") or "").strip()
        description = element.findtext("description") or ""
        content = element.findtext(CONTENT + "encoded")
        item.body, item.lead = (content, description) if content else (description, "")
        item.language = language
        item.published, item.published_at = True, _rss_date(element.findtext("pubDate"))
        if item.published_at is None:
            item.problem = f"no readable date (pubDate: {element.findtext('pubDate') or 'none'})"
        item.author = (element.findtext(DC + "creator") or element.findtext("author") or "").strip()
        item.tags = [(category.text or "").strip() for category in element.iterfind("category")]
        item.old_addresses = [link] if link else []
        for enclosure in element.iterfind("enclosure"):
            _add_file(item, enclosure.get("url"), enclosure.get("type"))
        _take_body_photos(item, link)
        if not item.source_id:
            item.problem = "neither a guid nor a link to know the item by"
        yield item


def _atom(root):
    feed_language = _language(root.get(XML_LANG))
    for entry in root.iter(f"{ATOM}entry"):
        link = _atom_link(entry, "alternate")
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        item = SourceItem(source_id=entry_id or link, where=f"line {entry.sourceline} ({link or entry_id})")
        item.title = (entry.findtext(f"{ATOM}title") or "").strip()
        item.body = entry.findtext(f"{ATOM}content") or ""
        item.lead = (entry.findtext(f"{ATOM}summary") or "").strip()
        if not item.body:
            item.body, item.lead = item.lead, ""
        item.language = _language(entry.get(XML_LANG)) or feed_language
        when = entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated") or ""
        item.published, item.published_at = True, _parse_iso(when)
        if item.published_at is None:
            item.problem = f"no readable date (published: {when or 'none'})"
        item.author = (entry.findtext(f"{ATOM}author/{ATOM}name") or "").strip()
        item.tags = [
            category.get("label") or category.get("term") or "" for category in entry.iterfind(f"{ATOM}category")
        ]
        item.old_addresses = [link] if link else []
        for enclosure in entry.iterfind(f"{ATOM}link[@rel='enclosure']"):
            _add_file(item, enclosure.get("href"), enclosure.get("type"))
        _take_body_photos(item, link)
        if not item.source_id:
            item.problem = "neither an id nor a link to know the entry by"
        yield item


def _take_body_photos(item, link):
    """The body's images as photos (imports/bodies.py), their addresses
    read from the entry's own."""
    item.body, item.body_photos = take_photos(item.body, partial(urljoin, link), known=item.photos)


def _atom_link(element, rel):
    for link in element.iterfind(f"{ATOM}link"):
        if link.get("rel", "alternate") == rel:
            return (link.get("href") or "").strip()
    return ""


def _add_file(item, url, kind):
    if not url:
        return
    if (kind or "").startswith("image/"):
        item.photos.append(FileRef(location=url))
    else:
        item.documents.append(FileRef(location=url, title=item.title))


def _language(code):
    return (code or "").strip().lower().split("-")[0].split("_")[0]


def _rss_date(text):
    try:
        return parsedate_to_datetime(text.strip()) if text else None
    except (TypeError, ValueError):
        return None


def _parse_iso(text):
    try:
        return parse_datetime(text.strip()) if text else None
    except ValueError:
        return None
