"""What the site answers while its database or its object store is
unreachable (issues 7 and 13): a static
503 page, the same in every language, rendered with no database and no
context processors, and asking clients to come back shortly (Retry-After).
Nothing restarts when the database returns: each request connects anew, or
Django's health check (CONN_HEALTH_CHECKS) replaces a persistent connection
that died meanwhile.

A document download that meets the object store down answers the same page;
an upload refuses itself with a form error (releases.uploads.require_store).

Two paths lead here. DatabaseUnavailableMiddleware (serving/middleware.py)
answers for views and the templates they render; `server_error`, the site's
handler500, answers for code that runs outside the view, in other middleware
(a session saved as the response goes out), which Django turns into a 500
response before any middleware could see the exception.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

logger = logging.getLogger("pressroom.outage")

RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"
ERROR_TEMPLATE = "500.html"

# SQLSTATE classes that mean the server cannot be reached or cannot serve now:
# 08 connection exception, 53 insufficient resources (too many connections),
# 57 operator intervention (shutting down, starting up, statement timeout),
# 58 system error (I/O). Everything else (a missing table, a deadlock, a
# constraint) is a fault of the code or the data: a 500, not an outage.
UNAVAILABLE_SQLSTATE_CLASSES = {"08", "53", "57", "58"}
# SQLite's primary result codes for the same: busy, locked, I/O error, disk
# full, cannot open the file. "no such table" (SQLITE_ERROR) is not among them.
UNAVAILABLE_SQLITE_CODES = {5, 6, 10, 13, 14}


def is_database_unavailable(error):
    """True when `error` says the database is unreachable or unable to serve
    for now, rather than that a query or the schema is wrong."""
    if isinstance(error, InterfaceError):
        # "connection already closed": the server went away under it.
        return True
    if not isinstance(error, OperationalError):
        return False
    driver_error = error.__cause__
    sqlite_code = getattr(driver_error, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in UNAVAILABLE_SQLITE_CODES
    sqlstate = getattr(driver_error, "pgcode", None) or getattr(driver_error, "sqlstate", None)
    if not sqlstate:
        # No SQLSTATE: the client library's own error, raised when no server
        # answered ("connection refused", "server closed the connection").
        return True
    return sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES


def is_store_unavailable(error):
    """True when `error`, raised by an object store's client (botocore),
    says the store cannot be reached or cannot serve for now (a 5xx, as S3's
    503 Slow Down), rather than that a name or a permission is wrong."""
    # botocore is imported only once one of its errors is met: files on disk
    # need none of it (nor is it installed without requirements-s3.txt).
    if not any(kind.__module__.startswith("botocore.") for kind in type(error).__mro__):
        return False
    from botocore import exceptions as store_errors

    if isinstance(error, store_errors.ConnectionError | store_errors.HTTPClientError):
        return True
    if isinstance(error, store_errors.ClientError):
        return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    return False


# A name no upload is ever given (releases.uploads.generated_name).
PROBE_NAME = "outage-probe"


def store_answers(storage):
    """Whether `storage` answers now: one lookup of a name no file has. On
    disk it always does; an object store may not."""
    try:
        storage.exists(PROBE_NAME)
    except Exception as error:
        if not is_store_unavailable(error):
            raise
        logger.warning("Object store unavailable: %s", error)
        return False
    return True


# The page's text in each language of the site, written here rather than in
# the catalogues: it must read the same whatever else is broken.
NOTICES = {
    "az": (
        "Sayt müvəqqəti olaraq əlçatan deyil",
        "Bu səhifəni hazırda göstərə bilmirik. Bir neçə dəqiqədən sonra yenidən cəhd edin.",
    ),
    "en": (
        "The site is temporarily unavailable",
        "We cannot show this page right now. Please try again in a few minutes.",
    ),
    "ru": (
        "Сайт временно недоступен",
        "Сейчас мы не можем показать эту страницу. Пожалуйста, попробуйте ещё раз через несколько минут.",
    ),
}


def unavailable_response():
    """The static 503 page, in the language being served first, then the
    others. Its template loads nothing from the database and is rendered
    without a request, so no context processor runs."""
    language = translation.get_language()
    if language not in NOTICES:
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in NOTICES else "en"
    notices = [(language, *NOTICES[language])]
    notices += [(code, *notice) for code, notice in NOTICES.items() if code != language]
    context = {"notices": notices, "agency_name": gettext(settings.PRESSROOM_AGENCY_NAME)}
    response = HttpResponse(loader.render_to_string(TEMPLATE, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A cache in front must not keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response


def answer_outage(request, error):
    """The 503 page when `error` is an outage of the database or of the
    object store, else None."""
    if is_database_unavailable(error):
        what = "Database"
    elif is_store_unavailable(error):
        what = "Object store"
    else:
        return None
    logger.warning("%s unavailable, answered 503: %s %s: %s", what, request.method, request.path, error)
    return unavailable_response()


def server_error(request):
    """handler500: the 503 page when the uncaught exception being handled is
    an outage of the database or the store, the 500 page otherwise."""
    error = sys.exc_info()[1]
    return answer_outage(request, error) or error_page(request)


def error_page(request):
    """The 500 page, rendered as Django's (no request, no context processor:
    whatever failed may fail again), with the request's id for the reader
    to quote: the log lines of the request carry it (serving/logs.py)."""
    context = {"request_id": getattr(request, "request_id", None)}
    return HttpResponseServerError(loader.render_to_string(ERROR_TEMPLATE, context))
