"""What a browser frontend on another origin needs from CORS (django-cors-headers settings).

A frontend that revalidates sends ``If-None-Match`` / ``If-Modified-Since``: neither is a
CORS-safelisted request header, so the preflight must allow them. ``ETag`` is not a
safelisted response header, so without ``Access-Control-Expose-Headers`` a script reads
``headers.get("etag")`` as null; ``Last-Modified`` and ``Content-Language`` are safelisted
but named too, for clarity. The API is read-only: GET, HEAD and OPTIONS.

A host's settings use these (site_project/settings/base.py does)::

    from corsheaders.defaults import default_headers
    from news.api import cors

    CORS_ALLOWED_ORIGINS = ["https://front.example"]
    CORS_URLS_REGEX = cors.URLS_REGEX
    CORS_ALLOW_METHODS = cors.ALLOW_METHODS
    CORS_ALLOW_HEADERS = (*default_headers, *cors.ALLOW_HEADERS)
    CORS_EXPOSE_HEADERS = cors.EXPOSE_HEADERS
"""

# The headless API (v1, its schema and docs) and Wagtail's API v2.
URLS_REGEX = r"^/api/.*$"
ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW_HEADERS = ("if-none-match", "if-modified-since")
EXPOSE_HEADERS = ("ETag", "Last-Modified", "Content-Language", "Retry-After")
