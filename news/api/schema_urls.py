"""The URLconf the OpenAPI schema is generated from: the v1 endpoints only (news and search)."""

from django.urls import include, path

from news.api.urls import endpoint_patterns

urlpatterns = [
    path("api/v1/search/", include("search.api_urls")),
    path("api/v1/", include((endpoint_patterns, "newsdesk_api"))),
]
