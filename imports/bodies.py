"""Photos in a body's HTML (`<img>` in a WordPress post, a feed's content, a
CSV's body, a saved page's text). The release body's sanitizer
(releases/richtext.py) keeps no images, so each becomes a photo of the
release, after those the source gives as such (a featured image, an
enclosure): a press office finds them in the release's photos, cleaned and
with renditions like any upload, and the body keeps its text. The report
says how many came from the body (importer.Importer._attach_files).
The readers call take_photos (SourceItem.body_photos)."""

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from lxml import etree, html

from imports.items import FileRef

# WordPress's captions are a shortcode around the image and its caption.
CAPTION_SHORTCODE = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL)
# WordPress's smaller copies of an upload: photo-300x200.jpg is photo.jpg.
SIZED_COPY = re.compile(r"-\d+x\d+(?=\.\w+$)")


def unsized(location):
    """The upload a smaller copy of WordPress's stands for (photo-300x200.jpg:
    photo.jpg), at the same address or path; else `location` itself."""
    parts = urlsplit(location)
    path = SIZED_COPY.sub("", parts.path)
    return parts._replace(path=path).geturl() if path != parts.path else location


def same_photo_key(location):
    """What two addresses of one photo share: its file's name without
    WordPress's size suffix, whatever the host or folder it was given with."""
    return PurePosixPath(urlsplit(unsized(location)).path).name.lower()


def take_photos(body, resolve, *, known=()):
    """(`body` without its images, [FileRef] of the images): each `src` made a
    location by `resolve(src)` (an address, or a path in the saved copy),
    its alt text and title kept, its caption read from its <figure>'s
    <figcaption> or WordPress's [caption]. An image that is one of the
    photos `known` (the same file, perhaps a smaller copy of it) is not taken
    twice; a link or figure that held nothing but the image goes with it."""
    if "<img" not in body.lower():
        return body, []
    body = CAPTION_SHORTCODE.sub(_caption_to_figure, body)
    root = html.fragment_fromstring(body, create_parent="div")
    taken = {same_photo_key(ref.location) for ref in known}
    photos = []
    for image in list(root.iter("img")):
        src = (image.get("src") or "").strip()
        location = resolve(src) if src and not src.startswith("data:") else ""
        figure = next((parent for parent in image.iterancestors("figure")), None)
        caption = figure.find(".//figcaption") if figure is not None else None
        caption_text = " ".join(caption.text_content().split()) if caption is not None else ""
        if location and same_photo_key(location) not in taken:
            taken.add(same_photo_key(location))
            alt, title = image.get("alt", "").strip(), image.get("title", "").strip()
            photos.append(FileRef(location=location, alt=alt, caption=caption_text, title=title))
        if caption is not None:
            _remove(caption)
        _remove_with_empty_parents(image)
    text = (root.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return text.strip(), photos


def _caption_to_figure(match):
    inner = match.group(1)
    fragment = html.fragment_fromstring(inner, create_parent="div")
    images = list(fragment.iter("img"))
    if not images:
        return inner
    # The image (or the link around it) first, then the caption's words.
    holder = images[0].getparent() if images[0].getparent().tag == "a" else images[0]
    head = etree.tostring(holder, encoding="unicode", method="html", with_tail=False)
    tail = (holder.tail or "") + "".join(
        etree.tostring(sibling, encoding="unicode", method="html") for sibling in holder.itersiblings()
    )
    return f"<figure>{head}<figcaption>{tail.strip()}</figcaption></figure>"


def _remove(element):
    """Remove `element`, keeping the text that followed it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _remove_with_empty_parents(element):
    parent = element.getparent()
    _remove(element)
    # A link, figure or paragraph that held nothing but the image.
    while (
        parent is not None
        and parent.getparent() is not None
        and parent.tag in ("a", "figure", "p", "div", "span")
        and not parent.text_content().strip()
        and not len(parent)
    ):
        grandparent = parent.getparent()
        _remove(parent)
        parent = grandparent
