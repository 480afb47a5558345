from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from news import urls as news_urls
from news.syndication import sitemaps
from site_project import health, security

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # No /django-admin/: Wagtail needs only its own admin, and a second login form is a
    # second target (Hardening v2 #1). django.contrib.admin stays installed for its models.
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    # Newsdesk's sitemaps, headless API v1 (with search's endpoint) and Wagtail's v2:
    # not under i18n_patterns, the API takes the language as a parameter.
    path("", include("news.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every reader-facing page lives under its language: /kk/…, /ru/…, /en/….
# "/" redirects to the reader's preferred language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    # Wagtail's page-password form, behind the login lockout (site_project.security).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        security.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include("search.urls")),  # the search page
    path("", include(news_urls.reader_urlpatterns)),  # feeds, authors, corrections
    path("", include(news_urls.serve_urlpatterns)),  # Wagtail's pages, from a memoised root
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
