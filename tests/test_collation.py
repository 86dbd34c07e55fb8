"""Tags in the alphabetical order of their language (releases/collation.py):
on PostgreSQL by its ICU collations, on SQLite by the Python collations
registered on each connection. The expected orders are ICU's (read from
PostgreSQL's az-x-icu, ru-x-icu and en-x-icu), so that both databases are
held to the same one."""

import random

import html5lib
import pytest
from django.urls import reverse

from releases.collation import sort_key
from releases.models import Tag

AZERBAIJANI = [
    "Ev",
    "Ədliyyə",
    "Xəzər",
    "Ilıq",
    "iki",
    "İlham Əliyev",
    "İsrail",
    "Kənd",
    "Qazax",
    "Səfər Mehdiyev",
    "Siyasət Komissiyası",
    "ÜGT",
    "Vergi",
    "Yaşıl",
    "World",
]
RUSSIAN = ["абв", "Еда", "Ёлка", "Ель", "Жук", "Комиссия", "КПП", "WCO"]
ENGLISH = ["10 years", "2 days", "apple", "Eagle", "éclair", "WCO", "Zebra", "Комиссия", "КПП"]
ORDERS = {"az": AZERBAIJANI, "ru": RUSSIAN, "en": ENGLISH}


def shuffled(names):
    names = list(names)
    random.Random(15).shuffle(names)
    return names


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_python_sort_key_gives_the_order_of_icu(language):
    assert sorted(shuffled(ORDERS[language]), key=sort_key(language)) == ORDERS[language]


def test_sort_key_of_an_unknown_language_is_the_default_language_s():
    assert sorted(shuffled(ENGLISH), key=sort_key("xx")) == ENGLISH


def tag_names(response):
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    return [
        "".join(link.itertext()).rsplit(" ", 1)[0].strip() for link in tree.iterfind(".//ul[@class='tag-cloud']/li/a")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "prefix"), [("az", "/az"), ("ru", "/ru"), ("en", "")])
def test_tag_page_lists_tags_in_the_alphabetical_order_of_its_language(client, make_release, language, prefix):
    names = ORDERS[language]
    make_release(language=language, tags=shuffled(names))
    response = client.get(f"{prefix}/tags/")
    assert tag_names(response) == names


@pytest.mark.django_db
def test_release_page_lists_its_tags_in_the_alphabetical_order_of_its_language(client, make_release):
    release = make_release(language="az", tags=shuffled(AZERBAIJANI))
    response = client.get(release.get_absolute_url())
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    assert ["".join(link.itertext()) for link in tree.iterfind(".//section[@class='release-tags']//a")] == AZERBAIJANI


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["az", "ru"])
def test_admin_tag_list_is_in_the_alphabetical_order_of_the_admin_s_language(press_client, language):
    for name in shuffled(AZERBAIJANI + RUSSIAN):
        Tag.objects.create(name=name)
    url = reverse("admin:releases_tag_changelist")
    response = press_client.get(url, headers={"accept-language": language})
    names = [tag.name for tag in response.context["cl"].result_list]
    assert [name for name in names if name in ORDERS[language]] == ORDERS[language]
    # The column's own sort, both ways, keeps the order.
    descending = press_client.get(url, {"o": "-0"}, headers={"accept-language": language})
    assert [tag.name for tag in descending.context["cl"].result_list] == names[::-1]
