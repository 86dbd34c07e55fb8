import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext

from releases import cards, social
from releases.addresses import absolute_url
from releases.filters import UNTRANSLATED
from releases.templatetags.pressroom_media import page_images

register = template.Library()

# As django.utils.html.json_script does: nothing in the data can close the
# <script> element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


absolute = register.filter("absolute", absolute_url)


@register.simple_tag
def release_cards(releases, heading_level=2):
    """The cards of a list's releases, as HTML (releases/cards.py):
    `{% release_cards releases heading_level=3 as cards %}`."""
    return cards.release_cards(releases, heading_level=heading_level)


@register.simple_tag
def tag_cloud_items(tags):
    """The items of a tag cloud (includes/tag_cloud.html), each a link to
    the tag's releases with their count. Written here rather than by a loop
    in the template: the tags page lists every tag in use, some 2,000, and
    the loop was most of its CPU (issue 22)."""
    list_url = reverse("releases:release-list")
    return format_html_join(
        "",
        '\n    <li><a href="{}?tag={}">{} <span class="count">({})</span></a></li>\n  ',
        ((list_url, tag.slug, tag.name, localize(tag.release_count)) for tag in tags),
    )


@register.simple_tag
def release_json_ld(release):
    """schema.org NewsArticle data for a release page."""
    publisher_logo = social.logo()
    organisation = {
        "@type": "GovernmentOrganization",
        "name": gettext(settings.PRESSROOM_AGENCY_NAME),
        "url": absolute_url(),
        "logo": {"@type": "ImageObject", "url": publisher_logo.url},
    }
    if publisher_logo.width:
        organisation["logo"].update(width=publisher_logo.width, height=publisher_logo.height)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": social.headline(release.title),
        "description": release.lead,
        "inLanguage": release.language,
        "url": absolute_url(release.get_absolute_url()),
        "datePublished": release.published_at.isoformat(),
        "dateModified": (release.public_updated_at or release.published_at).isoformat(),
        "author": {"@type": "Organization", "name": release.department.signed_as},
        "publisher": organisation,
        "keywords": [tag.name for tag in release.tag_list],
        "image": [release_sharing_image(release).url],
    }
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def release_sharing_image(release):
    """The image a release page shares (releases.social.release_image)."""
    return social.release_image(release, page_images(release))


@register.simple_tag
def event_sharing_image(event):
    return social.event_image(event)


@register.simple_tag
def site_sharing_image():
    return social.site_image()


@register.simple_tag(takes_context=True)
def og_locales(context):
    """(og:locale of the page, [og:locale:alternate]): the languages, other
    than the page's, in which it exists (language_versions)."""
    locales = settings.PRESSROOM_OG_LOCALES
    current = translation.get_language()
    versions = context.get("versions") or language_versions(context)
    alternates = [locales.get(code, code) for code, _name, _url, exists in versions if exists and code != current]
    return locales.get(current, current), alternates


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, for the language switcher and the hreflang
    links: [(code, local name, address, whether the page exists in it)].

    A page whose address differs by language (a release: each version has its
    own slug) puts `translation_urls` {code: address} in its context; where it
    has no version, the switcher leads to that language's release list.
    Other pages exist in every language at the translated path.
    """
    request = context["request"]
    known = context.get("translation_urls")
    versions = []
    for code, _name in settings.LANGUAGES:
        if known is None:
            # request.path is decoded: encode it again (a NUL has no place in an attribute).
            url, exists = iri_to_uri(translate_url(request.path, code)), True
        elif code in known:
            url, exists = known[code], True
        else:
            with translation.override(code):
                # The list says, in that language, why the reader is there.
                url, exists = reverse("releases:release-list") + f"?{UNTRANSLATED}=1", False
        versions.append((code, get_language_info(code)["name_local"], url, exists))
    return versions
