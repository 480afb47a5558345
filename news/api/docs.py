"""The interactive API documentation, served offline (drf-spectacular-sidecar's files).

Swagger UI comes as the "split" view: its start-up code is a separate script
(``?script``), so the readers' strict Content-Security-Policy (``script-src 'self'``,
site_project/security.py) lets it run. ReDoc needs an inline start-up script and
a blob: worker, so its page carries a policy of its own, wide enough for that.
"""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


class SwaggerView(SpectacularSwaggerSplitView):
    pass


class RedocView(SpectacularRedocView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = REDOC_POLICY
        return response
