"""How search engines, crawlers and link previews see the public site:
canonical links of filtered lists, noindex on search results, robots.txt,
the image and metadata every release page shares, the favicon."""

import json
import re
from datetime import UTC, datetime, timedelta

import html5lib
import pytest
from django.core.cache import cache

from releases.models import Department, EventCover, ReleaseImage
from releases.social import HEADLINE_LENGTH, headline
from releases.views import ForgivingPaginationMixin
from tests.pictures import prepared_image

pytestmark = pytest.mark.django_db


def head_of(response):
    assert response.status_code == 200
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    return tree.find("./head")


def canonical(response):
    head = head_of(response)
    url = head.find("./link[@rel='canonical']").get("href")
    assert head.find("./meta[@property='og:url']").get("content") == url
    return url


def robots(response):
    meta = head_of(response).find("./meta[@name='robots']")
    return None if meta is None else meta.get("content")


@pytest.fixture
def many_tagged(make_release, event, frozen_now, monkeypatch):
    """Lists of two pages (of two releases each, for speed) in English and
    Azerbaijani: releases tagged WCO and Customs, of the department and the
    event."""
    monkeypatch.setattr(ForgivingPaginationMixin, "paginate_by", 2)
    return [
        make_release(
            tags=["WCO", "Customs"], event=event, published_at=frozen_now - timedelta(days=n), language=language
        )
        for n in range(3)
        for language in ("en", "az")
    ]


# Canonical links


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/releases/", "/releases/"),
        ("/releases/?page=1", "/releases/"),
        ("/releases/?page=2", "/releases/?page=2"),
        ("/releases/?page=999", "/releases/?page=2"),
        ("/releases/?page=junk&utm_source=mail", "/releases/"),
        ("/releases/?tag=wco", "/releases/?tag=wco"),
        ("/releases/?tag=wco&page=2", "/releases/?tag=wco&page=2"),
        ("/releases/?tag=wco&tag=customs", "/releases/?tag=customs&tag=wco"),
        ("/releases/?tag=customs&tag=wco", "/releases/?tag=customs&tag=wco"),
        ("/releases/?month=3&year=2024&department=press", "/releases/?department=press&year=2024&month=3"),
        ("/releases/?month=3", "/releases/"),
        ("/releases/?event=wco-policy-commission&tag=wco", "/releases/?tag=wco&event=wco-policy-commission"),
        ("/az/releases/?tag=wco&page=2", "/az/releases/?tag=wco&page=2"),
        ("/departments/press/", "/departments/press/"),
        ("/departments/press/?page=2&tag=wco", "/departments/press/?page=2"),
        ("/events/", "/events/"),
    ],
)
def test_list_canonical_holds_only_the_parameters_that_define_it_in_a_stable_order(
    client, many_tagged, site_url, address, expected
):
    assert canonical(client.get(address)) == site_url + expected


def test_pages_without_lists_keep_their_path_as_canonical(client, many_tagged, site_url):
    assert canonical(client.get("/tags/?page=2")) == site_url + "/tags/"
    release = many_tagged[0]
    assert canonical(client.get(release.get_absolute_url() + "?utm_source=x")) == site_url + release.get_absolute_url()


@pytest.mark.parametrize("address", ["/releases/?q=customs", "/releases/?tag=wco&q=customs", "/az/releases/?q=x"])
def test_search_results_are_noindex(client, many_tagged, address):
    assert robots(client.get(address)) == "noindex"


@pytest.mark.parametrize("address", ["/releases/", "/releases/?tag=wco", "/releases/?page=2", "/releases/?q="])
def test_lists_without_words_may_be_indexed(client, many_tagged, address):
    assert robots(client.get(address)) is None


# robots.txt


