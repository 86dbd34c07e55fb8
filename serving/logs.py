"""The log (issue 13): one JSON object per line on stderr, each carrying the
id, method and path of the request it was written for, and a traceback when
it reports an exception. The id comes from the request's X-Request-ID (set
by a proxy in front) or is made here; RequestIdMiddleware returns it in the
response and the 500 page shows it, so that a report from a reader leads to
the lines of their request. Nothing about the reader is logged: no address,
no user, no query string, no header."""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.signals import request_finished

HEADER = "X-Request-ID"
# An id from outside is kept only if it is short and plain: anything else
# could forge log lines or carry what a log should not hold.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


current_request = ContextVar("current_request", default=None)


def request_id_for(request):
    """The id given in the request's X-Request-ID, or a new one."""
    return request_id_from(request.headers.get(HEADER, ""))


def request_id_from(given):
    """`given` (an X-Request-ID) if it is accepted, or a new id."""
    return given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First of the middleware, so that every line logged while a request is
    served carries its id. The context stays until Django finishes the
    request (request_finished, after a streamed response's last chunk), so
    that errors met while streaming carry the id too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        current_request.set(RequestContext(request.request_id, request.method, request.path))
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


def forget_request(**kwargs):
    current_request.set(None)


request_finished.connect(forget_request, dispatch_uid="serving.logs.forget_request")


class JsonLinesFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC), level, logger, message,
    the request's id, method and path when it was written for a request, the
    response status when it reports one, and the traceback when it carries
    an exception."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = current_request.get()
        if context is not None:
            entry.update(request_id=context.request_id, method=context.method, path=context.path)
        if isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["error"] = repr(record.exc_info[1])
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def report_errors_to_sentry(dsn):
    """Send server errors to Sentry too (SENTRY_DSN), with their request's
    id and nothing personal: no address, user, cookie or request body. A
    forged Host is a client's fault, not an error to report."""
    # Imported here: without a DSN, a web process does without Sentry's
    # modules (some 40, and their memory; README, "Performance").
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sample_rate=0,
        before_send=tag_request_id,
    )
    ignore_logger("django.security.DisallowedHost")


def tag_request_id(event, hint):
    """An error's event, tagged with the id of the request it was met in
    (it is captured while that request is served)."""
    context = current_request.get()
    if context is not None:
        event.setdefault("tags", {})["request_id"] = context.request_id
    return event
