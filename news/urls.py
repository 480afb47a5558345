"""The URLs a host site includes to add Newsdesk (docs/install.md, step 3).

Two lists, because they live in different places of a host's URLconf:

* ``urlpatterns`` (``include("news.urls")`` at the root, outside ``i18n_patterns``): the
  headless API (v1, with the search app's endpoint when it is installed, and Wagtail's v2)
  and the sitemaps. The API takes the language as a parameter, not from the path.
* ``reader_urlpatterns`` (inside ``i18n_patterns``): the feeds, author and corrections
  pages, under the reader's language prefix.
* ``serve_urlpatterns`` (inside ``i18n_patterns``, right before ``wagtail.urls``): Wagtail's
  page serving, from the memoised site root (``readers.serve``).

A host writes ``path("", include(news_urls.reader_urlpatterns))`` and, last,
``path("", include(news_urls.serve_urlpatterns))``, ``path("", include(wagtail_urls))``
inside its ``i18n_patterns``, and ``path("", include("news.urls"))`` at the root.
"""

from django.apps import apps
from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy
from wagtail.urls import serve_pattern

from news import readers
from news.api.v2 import api_router
from news.syndication import feeds, sitemaps

api_urlpatterns = [
    # The search app's endpoint comes first: the news API answers everything else under
    # /api/v1/ (a 404 in problem+json). Named by string: news never imports search.
    *([path("api/v1/search/", include("search.api_urls"))] if apps.is_installed("search") else []),
    path("api/v1/", include("news.api.urls")),
    path("api/v2/", api_router.urls),
]

sitemap_urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
]

urlpatterns = [*sitemap_urlpatterns, *api_urlpatterns]

reader_urlpatterns = [
    path("news/feed/rss/", feeds.NewsFeed.as_view(), name="news_feed_rss"),
    path("news/feed/atom/", feeds.NewsAtomFeed.as_view(), name="news_feed_atom"),
    path("news/topic/<str:slug>/feed/rss/", feeds.NewsFeed.as_view(), name="topic_feed_rss"),
    path("news/topic/<str:slug>/feed/atom/", feeds.NewsAtomFeed.as_view(), name="topic_feed_atom"),
    # Route words in the reader's language (/kk/авторлар/…, /ru/авторы/…, /en/authors/…).
    path(pgettext_lazy("URL", "authors/<str:slug>/"), readers.author_page, name="news_author"),
    path(pgettext_lazy("URL", "corrections/"), readers.corrections_page, name="news_corrections"),
]

# Wagtail's pages, routed from the memoised site root (readers.serve): a catch-all, so it
# goes where ``wagtail.urls`` goes, right before it. Wagtail's own ``_util/`` views
# (password form, login) stay Wagtail's, and so does reversing ("wagtail_serve").
serve_urlpatterns = [
    re_path(r"^(?!_util/)" + serve_pattern.removeprefix("^"), readers.serve, name="newsdesk_serve"),
]
