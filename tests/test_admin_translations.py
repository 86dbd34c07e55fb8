"""The release admin's language versions: the column, the missing-translation
filter, and adding a translation from an existing release."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from releases.models import Release

pytestmark = pytest.mark.django_db

RELEASE_ADD = reverse("admin:releases_release_add")
RELEASE_LIST = reverse("admin:releases_release_changelist")


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


@pytest.fixture
def english(make_release, event, delegation):
    release = make_release(title="The 88th session of the WCO Policy Commission", event=event)
    release.delegations.set([delegation])
    return release


@pytest.fixture
def azerbaijani(make_release, english):
    return make_release(title="ÜGT Siyasət Komissiyasının 88-ci sessiyası", language="az",
                        translation_key=english.translation_key)  # fmt: skip


def test_list_shows_each_language_version_or_a_link_to_add_it(press_client, english, azerbaijani):
    html = press_client.get(RELEASE_LIST).content.decode()
    assert f'href="{change_url(azerbaijani)}" title="Azerbaijani">AZ</a>' in html
    assert f'href="{change_url(english)}" title="English">EN</a>' in html
    assert f'href="{RELEASE_ADD}?translation_of={english.pk}&amp;language=ru"' in html


def test_list_of_many_releases_takes_no_query_per_language_column(
    press_client, make_release, django_assert_max_num_queries
):
    make_release(tags=["WCO"])
    press_client.get(RELEASE_LIST)  # fills the per-process caches (content types, session)
    with CaptureQueriesContext(connection) as one_release:
        press_client.get(RELEASE_LIST)
    for _ in range(30):
        make_release(tags=["WCO"])
    # Versions come from subqueries of the list's own query, tags from one
    # prefetch: the page must not ask once per row.
    with django_assert_max_num_queries(len(one_release.captured_queries)):
        press_client.get(RELEASE_LIST)


@pytest.mark.parametrize(
    ("missing", "expected"), [("ru", {"english", "azerbaijani", "other"}), ("az", {"other"}), ("en", set())]
)
def test_missing_translation_filter(press_client, english, azerbaijani, make_release, missing, expected):
    other = make_release(title="Only in English")
    names = {english.pk: "english", azerbaijani.pk: "azerbaijani", other.pk: "other"}
    response = press_client.get(RELEASE_LIST, {"missing": missing})
    assert {names[release.pk] for release in response.context["cl"].result_list} == expected


def test_change_form_links_to_other_versions_and_offers_missing_ones(press_client, english, azerbaijani):
    html = press_client.get(change_url(english)).content.decode()
    assert f'<a href="{change_url(azerbaijani)}">Azerbaijani version</a>' in html
    assert f'<a href="{RELEASE_ADD}?translation_of={english.pk}&amp;language=ru">Translate into Russian</a>' in html


def test_add_translation_form_is_filled_from_the_source_and_shows_its_text(press_client, english, delegation):
    response = press_client.get(RELEASE_ADD, {"translation_of": english.pk, "language": "ru"})
    form = response.context["adminform"].form
    assert form.initial["language"] == "ru"
    assert form.initial["translation_of"] == english.pk
    assert form.initial["department"] == english.department_id
    assert form.initial["event"] == english.event_id
    assert form.initial["delegations"] == [delegation.pk]
    html = response.content.decode()
    assert "Translating from English: the text for reference" in html
    assert english.title in html and english.body in html


def test_posting_a_translation_links_it_to_the_source(press_client, english):
    response = press_client.post(
        RELEASE_ADD,
        {
            "language": "ru",
            "translation_of": english.pk,
            "title": "88-я сессия Комиссии по политике ВТамО",
            "slug": "",
            "lead": "",
            "body": "<p>Текст.</p>",
            "department": english.department_id,
            "tags": "ВТамО",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    russian = Release.objects.get(language="ru")
    assert russian.translation_key == english.translation_key
    assert russian.slug == "88-ya-sessiya-komissii-po-politike-vtamo"
    assert list(russian.tags.names()) == ["ВТамО"]


def test_a_second_version_in_the_same_language_is_refused(press_client, english, azerbaijani):
    response = press_client.post(
        RELEASE_ADD,
        {
            "language": "az",
            "translation_of": english.pk,
            "title": "Başqa bir tərcümə",
            "department": english.department_id,
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "This release already has a version in this language." in str(response.context["adminform"].form.errors)
    assert Release.objects.filter(language="az").count() == 1


@pytest.mark.parametrize("pk", ["abc", "²", "99999999999999999999"])
def test_translation_of_an_unknown_release_is_an_ordinary_add_form(press_client, pk):
    response = press_client.get(RELEASE_ADD, {"translation_of": pk, "language": "ru"})
    assert response.status_code == 200
    assert "translation_source" not in response.context
