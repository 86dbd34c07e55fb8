"""The API's one shape of error (README, "Using the API"), whatever went wrong:

    {"error": {"status": 400, "code": "invalid_parameters",
               "message": "Some query parameters are not valid.",
               "fields": {"month": ["Ensure this value is less than or equal to 12."]}}}

`fields` is there for invalid parameters only. Codes: invalid_parameters
(400), invalid_token (401, with WWW-Authenticate: a bearer token malformed,
unknown or revoked), not_found (404), method_not_allowed (405),
not_acceptable (406), rate_limited (429, with Retry-After).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.response import Response


class InvalidParameters(exceptions.APIException):
    status_code = 400
    default_code = "invalid_parameters"
    default_detail = gettext_lazy("Some query parameters are not valid.")

    def __init__(self, fields):
        super().__init__()
        self.fields = fields


class RateLimited(exceptions.Throttled):
    default_code = "rate_limited"


def error_response(status, code, message, *, fields=None, headers=None):
    error = {"status": status, "code": code, "message": str(message)}
    if fields:
        error["fields"] = {name: [str(text) for text in texts] for name, texts in fields.items()}
    return Response({"error": error}, status=status, headers=headers)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error in the one shape. Errors that are
    not the client's (a bug, the database down) are left to Django: a 500,
    or the 503 page of serving/outage.py."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {name: texts if isinstance(texts, list) else [texts] for name, texts in detail.items()}
        return error_response(400, "invalid_parameters", InvalidParameters.default_detail, fields=fields)
    if isinstance(exc, InvalidParameters):
        return error_response(400, exc.default_code, exc.detail, fields=exc.fields)
    if isinstance(exc, exceptions.AuthenticationFailed):
        # APIView.handle_exception gives it the header of the view's authentication.
        headers = {"WWW-Authenticate": f'{getattr(exc, "auth_header", "Bearer")}, error="invalid_token"'}
        return error_response(401, "invalid_token", exc.detail, headers=headers)
    if isinstance(exc, exceptions.Throttled):
        return error_response(
            429,
            "rate_limited",
            _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": exc.wait},
            headers={"Retry-After": str(exc.wait)},
        )
    if isinstance(exc, exceptions.APIException):
        code = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}.get(
            exc.status_code, exc.default_code
        )
        headers = {"Allow": "GET, HEAD, OPTIONS"} if exc.status_code == 405 else None
        return error_response(exc.status_code, code, exc.detail, headers=headers)
    return None


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, as in the response's status line.")
    code = serializers.ChoiceField(
        choices=[
            "invalid_parameters",
            "invalid_token",
            "not_found",
            "method_not_allowed",
            "not_acceptable",
            "rate_limited",
        ],
        help_text="What went wrong, for programs.",
    )
    message = serializers.CharField(help_text="What went wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid_parameters: each parameter at fault, with what is wrong with it.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
