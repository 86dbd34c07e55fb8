"""Tokens for trusted tools (README, "Using the API"): `Authorization: Bearer
<token>` on a request to the API. A token sees exactly what the public sees
(the views do not ask who is reading); it only moves the request from the
rate limit of its address to the higher one of its token. A header of
another scheme (Basic, from a proxy guarding a staging site) is not ours and
is ignored; a Bearer token that is malformed, unknown or revoked is a 401.

A page the page cache keeps is served before any view runs, so
CheckTokenMiddleware checks a token first: a refused token is refused
whether or not its page is kept."""

import re
from datetime import timedelta

from django.db import DatabaseError, router
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import TOKEN_PREFIX, ApiToken, token_digest
from serving.outage import is_database_unavailable

TOKEN_FORMAT = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")
# A token's last use is written at most this often: not a write per request.
LAST_USED_EVERY = timedelta(minutes=1)
# Where a request keeps its token once checked: the token, or the refusal.
REQUEST_ATTRIBUTE = "_pressroom_api_token"


class InvalidToken(exceptions.AuthenticationFailed):
    default_code = "invalid_token"


def bearer_token(request):
    """The ApiToken of `request` (a Django HttpRequest), None when it sends
    none; raises InvalidToken for a token refused. Checked once a request."""
    if not hasattr(request, REQUEST_ATTRIBUTE):
        try:
            setattr(request, REQUEST_ATTRIBUTE, _check(request.META.get("HTTP_AUTHORIZATION", "")))
        except InvalidToken as refusal:
            setattr(request, REQUEST_ATTRIBUTE, refusal)
    found = getattr(request, REQUEST_ATTRIBUTE)
    if isinstance(found, InvalidToken):
        raise found
    return found


def _check(header):
    scheme, _space, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    credentials = credentials.strip()
    if not TOKEN_FORMAT.fullmatch(credentials):
        raise InvalidToken(_("The token is malformed: send Authorization: Bearer prt_…, as it was given."))
    # From the primary, whatever the request reads from: a revocation counts at once.
    token = ApiToken.objects.using(router.db_for_write(ApiToken)).filter(digest=token_digest(credentials)).first()
    if token is None:
        raise InvalidToken(_("The token is not known."))
    if not token.is_active:
        raise InvalidToken(_("The token was revoked."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """DRF's side: request.auth is the ApiToken, or None for a request
    without one. There is no user: a token is no one's sign-in."""

    def authenticate(self, request):
        token = bearer_token(request._request)
        return None if token is None else (None, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token in the schema: an HTTP bearer scheme, optional on every
    operation (drf-spectacular adds the empty requirement of AllowAny)."""

    target_class = BearerTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Optional: a read-only token given by the office's administrators, for a higher "
            "rate limit. It sees what the public sees. A malformed, unknown or revoked one is a 401.",
        }


class CheckTokenMiddleware:
    """Just before serving.pagecache.ServePublicPageMiddleware: a request to
    an API view with a token the API refuses goes straight to its view,
    which answers the 401, rather than to a kept page. An accepted token
    may be served a kept page: it sees what the public sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if BearerTokenAuthentication not in getattr(view_class, "authentication_classes", ()):
            return None
        try:
            bearer_token(request)
        except InvalidToken:
            return view_func(request, *view_args, **view_kwargs)
        except DatabaseError as error:
            if is_database_unavailable(error):
                return None  # a kept page may be served meanwhile: it is public
            raise
        return None