def robots_rules(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow:")]


def disallowed(rules, address):
    """Whether a crawler keeping to RFC 9309 (with the `*` wildcard that
    Google and Bing read) leaves `address` alone."""
    return any(re.match(".*".join(map(re.escape, rule.split("*"))), address) for rule in rules)


@pytest.mark.parametrize(
    "address",
    [
        "/admin/",
        "/share/AbCdEf123/",
        "/releases/?q=customs",
        "/az/releases/?q=g%C3%B6mr%C3%BCk",
        "/ru/releases/?tag=wco&q=x",
        "/releases/?page=2&q=x",
    ],
)
def test_robots_txt_keeps_crawlers_out_of_share_links_and_search_results(client, address):
    assert disallowed(robots_rules(client), address)


@pytest.mark.parametrize(
    "address",
    ["/", "/releases/", "/releases/?tag=wco", "/releases/?page=2", "/az/releases/a-release/", "/tags/", "/feeds/rss/"],
)
def test_robots_txt_lets_crawlers_read_everything_public(client, address):
    assert not disallowed(robots_rules(client), address)


# What a release page shares


def properties(response):
    head = head_of(response)
    found = {}
    for meta in head.iterfind("./meta[@property]"):
        found.setdefault(meta.get("property"), []).append(meta.get("content"))
    return found


def json_ld(response):
    return json.loads(head_of(response).find("./script[@type='application/ld+json']").text)


@pytest.fixture
def stored(django_capture_on_commit_callbacks):
    """stored(image): `image` (an unsaved ReleaseImage or EventCover) with a
    picture of 1600 x 900, its files written."""

    def store(image):
        image.attach(prepared_image(size=(1600, 900)))
        with django_capture_on_commit_callbacks(execute=True):
            image.save()
        return image

    return store


def test_release_with_a_photo_shares_the_photo(client, make_release, event, stored, site_url):
    release = make_release(event=event)
    stored(EventCover(event=event, alt_text_en="The WCO headquarters."))
    photo = stored(ReleaseImage(release=release, alt_text="The delegation."))
    response = client.get(release.get_absolute_url())
    url = site_url + photo.largest.jpeg_url
    assert properties(response)["og:image"] == [url]
    assert properties(response)["og:image:alt"] == ["The delegation."]
    assert json_ld(response)["image"] == [url]


def test_release_without_photos_shares_its_event_s_cover(client, make_release, event, stored, site_url):
    release = make_release(event=event)
    cover = stored(EventCover(event=event, alt_text_en="The WCO headquarters."))
    response = client.get(release.get_absolute_url())
    url = site_url + cover.largest.jpeg_url
    assert properties(response)["og:image"] == [url]
    assert properties(response)["og:image:width"] == ["1600"]
    assert properties(response)["og:image:alt"] == ["The WCO headquarters."]
    assert json_ld(response)["image"] == [url]


@pytest.mark.parametrize("with_event", [False, True])
def test_release_without_photos_or_cover_shares_the_office_s_image(client, make_release, event, site_url, with_event):
    release = make_release(event=event if with_event else None)
    response = client.get(release.get_absolute_url())
    found = properties(response)
    assert found["og:image"] == [f"{site_url}/static/pressroom/share.png"]
    assert (found["og:image:width"], found["og:image:height"]) == (["1200"], ["630"])
    assert found["og:image:type"] == ["image/png"]
    assert found["og:image:alt"] == ["State Customs Committee"]
    assert json_ld(response)["image"] == [f"{site_url}/static/pressroom/share.png"]
    assert client.get("/static/pressroom/share.png").status_code == 200


def test_office_s_image_and_logo_are_settings(client, make_release, settings, site_url):
    settings.PRESSROOM_SHARE_IMAGE = "https://customs.gov.az/emblem.jpg"
    settings.PRESSROOM_LOGO = "pressroom/emblem.svg"
    response = client.get(make_release().get_absolute_url())
    found = properties(response)
    assert found["og:image"] == ["https://customs.gov.az/emblem.jpg"]
    assert "og:image:width" not in found  # not known for a file elsewhere
    assert json_ld(response)["publisher"]["logo"]["url"] == f"{site_url}/static/pressroom/emblem.svg"


def test_json_ld_names_the_publisher_s_logo(client, make_release, site_url):
    logo = json_ld(client.get(make_release().get_absolute_url()))["publisher"]["logo"]
    assert logo == {
        "@type": "ImageObject",
        "url": f"{site_url}/static/pressroom/logo.png",
        "width": 512,
        "height": 512,
    }


def test_other_pages_share_the_office_s_image(client, make_release, site_url):
    make_release()
    for address in ("/", "/releases/", "/tags/"):
        assert properties(client.get(address))["og:image"] == [f"{site_url}/static/pressroom/share.png"], address


def test_release_page_carries_its_times_and_locales(client, make_release):
    published = datetime(2023, 6, 20, 7, 52, tzinfo=UTC)
    release = make_release(language="az", published_at=published)
    make_release(language="ru", translation_key=release.translation_key, published_at=published)
    make_release(language="en", translation_key=release.translation_key, status="draft")
    found = properties(client.get(release.get_absolute_url()))
    assert found["article:published_time"] == ["2023-06-20T11:52:00+04:00"]
    assert found["article:modified_time"] == ["2023-06-20T11:52:00+04:00"]
    assert found["og:locale"] == ["az_AZ"]
    # Only the languages it can be read in: the English draft is not one.
    assert found["og:locale:alternate"] == ["ru_RU"]


def test_release_page_modified_time_is_its_last_public_update(client, make_release):
    published = datetime(2023, 6, 20, 7, 52, tzinfo=UTC)
    release = make_release(published_at=published, public_updated_at=published + timedelta(days=1))
    found = properties(client.get(release.get_absolute_url()))
    assert found["article:modified_time"] == ["2023-06-21T11:52:00+04:00"]


def test_list_pages_name_every_other_language_as_alternate_locale(client):
    found = properties(client.get("/ru/releases/"))
    assert found["og:locale"] == ["ru_RU"]
    assert sorted(found["og:locale:alternate"]) == ["az_AZ", "en_US"]


def test_json_ld_headline_is_at_most_110_characters_cut_at_a_word(client, make_release):
    title = "The State Customs Committee and the World Customs Organization signed a memorandum " * 3
    release = make_release(title=title.strip())
    data = json_ld(client.get(release.get_absolute_url()))
    assert len(data["headline"]) <= HEADLINE_LENGTH
    assert data["headline"].endswith("…")
    assert title.startswith(data["headline"][:-1] + " ")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Short title", "Short title"),
        ("a" * 110, "a" * 110),
        ("a" * 111, "a" * 109 + "…"),
        ("word " * 30, ("word " * 21).strip() + "…"),
        ("Gömrük, " * 20, ("Gömrük, " * 13).strip(" ,") + "…"),
    ],
)
def test_headline(title, expected):
    assert headline(title) == expected
    assert len(headline(title)) <= HEADLINE_LENGTH


