"""What the OpenAPI schema says beyond the serializers: HTTP caching, servers, the release.

A drf-spectacular postprocessing hook (``describe_http``), because the answers' headers
are set by the response cache middleware (news.caching.middleware), not by the views that
drf-spectacular reads:

- every cacheable GET documents ``If-None-Match`` and ``If-Modified-Since``, its 200's
  ``ETag``, ``Last-Modified``, ``Content-Language``, ``Cache-Control`` and ``Vary``
  headers, and a ``304 Not Modified``;
- the preview documents its ``ETag`` (a polling preview pane revalidates) and
  ``Cache-Control: private, no-store``;
- ``servers`` names the host that served the schema (``/`` when dumped by
  ``manage.py spectacular``), ``info`` the distribution's title and version
  (``news.__version__``).
"""

import news

DISTRIBUTION = "wagtail-newsdesk"
# Answered by the response cache: ETag/Last-Modified/304 (everything but the preview).
UNCACHED_OPERATIONS = {"preview"}


def _header(description, **schema):
    return {"description": description, "schema": {"type": "string", **schema}}


ETAG = _header(
    "Validator of this answer's bytes (weak). Send it back in `If-None-Match`: an unchanged "
    'answer is a 304 without body. E.g. `W/"3f2a…"`.'
)
LAST_MODIFIED = _header(
    "When the content shown last changed (HTTP date); for `If-Modified-Since`.",
)
CONTENT_LANGUAGE = _header(
    "The language(s) the content is really in, comma-separated: a story served as a "
    "fallback names its own language, not the requested one."
)
CACHE_CONTROL = _header("How long a client or shared cache may reuse the answer.")
VARY = _header("`Accept-Language` when that header chose the language.")

CACHED_HEADERS = {
    "ETag": ETAG,
    "Last-Modified": LAST_MODIFIED,
    "Content-Language": CONTENT_LANGUAGE,
    "Cache-Control": CACHE_CONTROL,
    "Vary": VARY,
}
CONDITIONAL_PARAMETERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "ETag(s) of a copy the client holds: 304 when one still matches.",
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "required": False,
        "schema": {"type": "string"},
        "description": "HTTP date of a copy the client holds (ignored with If-None-Match).",
    },
]
NOT_MODIFIED = {
    "description": "Not modified: the copy the client holds (by If-None-Match or "
    "If-Modified-Since) is current. No body.",
    "headers": {
        "ETag": ETAG,
        "Last-Modified": LAST_MODIFIED,
        "Cache-Control": CACHE_CONTROL,
    },
}


def describe_http(result, generator, request, public, **kwargs):
    """drf-spectacular postprocessing hook (module docstring)."""
    info = result.setdefault("info", {})
    info["title"] = "Newsdesk API"
    info["version"] = news.__version__
    info["description"] = (
        f"Headless, multilingual news API v1 of {DISTRIBUTION} with honest locale fallback. "
        "Errors are application/problem+json (RFC 9457). Answers carry ETag and "
        "Last-Modified: revalidate with If-None-Match for a 304 (docs/frontends.md)."
    )
    info["license"] = {"name": "BSD-3-Clause", "identifier": "BSD-3-Clause"}
    server = request.build_absolute_uri("/") if request is not None else "/"
    result["servers"] = [{"url": server, "description": "This Newsdesk site."}]
    for operations in result.get("paths", {}).values():
        operation = operations.get("get")
        if operation is None:
            continue
        operation["security"] = []  # anonymous: a token, where needed, is a parameter
        responses = operation["responses"]
        if operation["operationId"] in UNCACHED_OPERATIONS:
            responses["200"]["headers"] = {
                "ETag": ETAG,
                "Content-Language": CONTENT_LANGUAGE,
                "Cache-Control": _header("`private, no-store`: never kept by a shared cache."),
            }
            operation["parameters"] = [*operation.get("parameters", []), CONDITIONAL_PARAMETERS[0]]
            responses["304"] = {
                "description": "Not modified: the draft is the one the client holds.",
                "headers": {"ETag": ETAG},
            }
            continue
        responses["200"]["headers"] = dict(CACHED_HEADERS)
        operation["parameters"] = [*operation.get("parameters", []), *CONDITIONAL_PARAMETERS]
        responses["304"] = NOT_MODIFIED
    result["paths"] = {path: result["paths"][path] for path in sorted(result.get("paths", {}))}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation["responses"] = dict(
                sorted(operation["responses"].items(), key=lambda item: item[0])
            )
    return result
