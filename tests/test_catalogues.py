"""The interface catalogues in locale/: complete in Azerbaijani and Russian,
compiled into the committed .mo files, in step with the strings of the code,
and what the public pages show under /az/ and /ru/.

English is the source language: its catalogue may leave every msgstr empty.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from releases.models import Event

LOCALE_DIR = settings.LOCALE_PATHS[0]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = ["az", "ru"]
PLURAL_FORMS = {"az": 2, "ru": 3}

# The placeholders of the entries xgettext flags python-format (%(name)s, %d;
# not the "%%" of a literal percent sign) and python-brace-format ({name}).
PLACEHOLDERS = {
    "python-format": re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"),
    "python-brace-format": re.compile(r"\{[^{}\s]*\}"),
}

# What the copy of the project for makemessages leaves out: what the
# documented command ignores (.venv, tests), the catalogues themselves, and
# data, history and output that hold no strings.
NOT_SOURCE = (".venv", "tests", "locale", ".git", "__pycache__", ".ruff_cache", ".pytest_cache")
NOT_SOURCE += ("media", "staticfiles", "backups", "db.sqlite3", "*.png", "var")


def catalogue_path(language, extension="po"):
    return LOCALE_DIR / language / "LC_MESSAGES" / f"django.{extension}"


def catalogue(language):
    return polib.pofile(str(catalogue_path(language)))


def current(entries):
    """The entries in use: makemessages keeps removed strings as obsolete."""
    return [entry for entry in entries if not entry.obsolete]


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def label(entry):
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(entry, text):
    return Counter(
        placeholder
        for flag, pattern in PLACEHOLDERS.items()
        if flag in entry.flags
        for placeholder in pattern.findall(text)
    )


# (a) Azerbaijani and Russian are complete.


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_declares_the_plural_forms_of_its_language(language):
    po = catalogue(language)
    assert po.metadata["Language"] == language
    assert f"nplurals={PLURAL_FORMS[language]};" in po.metadata["Plural-Forms"].replace(" ", "")
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language):
    entries = current(catalogue(language))
    assert entries
    fuzzy = [label(entry) for entry in entries if entry.fuzzy]
    empty = [
        label(entry)
        for entry in entries
        if not (entry.msgstr_plural if entry.msgid_plural else entry.msgstr)
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
    ]
    assert not fuzzy, f"fuzzy in locale/{language}: {fuzzy}"
    assert not empty, f"untranslated in locale/{language}: {empty}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_plural_entry_fills_each_form_of_its_language(language):
    wrong = [
        (label(entry), sorted(entry.msgstr_plural))
        for entry in current(catalogue(language))
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(PLURAL_FORMS[language]))
    ]
    assert not wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_msgid(language):
    wrong = []
    for entry in current(catalogue(language)):
        if entry.msgid_plural:
            # Each form keeps the placeholders of the plural msgid: even the
            # first form serves numbers other than 1 (21, 31 in Russian).
            expected = placeholders(entry, entry.msgid_plural)
            translations = entry.msgstr_plural.values()
        else:
            expected = placeholders(entry, entry.msgid)
            translations = [entry.msgstr]
        wrong += [(label(entry), text) for text in translations if placeholders(entry, text) != expected]
    assert not wrong


# (b) The committed .mo files are compiled from the .po files as they are.


def compiled_entries(mo):
    return sorted(
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", entry.msgstr, sorted(entry.msgstr_plural.items()))
        for entry in mo
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_file_matches_its_po_file(language):
    mo_path = catalogue_path(language, "mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `manage.py compilemessages --ignore=.venv`"
    expected = polib.mofile(catalogue(language).to_binary())
    committed = polib.mofile(str(mo_path))
    message = f"locale/{language}: django.mo does not match django.po: run `manage.py compilemessages --ignore=.venv`"
    assert compiled_entries(committed) == compiled_entries(expected), message
    assert committed.metadata.get("Plural-Forms") == expected.metadata.get("Plural-Forms"), message


# (c) No string of the code is missing from the catalogues.


@pytest.fixture(scope="module")
def strings_of_the_code(tmp_path_factory):
    """Every string makemessages finds in the code, as (context, msgid,
    plural msgid): extracted from a copy of the project, so that the
    committed catalogues stay untouched."""
    missing = [tool for tool in ("xgettext", "msguniq") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing)}; Debian: apt-get install gettext)")
    copy = tmp_path_factory.mktemp("extraction") / "project"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressroom.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=az", "--no-location", "--keep-pot"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    return {key(entry) for entry in current(polib.pofile(str(copy / "locale" / "django.pot")))}


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_every_string_of_the_code(language, strings_of_the_code):
    assert len(strings_of_the_code) > 100, "the extraction found almost nothing: is the copy of the project complete?"
    missing = strings_of_the_code - {key(entry) for entry in current(catalogue(language))}
    assert not missing, (
        f"not in locale/{language}: {sorted(msgid for _context, msgid, _plural in missing)}; run "
        "`DEBUG=1 manage.py makemessages -l az -l ru -l en --no-location --ignore=.venv --ignore=tests`, "
        "translate, then `compilemessages --ignore=.venv`"
    )


# (d) The public pages under /az/ and /ru/ show no English interface string.

ENGLISH_INTERFACE = ["Press releases", "Search releases", "Upcoming events", "Tags"]
TRANSLATIONS = {
    "az": ["Press-relizlər", "Press-relizlərdə axtarış", "Qarşıdakı tədbirlər", "Teqlər"],
    "ru": ["Пресс-релизы", "Поиск по пресс-релизам", "Предстоящие мероприятия", "Теги"],
}
RELEASE_TIME = datetime(2023, 6, 20, 7, 52, tzinfo=UTC)  # 11:52 in Baku
RELEASE_TEXT = {
    "en": ("The 88th session of the WCO Policy Commission", "WCO"),
    "az": ("ÜGT Siyasət Komissiyasının 88-ci sessiyası", "ÜGT"),
    "ru": ("88-я сессия Политической комиссии ВТамО", "ВТамО"),
}


class PageText(HTMLParser):
    """The text a reader meets on a page: text nodes and the attributes that
    are read out or shown (titles, labels, placeholders, descriptions)."""

    READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "content", "value"}

    def __init__(self):
        super().__init__()
        self.texts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [value.strip() for name, value in attrs if name in self.READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(response):
    parser = PageText()
    parser.feed(response.content.decode())
    return set(parser.texts)


@pytest.fixture
def site_in_every_language(make_release, department, settings):
    """One release in three language versions, published at 2023-06-20 07:52
    UTC, with its department, event and tag named in each language."""
    settings.TIME_ZONE = "Asia/Baku"
    department.name_az = "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi"
    department.name_ru = "Отдел по связям с прессой и общественностью"
    department.email = "press@customs.example.az"
    department.phone = "+994 12 404 00 00"
    department.save()
    event = Event.objects.create(
        slug="wco-policy-commission",
        title_en="88th session of the WCO Policy Commission",
        title_az="ÜGT Siyasət Komissiyasının 88-ci sessiyası",
        title_ru="88-я сессия Политической комиссии ВТамО",
        start_date=date(2023, 6, 19),
    )
    translation_key = uuid.uuid4()
    return {
        language: make_release(
            language=language,
            translation_key=translation_key,
            title=title,
            lead=title,
            department=department,
            event=event,
            published_at=RELEASE_TIME,
            tags=[tag],
        )
        for language, (title, tag) in RELEASE_TEXT.items()
    }


def public_pages(releases, language):
    """The addresses of the public pages in `language`, with the status each
    should answer."""
    release = releases[language]
    with translation.override(language):
        return [
            (reverse("releases:home"), 200),
            (reverse("releases:release-list"), 200),
            (reverse("releases:release-list") + f"?tag={release.tags.get().slug}", 200),
            (reverse("releases:tag-list"), 200),
            (reverse("releases:event-list"), 200),
            (release.get_absolute_url(), 200),
            (release.event.get_absolute_url(), 200),
            (release.department.get_absolute_url(), 200),
            (f"/{language}/no-such-page/", 404),
        ]


@pytest.mark.parametrize("language", TRANSLATED)
def test_public_pages_show_the_interface_in_their_language(client, site_in_every_language, language):
    pages = public_pages(site_in_every_language, language)
    assert all(url.startswith(f"/{language}/") for url, _status in pages)
    for url, status in pages:
        response = client.get(url)
        assert response.status_code == status, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert not [text for text in ENGLISH_INTERFACE if text in html], url
    home = client.get(pages[0][0]).content.decode()
    assert all(text in home for text in TRANSLATIONS[language])


@pytest.mark.parametrize("language", TRANSLATED)
def test_public_pages_show_no_string_of_the_catalogue_untranslated(client, site_in_every_language, language):
    # The language switcher names each language in that language ("English"
    # on every page), on purpose.
    native_names = {get_language_info(code)["name_local"] for code in LANGUAGES}
    msgids = {entry.msgid for entry in current(catalogue(language)) if not entry.msgctxt} - native_names
    for url, _status in public_pages(site_in_every_language, language):
        untranslated = page_texts(client.get(url)) & msgids
        assert not untranslated, f"{url}: {sorted(untranslated)}"


# (e) Dates read in each language's own way.


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "20 June 2023 11:52"), ("az", "20 iyun 2023 11:52"), ("ru", "20 июня 2023 11:52")],
)
def test_release_page_gives_the_publication_time_in_the_format_of_its_language(
    client, site_in_every_language, language, expected
):
    response = client.get(site_in_every_language[language].get_absolute_url())
    assert response.status_code == 200
    assert f">{expected}</time>" in response.content.decode()