# The favicon


def test_favicon_is_a_real_icon_linked_from_every_page(client, make_release):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age=86400" in response["Cache-Control"]
    for address in ("/", make_release().get_absolute_url(), "/az/tags/"):
        icons = [link.get("href") for link in head_of(client.get(address)).iterfind("./link[@rel='icon']")]
        assert icons == ["/favicon.ico", "/static/pressroom/emblem.svg"], address
    assert client.get("/static/pressroom/emblem.svg").status_code == 200


def test_favicon_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


# Narrowing the public list by year, month and department


def narrowing_form(response):
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    form = tree.find(".//aside//form[@class='narrow']")
    selects = {
        select.get("name"): [
            (option.get("value"), option.text, option.get("selected") is not None) for option in select
        ]
        for select in form.iter("select")
    }
    hidden = [(field.get("name"), field.get("value")) for field in form.iterfind(".//input[@type='hidden']")]
    return selects, hidden


@pytest.fixture
def archive(make_release, department, frozen_now):
    """Public releases in English from 2021 and in Azerbaijani from 2022, and
    older ones no reader may see, nor count in the years offered."""
    customs = Department.objects.create(
        name="Customs Control Department", name_az="Gömrük nəzarəti şöbəsi", slug="control"
    )
    Department.objects.filter(pk=department.pk).update(name_az="Mətbuat şöbəsi")
    make_release(language="en", published_at=datetime(2021, 5, 1, tzinfo=UTC), department=customs, tags=["WCO"])
    make_release(language="en", published_at=datetime(2023, 6, 20, 8, tzinfo=UTC), tags=["WCO"])
    make_release(language="az", published_at=datetime(2022, 1, 10, tzinfo=UTC))
    make_release(language="en", status="draft", published_at=datetime(2015, 1, 1, tzinfo=UTC))
    make_release(
        language="en", status="withdrawn", published_at=datetime(2016, 1, 1, tzinfo=UTC), withdrawn_at=frozen_now
    )
    make_release(language="az", published_at=datetime(2019, 1, 1, tzinfo=UTC), status="in_review")
    return customs


