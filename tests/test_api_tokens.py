"""Tokens for trusted tools (api/tokens.py, README "Using the API"): made and
revoked in the admin, shown once and kept as a digest; a token sees what the
public sees, under its own rate limit; a bad one is a 401 in the API's
shape, kept page or not; the page cache and shared caches stay right."""

from datetime import timedelta

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, token_digest
from releases.models import Release

LIST = "/api/v1/releases/"
ADMIN_ADD = "/admin/api/apitoken/add/"
ADMIN_LIST = "/admin/api/apitoken/"


@pytest.fixture
def token(administrator):
    return ApiToken(name="Newswire import").issue(user=administrator)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def releases(make_release):
    now = timezone.now()
    public = [make_release(title="Green customs"), make_release(title="Border posts", language="az")]
    hidden = [
        make_release(title="A draft", status=Release.Status.DRAFT),
        make_release(title="Scheduled", published_at=now + timedelta(days=1)),
    ]
    return {"public": public, "hidden": hidden}


def test_an_administrator_makes_a_token_shown_once_and_kept_as_a_digest(administrator_client, releases):
    page = administrator_client.post(ADMIN_ADD, {"name": "Government portal"})
    assert page.status_code == 200
    made = ApiToken.objects.get()
    shown = page.context["token"]
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.content)
    assert tree.find(".//input[@id='api-token']").get("value") == shown and shown.startswith("prt_")
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    # Only its digest and first characters are kept, and shown nowhere again.
    assert made.digest == token_digest(shown) and shown.startswith(made.prefix)
    assert shown not in {value for value in vars(made).values() if isinstance(value, str)}
    assert shown not in administrator_client.get(reverse("admin:api_apitoken_change", args=[made.pk])).content.decode()
    assert made.created_by.username == "admin"
    assert administrator_client.get(LIST, **bearer(shown)).status_code == 200


def test_revoking_in_the_admin_refuses_the_token_at_once(administrator_client, token, releases):
    assert administrator_client.get(LIST, **bearer(token)).status_code == 200
    made = ApiToken.objects.get()
    response = administrator_client.post(ADMIN_LIST, {"action": "revoke_selected", "_selected_action": [made.pk]})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None and made.revoked_by.username == "admin"
    assert administrator_client.get(LIST, **bearer(token)).status_code == 401
    # Revoked, never deleted: who had access stays on record.
    assert "delete_selected" not in administrator_client.get(ADMIN_LIST).context["action_form"].fields["action"].choices
    assert administrator_client.get(reverse("admin:api_apitoken_delete", args=[made.pk])).status_code == 403


def test_a_token_sees_exactly_what_the_public_sees(client, token, releases):
    public = client.get(LIST).json()["results"]
    assert client.get(LIST, **bearer(token)).json()["results"] == public
    assert {row["id"] for row in public} == {release.pk for release in releases["public"]}
    for release in releases["hidden"]:
        response = client.get(reverse("api:release-detail", kwargs={"pk": release.pk}), **bearer(token))
        assert response.status_code == 404
    assert (
        client.get(LIST, {"updated_since": "2000-01-01T00:00:00Z"}, **bearer(token)).json()["results"]
        == (client.get(LIST, {"updated_since": "2000-01-01T00:00:00Z"}).json()["results"])
    )


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "bearer prt_" + "A" * 43,  # well formed, but no such token
        "Bearer prt_" + "A" * 42 + "\x00",
        "Bearer prt_" + "é" * 43,
        "Bearer revoked",
    ],
)
def test_a_bad_token_is_a_401_in_the_one_shape(client, releases, administrator, header):
    if header == "Bearer revoked":
        revoked = ApiToken(name="Old tool").issue(user=administrator)
        ApiToken.objects.revoke(user=administrator)
        header = f"Bearer {revoked}"
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token" and response.json()["error"]["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer") and 'error="invalid_token"' in response["WWW-Authenticate"]
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_another_scheme_is_not_ours_and_is_ignored(client, releases):
    # A proxy guarding a staging site with Basic sign-in passes its header on.
    assert client.get(LIST, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").status_code == 200


def test_a_bad_token_is_refused_even_when_the_page_is_kept(client, releases, page_cache, administrator):
    revoked = ApiToken(name="Old tool").issue(user=administrator)
    ApiToken.objects.revoke(user=administrator)
    assert client.get(LIST).status_code == 200  # now kept
    assert client.get(LIST, **bearer(revoked)).status_code == 401
    assert client.get(LIST, **bearer("prt_" + "B" * 43)).status_code == 401
    assert client.get(LIST).status_code == 200


def test_a_kept_page_serves_a_token_for_the_one_query_of_its_token(
    client, token, releases, page_cache, django_assert_num_queries
):
    first = client.get(LIST, **bearer(token))  # made for a token, kept for everyone: the same content
    with django_assert_num_queries(0):
        anonymous = client.get(LIST)
    assert anonymous.content == first.content
    with django_assert_num_queries(1):  # the token's, not its last use: written a moment ago
        assert client.get(LIST, **bearer(token)).content == first.content


def test_answers_vary_with_authorization_for_shared_caches(client, token, releases, page_cache):
    # A CDN keeps an answer for each Authorization it was made for, so that a
    # token's request always reaches the site, which may refuse the token.
    for response in [client.get(LIST), client.get(LIST), client.get(LIST, **bearer(token))]:
        assert "Authorization" in response["Vary"]
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert "Set-Cookie" not in response and not response.cookies


def test_a_token_has_its_own_higher_rate_limit(client, token, releases, settings, one_rate_window):
    settings.PRESSROOM_API_RATE_LIMIT_REQUESTS = 1
    settings.PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS = 3
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 429  # the address's limit
    for _ in range(3):  # the same address, with the token: its own count
        assert client.get(LIST, **bearer(token)).status_code == 200
    response = client.get(LIST, **bearer(token))
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "rate_limited"


def test_the_last_use_is_recorded_at_most_once_a_minute(client, token, releases, django_assert_max_num_queries):
    made = ApiToken.objects.get()
    assert made.last_used_at is None
    with django_assert_max_num_queries(4 + 2):  # the list's, the token's and its last use
        client.get(LIST, **bearer(token))
    made.refresh_from_db()
    assert timezone.now() - made.last_used_at < timedelta(seconds=5)
    with django_assert_max_num_queries(4 + 1):  # the token's only
        client.get(LIST, **bearer(token))
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get(LIST, **bearer(token))
    made.refresh_from_db()
    assert timezone.now() - made.last_used_at < timedelta(seconds=5)


def test_the_schema_offers_the_token_as_an_optional_bearer_scheme(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    operation = schema["paths"]["/api/v1/releases/"]["get"]
    assert {} in operation["security"] and {"apiToken": []} in operation["security"]
    assert "401" in operation["responses"]


def test_a_browser_preflight_does_not_offer_to_send_a_token(client):
    # Tokens are for servers: one in a web page is every visitor's.
    preflight = client.options(LIST, HTTP_ORIGIN="https://portal.example.gov")
    assert "Authorization" not in preflight["Access-Control-Allow-Headers"]
