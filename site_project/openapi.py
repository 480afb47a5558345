"""drf-spectacular hooks shared by the schema view and ``check --deploy``.

The schema view already generates from ``news.api.schema_urls``, but
drf-spectacular's deploy check generates from the root URLconf, where the
Wagtail admin API, wagtail-localize and Wagtail's API v2 also live: their views
were never written for drf-spectacular and fill the check with warnings. Only
our own ``/api/v1/`` endpoints belong in the published schema.
"""

API_PREFIX = "/api/v1/"
# The documentation pages themselves are not API operations.
DOCUMENTATION_PATHS = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}


def only_api_v1(endpoints, **kwargs):
    """Keep the endpoints under ``/api/v1/`` (drf-spectacular preprocessing hook)."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith(API_PREFIX) and endpoint[0] not in DOCUMENTATION_PATHS
    ]
