"""The public read API (api/): visibility, filters, cursors, incremental
sync, errors, caching headers, CORS, rate limits and query counts."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from api.models import RemovedRelease
from releases.models import Department, Release, ReleaseImage
from tests.pictures import prepared_image

LIST = "/api/v1/releases/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def releases(make_release, event):
    """Public releases in English and Azerbaijani, and every kind that must
    stay hidden: a draft, a scheduled release, a withdrawn one."""
    now = timezone.now()
    english = make_release(
        title="Green customs", tags=["green", "wco"], event=event, published_at=now - timedelta(days=1)
    )
    other = make_release(title="Border posts", tags=["green"], published_at=now - timedelta(days=2))
    azerbaijani = make_release(
        title="Yaşıl gömrük",
        language="az",
        translation_key=english.translation_key,
        published_at=now - timedelta(days=3),
    )
    hidden = [
        make_release(title="A draft", status=Release.Status.DRAFT),
        make_release(title="Scheduled", published_at=now + timedelta(days=1)),
        make_release(title="Withdrawn", status=Release.Status.WITHDRAWN),
    ]
    return {"english": english, "other": other, "azerbaijani": azerbaijani, "hidden": hidden}


def test_the_list_shows_public_releases_only_newest_first(client, releases):
    assert ids(client.get(LIST)) == [releases["english"].pk, releases["other"].pk, releases["azerbaijani"].pk]


def test_the_language_filter_keeps_to_one_language(client, releases):
    assert ids(client.get(LIST, {"language": "az"})) == [releases["azerbaijani"].pk]


def test_filters_combine_as_on_the_site(client, releases, event):
    assert ids(client.get(LIST, {"tag": ["green", "wco"]})) == [releases["english"].pk]
    assert ids(client.get(LIST, {"tag": "green", "event": event.slug})) == [releases["english"].pk]
    assert ids(client.get(LIST, {"q": "border"})) == [releases["other"].pk]
    year = releases["english"].published_at.year
    assert releases["english"].pk in ids(client.get(LIST, {"year": year}))
    assert ids(client.get(LIST, {"year": 1990})) == []
    month = timezone.localtime(releases["english"].published_at).month
    assert releases["english"].pk in ids(client.get(LIST, {"month": month}))
    assert releases["english"].pk in ids(client.get(LIST, {"month": month, "year": year}))
    assert releases["english"].pk not in ids(client.get(LIST, {"month": month % 12 + 1, "year": year}))
    assert ids(client.get(LIST, {"department": "no-such-department"})) == []


@pytest.mark.parametrize("tagged", [False, True])
def test_the_year_and_month_are_baku_s_as_on_the_site(client, make_release, tagged):
    """The API writes times in UTC, but a release published at 01:00 on New
    Year's Day in Baku (21:00 UTC the evening before) is of January of the
    new year there, as on the site's lists (through the tag links' copy of
    the time too)."""
    tags = ["new-year"] if tagged else []
    release = make_release(published_at=datetime(2023, 12, 31, 21, 0, tzinfo=UTC), tags=tags)
    query = {"tag": "new-year"} if tagged else {}
    for found in ({"year": 2024}, {"year": 2024, "month": 1}, {"month": 1}):
        assert ids(client.get(LIST, {**query, **found})) == [release.pk]
        site = client.get(reverse("releases:release-list"), {**query, **found, "year": found.get("year", 2024)})
        assert release.title in site.content.decode()
    for missed in ({"year": 2023}, {"year": 2023, "month": 12}, {"month": 12}):
        assert ids(client.get(LIST, {**query, **missed})) == []
        site = client.get(reverse("releases:release-list"), {**query, **missed, "year": missed.get("year", 2023)})
        assert release.title not in site.content.decode()


@pytest.mark.parametrize("words", ["", " ", "\n", "\t \t"])
def test_words_that_are_only_spaces_are_no_words(client, releases, words):
    """As on the site's search; Schemathesis sent q=%0A (make api-check)."""
    assert ids(client.get(LIST, {"q": words})) == ids(client.get(LIST))


@pytest.mark.parametrize("which", [0, 1, 2])
def test_hidden_releases_are_404(client, releases, which):
    response = client.get(reverse("api:release-detail", kwargs={"pk": releases["hidden"][which].pk}))
    if releases["hidden"][which].status == Release.Status.WITHDRAWN:
        # Readable, as on the site, but as a withdrawal notice only.
        assert response.json()["status"] == "withdrawn"
        assert "body" not in response.json()
    else:
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_release_links_its_public_language_versions(client, releases, delegation):
    english = releases["english"]
    english.delegations.add(delegation)
    english.change_notes.create(note="Corrected the date")
    data = client.get(reverse("api:release-detail", kwargs={"pk": english.pk})).json()
    assert data["translations"]["az"]["id"] == releases["azerbaijani"].pk
    assert data["body"] == "<p>The text.</p>"
    assert data["event"]["slug"] == english.event.slug
    assert data["delegations"][0]["head_name"] == "Shahin Baghirov"
    assert data["change_notes"][0]["note"] == "Corrected the date"
    assert {tag["slug"] for tag in data["tags"]} == {"green", "wco"}


