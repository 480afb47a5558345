"""Errors as ``application/problem+json`` (RFC 9457), for every failure of the API.

``ParameterError`` names each bad query parameter; the DRF exception handler
turns it, DRF's own exceptions (404, 405, 406, 429 …) and Django's ``Http404``
into one body shape: ``type``, ``title``, ``status``, ``detail``, ``errors``.
"""

import logging

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://newsdesk.example/problems/"
logger = logging.getLogger(__name__)

TITLES = {
    400: gettext_lazy("Invalid request parameters"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
TYPES = {
    400: "invalid-parameters",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    415: "unsupported-media-type",
    429: "too-many-requests",
    500: "server-error",
}


class ParameterError(exceptions.APIException):
    """A 400 naming each bad query parameter: ``errors=[{"parameter", "detail"}]``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("One or more query parameters are invalid.")

    def __init__(self, errors):
        super().__init__()
        self.errors = [{"parameter": name, "detail": str(detail)} for name, detail in errors]


def problem(status_code, detail="", errors=()):
    """The problem+json body for ``status_code`` as a plain dict."""
    return {
        "type": TYPE_BASE + TYPES.get(status_code, "error"),
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
        "errors": list(errors),
    }


def problem_response(status_code, detail="", errors=(), headers=None):
    """A DRF Response carrying a problem (for views and the exception handler)."""
    return Response(
        problem(status_code, detail, errors),
        status=status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def exception_handler(exc, context):
    """DRF's exception handler: every error of the API is a problem+json answer."""
    headers = {}
    errors = []
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No such item."))
    if isinstance(exc, ParameterError):
        errors = exc.errors
        detail = exc.detail
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten_validation(exc.detail)
        detail = ParameterError.default_detail
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else ""
    else:
        # A bug, not bad input; logged with its traceback, still answered in the API's shape.
        logger.exception("Unhandled error in the API", exc_info=exc)
        set_rollback()
        return problem_response(500, _("The server could not answer this request."))
    status_code = exc.status_code
    if status_code == 429:
        wait = getattr(exc, "wait", None)
        headers["Retry-After"] = str(max(1, int(wait or 1)))
        detail = _("Request limit reached; retry in %(seconds)s seconds.") % {
            "seconds": headers["Retry-After"]
        }
    set_rollback()
    return problem_response(status_code, detail, errors, headers)


def _flatten_validation(detail, prefix=""):
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            out += _flatten_validation(value, key)
        return out
    if isinstance(detail, list):
        return [{"parameter": prefix, "detail": str(item)} for item in detail]
    return [{"parameter": prefix, "detail": str(detail)}]


def not_found(request, rest=""):
    """Any /api/v1/ URL that names no endpoint: a problem+json 404 (or the slash redirect)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + ("?" + query if query else "")
            )
    return JsonResponse(
        problem(404, _("There is no API endpoint at this address.")),
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
