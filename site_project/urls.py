from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from news.api.v2 import api_router
from news.syndication import feeds, sitemaps
from search import views as search_views
from site_project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    # Headless API v1 (not under i18n_patterns: the language is a parameter) and Wagtail's v2.
    path("api/v1/search/", include("search.api_urls")),  # before the news API's catch-all
    path("api/v1/", include("news.api.urls")),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every reader-facing page lives under its language: /kk/…, /ru/…, /en/….
# "/" redirects to the reader's preferred language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("news/feed/rss/", feeds.NewsFeed.as_view(), name="news_feed_rss"),
    path("news/feed/atom/", feeds.NewsAtomFeed.as_view(), name="news_feed_atom"),
    path("news/topic/<str:slug>/feed/rss/", feeds.NewsFeed.as_view(), name="topic_feed_rss"),
    path("news/topic/<str:slug>/feed/atom/", feeds.NewsAtomFeed.as_view(), name="topic_feed_atom"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