def test_tags_count_public_releases_of_the_language(client, releases):
    tags = {tag["slug"]: tag["release_count"] for tag in client.get("/api/v1/tags/", {"language": "en"}).json()}
    assert tags == {"green": 2, "wco": 1}


def test_events_and_departments(client, releases, event, department):
    assert [row["slug"] for row in client.get("/api/v1/events/").json()["results"]] == [event.slug]
    assert [row["slug"] for row in client.get("/api/v1/departments/").json()] == [department.slug]


def test_the_cursor_walks_every_release_once_while_new_ones_are_published(client, make_release):
    made = [make_release() for _ in range(7)]
    seen, url = [], f"{LIST}?page_size=3"
    while url:
        response = client.get(url)
        seen += ids(response)
        if len(seen) == 3:
            make_release(published_at=timezone.now())  # newer than every page: does not shift them
        url = response.json()["next"]
        url = url and url.removeprefix("http://127.0.0.1:8000")
    assert seen == [release.pk for release in sorted(made, key=lambda release: release.published_at, reverse=True)]


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "not-a-cursor"},
        {"foo": "1"},
        {"language": ""},
        {"department": ""},
        {"year": "1899"},
        {"month": "13", "year": "2024"},
        {"page_size": "101"},
        {"page_size": "0"},
        {"updated_since": "yesterday"},
        {"tag": "not a slug"},
        {"language": "xx"},
        {"q": "x" * 201},
    ],
)
def test_bad_input_is_a_400_in_the_one_shape(client, releases, query):
    response = client.get(LIST, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid_parameters"
    assert set(error["fields"]) <= set(query) and error["fields"]


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    response = client.get("/api/v1/releases/null/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_tampered_cursor_is_refused(client, make_release):
    for _ in range(3):
        make_release()
    cursor = client.get(LIST, {"page_size": 1}).json()["next_cursor"]
    tampered = cursor.replace(cursor[5], "A" if cursor[5] != "A" else "B", 1)
    assert client.get(LIST, {"page_size": 1, "cursor": tampered}).status_code == 400
    # A cursor of one list is not one of another.
    assert client.get("/api/v1/events/", {"cursor": cursor}).status_code == 400


def test_updated_since_reports_changes_withdrawals_and_deletions(client, releases, editor, commits):
    since = timezone.now()
    english, other, deleted_id = releases["english"], releases["other"], releases["azerbaijani"].pk
    english.title = "Green customs, corrected"
    english.save()
    commits(lambda: other.withdraw(user=editor, reason="Issued in error."))
    commits(lambda: releases["azerbaijani"].delete())
    rows = client.get(LIST, {"updated_since": since.isoformat()}).json()["results"]
    assert [(row["id"], row["status"]) for row in rows] == [
        (english.pk, "published"),
        (other.pk, "withdrawn"),
        (deleted_id, "deleted"),
    ]
    assert rows[1]["withdrawal_reason"] == "Issued in error."
    assert RemovedRelease.objects.count() == 1
    # Drafts, scheduled releases and releases withdrawn before their time never show.
    shown = {row["id"] for row in client.get(LIST, {"updated_since": "2000-01-01T00:00:00Z"}).json()["results"]}
    assert not shown & {release.pk for release in releases["hidden"] if release.status != Release.Status.WITHDRAWN}


def test_a_scheduled_release_appears_in_the_sync_when_it_goes_public(client, make_release):
    release = make_release(published_at=timezone.now() + timedelta(hours=1))
    since = timezone.now().isoformat()
    assert ids(client.get(LIST, {"updated_since": since})) == []
    Release.objects.filter(pk=release.pk).update(published_at=timezone.now())  # as if its hour had come
    assert ids(client.get(LIST, {"updated_since": since})) == [release.pk]


def test_the_sync_cursor_walks_changes_in_order(client, make_release):
    made = [make_release() for _ in range(5)]
    seen, query = [], {"updated_since": "2000-01-01T00:00:00Z", "page_size": 2}
    while True:
        data = client.get(LIST, query).json()
        seen += [row["id"] for row in data["results"]]
        if not data["next_cursor"]:
            break
        query["cursor"] = data["next_cursor"]
    assert sorted(seen) == sorted(release.pk for release in made) and len(seen) == len(set(seen))


@pytest.mark.parametrize("query", [{}, {"tag": "green"}, {"department": "press"}, {"language": "en"}])
def test_a_list_costs_four_queries_at_most(client, releases, query, django_assert_max_num_queries, make_release):
    for _ in range(10):
        make_release(tags=["green"])
    with django_assert_max_num_queries(4):
        assert client.get(LIST, query).status_code == 200


def test_public_answers_carry_cache_headers_and_an_etag(client, releases):
    response = client.get(LIST)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    again = client.get(LIST, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_kept_api_page_costs_no_query_and_goes_with_a_change(
    client, releases, page_cache, django_assert_num_queries, commits, editor
):
    client.get(LIST)
    with django_assert_num_queries(0):
        assert client.get(LIST).status_code == 200
    commits(lambda: releases["english"].withdraw(user=editor, reason="Issued in error."))
    assert releases["english"].pk not in ids(client.get(LIST))


def test_an_unknown_parameter_is_refused_even_when_the_page_is_kept(client, releases, page_cache):
    client.get(LIST)
    assert client.get(LIST, {"utm_source": "x"}).status_code == 400


def test_cors_lets_any_origin_read(client, releases):
    response = client.get(LIST, HTTP_ORIGIN="https://portal.example.gov")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(LIST, HTTP_ORIGIN="https://portal.example.gov")
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.post(LIST).status_code == 405


def test_the_rate_limit_answers_429_with_retry_after(client, releases, settings, one_rate_window):
    settings.PRESSROOM_API_RATE_LIMIT_REQUESTS = 2
    assert client.get(LIST).status_code == 200
    assert client.get("/api/v1/tags/").status_code == 200
    response = client.get(LIST)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "rate_limited"
    assert "no-store" in response["Cache-Control"]


def test_the_schema_is_openapi_3_1_and_the_docs_page_runs_no_inline_code(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/releases/" in schema["paths"]
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page and "cdn" not in page.lower()
    assert client.get("/api/v1/docs/", {"script": ""})["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize("words", ["", "   ", "customs"])
def test_words_the_api_takes_are_words_its_schema_allows(client, db, words):
    """Blank words are no words (a 200), and the schema must say so: its
    `oneOf` of text and blank once matched "" twice, which Schemathesis
    reported as an invalid request accepted."""
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    (parameter,) = [parameter for parameter in schema["paths"][LIST]["get"]["parameters"] if parameter["name"] == "q"]
    assert client.get(LIST, {"q": words}).status_code == 200
    assert not list(Draft202012Validator(parameter["schema"]).iter_errors(words))


def test_a_release_gives_its_photos_with_renditions_and_credits_at_a_fixed_cost(
    client, releases, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    english = releases["english"]
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            photo = ReleaseImage(release=english, alt_text=f"Photo {number}", credit="SCC Press Service", order=number)
            photo.attach(prepared_image(size=(1800, 1200)))
            photo.save()
        waiting = ReleaseImage(release=english, order=9)  # no alt text yet: not shown, as on the site
        waiting.attach(prepared_image())
        waiting.save()
    with django_assert_max_num_queries(8):
        data = client.get(reverse("api:release-detail", kwargs={"pk": english.pk})).json()
    assert [photo["alt_text"] for photo in data["photos"]] == ["Photo 0", "Photo 1", "Photo 2"]
    assert data["photos"][0]["credit"] == "SCC Press Service"
    widths = [rendition["width"] for rendition in data["photos"][0]["renditions"]]
    assert widths == sorted(widths) and len(widths) >= 2
    assert data["photos"][0]["renditions"][0]["webp"].startswith("http")
    listed = client.get(LIST).json()["results"][0]
    assert listed["id"] == english.pk and listed["lead_photo"]["alt_text"] == "Photo 0"


def test_what_the_rows_of_a_page_share_is_serialized_once_for_each_language(client, make_release, department):
    department.name_az = "Mətbuat xidməti"
    department.save()
    for language in ["en", "en", "en", "az", "az"]:
        make_release(language=language, tags=["green"])
    with mock.patch.object(Department, "signed_as", new_callable=mock.PropertyMock, return_value="Signed") as signed:
        rows = client.get(LIST).json()["results"]
    assert signed.call_count == 2  # once in English, once in Azerbaijani
    names = {row["language"]: row["department"]["name"] for row in rows}
    assert names == {"en": "Press and Public Relations Department", "az": "Mətbuat xidməti"}
    assert len({row["department"]["url"] for row in rows}) == 2  # each in its language's address