def test_list_offers_the_years_of_its_public_releases_the_months_and_the_departments(client, archive):
    selects, hidden = narrowing_form(client.get("/releases/"))
    assert selects["year"] == [("", "Any year", False)] + [(str(y), str(y), False) for y in (2024, 2023, 2022, 2021)]
    assert selects["month"][:2] == [("", "Any month", False), ("1", "January", False)]
    assert selects["month"][6] == ("6", "June", False)
    assert len(selects["month"]) == 13
    assert selects["department"] == [
        ("", "Any department", False),
        ("control", "Customs Control Department", False),
        ("press", "Press and Public Relations Department", False),
    ]
    assert hidden == []


def test_list_in_azerbaijani_offers_its_own_years_month_names_and_department_order(client, archive):
    selects, _hidden = narrowing_form(client.get("/az/releases/"))
    assert [value for value, _label, _selected in selects["year"]] == ["", "2024", "2023", "2022"]
    assert selects["month"][6] == ("6", "İyun", False)
    # "G" before "M" in Azerbaijani: the departments by their Azerbaijani names.
    assert [label for _value, label, _selected in selects["department"]][1:] == [
        "Gömrük nəzarəti şöbəsi",
        "Mətbuat şöbəsi",
    ]


def test_form_shows_the_filters_chosen_and_keeps_the_others(client, archive):
    selects, hidden = narrowing_form(client.get("/releases/?tag=wco&year=2023&month=6&department=press&q=session"))
    chosen = {name: [value for value, _label, selected in options if selected] for name, options in selects.items()}
    assert chosen == {"year": ["2023"], "month": ["6"], "department": ["press"]}
    assert hidden == [("tag", "wco"), ("q", "session")]


@pytest.mark.parametrize(("prefix", "label"), [("", "June 2023"), ("/az", "İyun 2023"), ("/ru", "Июнь 2023 г.")])
def test_date_chip_reads_the_month_by_name_in_the_page_s_language(client, archive, prefix, label):
    response = client.get(f"{prefix}/releases/?year=2023&month=6")
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    labels = ["".join(chip.find("strong").itertext()) for chip in tree.iterfind(".//div[@class='chips']//li")]
    assert labels == [label]


def test_the_form_s_choices_narrow_the_list(client, archive):
    # What a reader's browser sends from the form: every field, the unchosen empty.
    response = client.get("/releases/", {"tag": "wco", "year": "2021", "month": "", "department": "control"})
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    titles = ["".join(h.itertext()).strip() for h in tree.iterfind(".//article[@class='card']//h2")]
    assert len(titles) == 1
    assert canonical(response).endswith("/releases/?tag=wco&department=control&year=2021")


def test_page_cache_keeps_the_list_with_and_without_its_untranslated_notice_apart(client, make_release, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        make_release(language="ru")
        for _round in range(2):  # made, then served from the cache
            assert b"notice-untranslated" in client.get("/ru/releases/?untranslated=1").content
            assert b"notice-untranslated" not in client.get("/ru/releases/").content
            assert b"notice-untranslated" not in client.get("/ru/releases/?untranslated=yes").content
    finally:
        cache.clear()
