"""URLs of the headless API v1, mounted at /api/v1/ (outside i18n_patterns)."""

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from news.api import live, views
from news.api.docs import RedocView, SwaggerView
from news.api.errors import not_found

app_name = "newsdesk_api"


class IdConverter:
    """A page id that fits a 64-bit column (longer numbers are a 404, not a database error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "pageid")

# The endpoints the OpenAPI schema describes (news.api.schema_urls mounts only these).
endpoint_patterns = [
    path("locales/", views.LocalesView.as_view(), name="locales"),
    path("news/", views.NewsListView.as_view(), name="news-list"),
    path("news/<pageid:pk>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("news/<pageid:pk>/other/", views.OtherNewsView.as_view(), name="news-other"),
    path("news/<pageid:pk>/updates/", live.LiveUpdatesView.as_view(), name="news-updates"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<pageid:pk>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("corrections/", views.CorrectionListView.as_view(), name="correction-list"),
    path("resolve/", views.ResolveView.as_view(), name="resolve"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
]

urlpatterns = [
    *endpoint_patterns,
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf="news.api.schema_urls"),
        name="schema",
    ),
    path("docs/", SwaggerView.as_view(url_name="newsdesk_api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="newsdesk_api:schema"), name="redoc"),
    # Anything else under /api/v1/ is a problem+json 404, never an HTML page ([\s\S], not
    # ".": a path may hold an encoded newline).
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]
