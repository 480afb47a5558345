"""A host URLconf that mounts Newsdesk under ``/newsdesk/`` (tests/test_cache_routes.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from news import urls as news_urls

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("newsdesk/", include("news.urls")),
    *i18n_patterns(
        path("newsdesk/", include(news_urls.reader_urlpatterns)),
        path("", include(news_urls.serve_urlpatterns)),
        path("", include(wagtail_urls)),
        prefix_default_language=True,
    ),
]
