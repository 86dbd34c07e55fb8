"""A saved copy of the old site (a folder of HTML pages, as `wget --mirror`
writes it), read with the CSS selectors of the mapping's [html] section
(README, "Moving a site"). A page the `article` selector (or, without one,
the `title` selector) finds nothing in is not a release (a list, a tag page)
and is passed over."""

import re
from datetime import datetime
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree, html

from imports.bodies import take_photos
from imports.items import FileRef, SourceItem

# Month names of the old site's dates in Azerbaijani and Russian (both cases),
# read as the English ones strptime knows under %B.
MONTHS = {
    "January": ["yanvar", "января", "январь"],
    "February": ["fevral", "февраля", "февраль"],
    "March": ["mart", "марта", "март"],
    "April": ["aprel", "апреля", "апрель"],
    "May": ["may", "мая", "май"],
    "June": ["iyun", "июня", "июнь"],
    "July": ["iyul", "июля", "июль"],
    "August": ["avqust", "августа", "август"],
    "September": ["sentyabr", "сентября", "сентябрь"],
    "October": ["oktyabr", "октября", "октябрь"],
    "November": ["noyabr", "ноября", "ноябрь"],
    "December": ["dekabr", "декабря", "декабрь"],
}
META_CHARSET = re.compile(rb"<meta[^>]+charset", re.IGNORECASE)
MONTH_WORDS = {word: english for english, words in MONTHS.items() for word in words}
MONTH_PATTERN = re.compile(r"\b(" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def english_months(text):
    return MONTH_PATTERN.sub(lambda match: MONTH_WORDS[match.group(1).lower()], text)


def parse_page_date(text, formats):
    text = english_months(" ".join(text.split()))
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


class Selector:
    """A CSS selector with an optional attribute to read: "h1.title" (the
    text), "link[rel=canonical]@href", "html@lang"."""

    def __init__(self, spec):
        self.spec = spec or ""
        css, _, self.attribute = self.spec.partition("@")
        self.css = css.strip()

    def __bool__(self):
        return bool(self.css)

    def values(self, document):
        found = document.cssselect(self.css) if self.css else []
        if self.attribute:
            return [value.strip() for element in found if (value := element.get(self.attribute))]
        return [" ".join(element.text_content().split()) for element in found]

    def first(self, document):
        return next(iter(self.values(document)), "")

    def html(self, document):
        return "".join(
            etree.tostring(element, encoding="unicode", method="html") for element in document.cssselect(self.css)
        )


def parse_page(content, encoding=None):
    """The page in `content`: in the mapping's `encoding`, else the one its
    <meta charset> declares (windows-1251 on many old Russian sites), else
    UTF-8 (libxml2 would otherwise read it as Latin-1)."""
    if not encoding and not META_CHARSET.search(content[:4096]):
        encoding = "utf-8"
    return html.fromstring(content, parser=html.HTMLParser(encoding=encoding) if encoding else None)


def page_address(relative_path):
    """The old address of a page saved as `relative_path` by wget: "news/1234.html"
    is /news/1234.html, "news/index.html" is /news/, and "index.php?id=12&lang=ru"
    (wget keeps the query in the file name) is /index.php?id=12&lang=ru."""
    address = "/" + relative_path.as_posix()
    if address.endswith("/index.html"):
        address = address[: -len("index.html")]
    return address.replace("%3F", "?")


def page_addresses(relative_path):
    """The old addresses a page saved as `relative_path` may have had: wget's
    --adjust-extension adds ".html" to names that lack it, so "news/1234.html"
    was /news/1234.html or /news/1234 (both are kept), and a page saved with
    its query, "index.php?id=12.html", was /index.php?id=12."""
    address = page_address(relative_path)
    if not address.endswith(".html"):
        return [address]
    stripped = address.removesuffix(".html")
    return [stripped] if "?" in address else [address, stripped]


def read(folder, *, mapping):
    folder = Path(folder)
    section = mapping.section("html")
    patterns = section.get("files", ["**/*.html", "**/*.htm"])
    selectors = {
        name: Selector(section.get(name))
        for name in (
            "article", "title", "date", "lead", "body", "tags", "photos", "language",
            "department", "event", "old_address", "documents",
        )
    }  # fmt: skip
    formats = section.get("date_formats") or [section.get("date_format", "%d.%m.%Y")]
    group_pattern = re.compile(section["translation_key_pattern"]) if section.get("translation_key_pattern") else None
    language_pattern = re.compile(section["language_pattern"]) if section.get("language_pattern") else None
    site = section.get("site", "")
    paths = sorted({path for pattern in patterns for path in folder.glob(pattern) if path.is_file()})
    for path in paths:
        relative = path.relative_to(folder)
        address = page_address(relative)
        item = SourceItem(source_id=address, where=str(relative))
        try:
            document = parse_page(path.read_bytes(), section.get("encoding"))
        except (etree.ParserError, ValueError) as error:
            item.problem = f"not a readable HTML page ({error})"
            yield item
            continue
        marker = selectors["article"] or selectors["title"]
        if not marker.values(document):
            item.skip = "not an article (the mapping's article or title selector finds nothing)"
            yield item
            continue
        item.title = selectors["title"].first(document)
        item.body = selectors["body"].html(document) if selectors["body"] else ""
        item.lead = selectors["lead"].first(document)
        item.tags = selectors["tags"].values(document)
        item.department = selectors["department"].first(document)
        item.event = selectors["event"].first(document)
        canonical = selectors["old_address"].first(document)
        item.old_addresses = page_addresses(relative) + ([canonical] if canonical and canonical != address else [])
        item.language = selectors["language"].first(document).lower()[:2]
        if language_pattern and (match := language_pattern.search(address)):
            item.language = match.group(1)
        if group_pattern and (match := group_pattern.search(address)):
            item.translation_group = match.group(1)
        item.published = True
        date_text = selectors["date"].first(document)
        item.published_at = parse_page_date(date_text, formats) if date_text else None
        if item.published_at is None:
            item.problem = f"date “{date_text}” not in the mapping's format ({', '.join(formats)})"
        page_url = urljoin(site or "http://old.invalid/", address)
        for spec, target in (("photos", item.photos), ("documents", item.documents)):
            selector = selectors[spec]
            if not selector:
                continue
            for element in document.cssselect(selector.css):
                src = element.get(selector.attribute or ("src" if spec == "photos" else "href"))
                if src:
                    ref = FileRef(location=_local_or_address(folder, page_url, src, site))
                    ref.alt, ref.title = element.get("alt", ""), element.get("title", "") or element.text_content()
                    ref.caption = element.get("title", "")
                    target.append(ref)
        in_copy = partial(_local_or_address, folder, page_url, site=site)
        item.body, item.body_photos = take_photos(item.body, in_copy, known=item.photos)
        yield item


def _local_or_address(folder, page_url, src, site):
    """The file a page's photo or document stands for in the saved copy,
    or its address when the copy lacks it."""
    url = urljoin(page_url, src)
    parts = urlsplit(url)
    same_site = parts.netloc in ("old.invalid", urlsplit(site).netloc)
    if same_site:
        local = folder / unquote(parts.path).lstrip("/")
        if local.is_file():
            return str(local)
    return url if parts.netloc != "old.invalid" else str(folder / unquote(parts.path).lstrip("/"))
