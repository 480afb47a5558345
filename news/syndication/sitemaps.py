"""sitemap.xml, the Google News sitemap and robots.txt, on Django's sitemap framework.

``/sitemap.xml`` lists every live, public page of every locale, each with
``xhtml:link rel="alternate" hreflang`` for every live public translation of it
(itself included, plus ``x-default`` when there is more than one) and its
``lastmod``. Fallback URLs (a Kazakh story served under /ru/) are never listed:
they are the same content as the original, whose URL is the canonical one.
``/news-sitemap.xml`` lists the news pages first published in the last 48 hours
(Google News). Both cost a constant number of queries whatever the number of
pages (wagtail.contrib.sitemaps runs per-page ``.specific`` and has no alternates).

``django.contrib.sitemaps`` does the pagination (``?p=N``, 404 for a bad part),
the response and the markup. Two things stay ours, in ``PageSitemap._urls``:

- the framework's ``i18n``/``alternates`` list one URL per item per language, all
  made by reversing the item's URL under each language and prefixing the request's
  domain. A Wagtail translation is another page, with its own slug and possibly its
  own Site (host); and only the languages a story is *live* in may be announced,
  with ``x-default`` only for a story in more than one. So each item carries its
  pages' own absolute URLs and its live translations, computed in two queries for
  the whole sitemap.
- past 50,000 URLs, ``/sitemap.xml`` itself becomes the index of its parts
  ``/sitemap.xml?p=N`` (the framework's ``index`` view would link to a separate
  per-section URL); the index uses the framework's template.

The news sitemap is a framework Sitemap with its own template for the
``news:news`` elements. Its answer depends on the clock as well as on the content
(a story leaves it 48 hours after its first publication, without any publish): it
says when in ``Expires``.
"""

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Min
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from news import i18n
from news.conf import conf
from news.kazakh_latin import edition
from news.models import NewsPage
from news.queries import visible_pages
from news.syndication import seo

XML = "application/xml; charset=utf-8"
SITEMAP_TEMPLATE = "news/syndication/sitemap.xml"
NEWS_SITEMAP_TEMPLATE = "news/syndication/news_sitemap.xml"
# The sitemaps protocol allows 50,000 URLs per file; beyond, /sitemap.xml is an index.
SITEMAP_LIMIT = 50_000
NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1_000


def w3c_datetime(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _utc_seconds(value):
    """``value`` in UTC, whole seconds: the templates print it with ``|date:"c"``."""
    return value.astimezone(UTC).replace(microsecond=0) if value is not None else None


@dataclass(frozen=True)
class Entry:
    """One URL of a sitemap: the page, where it is, when it changed, its translations."""

    page: object
    location: str
    lastmod: datetime | None = None
    alternates: tuple = ()  # ((hreflang, url), ...)
    published: datetime | None = None  # news sitemap: the publication date

    @property
    def language(self):
        return self.page.locale.language_code

    @property
    def title(self):
        return self.page.title


def _listing_content_types():
    """Page types that list news (``lists_news = True``): they change with every story published."""
    models = [model for model in apps.get_models() if getattr(model, "lists_news", False)]
    return {
        content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()
    }


def _newest_news_by_language():
    """``{language: last publication of any visible story in it}`` (one query)."""
    rows = (
        visible_pages(NewsPage)
        .values("locale__language_code")
        .annotate(newest=Max("last_published_at"))
        .order_by()
    )
    return {row["locale__language_code"]: row["newest"] for row in rows if row["newest"]}


def _lastmod(page, listing_types, newest):
    """A page's last publication; for listings, also their newest listed story's."""
    lastmod = seo.modification_datetime(page)
    if page.content_type_id in listing_types:
        language = page.locale.language_code
        chain = i18n.fallback_chain(language) if conf.LISTING_FALLBACK else [language]
        dates = [newest[code] for code in chain if code in newest]
        if lastmod is not None:
            dates.append(lastmod)
        lastmod = max(dates) if dates else None
    return _utc_seconds(lastmod)


def sitemap_entries(request):
    """An ``Entry`` for every live public page, with its live translations as alternates.

    Two queries: the pages, and the newest story per language (the ``lastmod`` of
    listing pages); plus Wagtail's site root paths, cached.
    """
    listing_types = _listing_content_types()
    newest = _newest_news_by_language()
    pages = visible_pages().filter(depth__gt=1).select_related("locale").order_by("path")
    versions = {}
    rows = []
    latin = edition.enabled()  # each Kazakh page has a Latin twin (/kk-latn/…)
    for page in pages:
        url = page.get_full_url(request)
        if not url:  # not under any site: not reachable
            continue
        code = page.locale.language_code
        versions.setdefault(page.translation_key, {})[code] = url
        rows.append((page, url))
        if latin and code == edition.SOURCE:
            versions[page.translation_key][edition.CODE] = edition.latin_url(url)
            rows.append((page, edition.latin_url(url)))
    order = [
        link["code"]
        for link in edition.alternate_links(
            [{"code": code, "url": ""} for code in i18n.language_codes()]
        )
    ]
    entries = []
    for page, url in rows:
        group = versions[page.translation_key]
        alternates = [(code, group[code]) for code in order if code in group]
        if len(alternates) > 1:
            default = group.get(settings.LANGUAGE_CODE) or alternates[0][1]
            alternates.append(("x-default", default))
        entries.append(Entry(page, url, _lastmod(page, listing_types, newest), tuple(alternates)))
    return entries


class EntrySitemap(Sitemap):
    """A framework Sitemap over ``Entry`` rows computed once per request."""

    def __init__(self, request, limit):
        self.request = request
        self.limit = limit

    def entries(self):
        raise NotImplementedError

    @cached_property
    def _entries(self):
        return self.entries()

    def items(self):
        return self._entries

    def location(self, entry):
        return entry.location

    def lastmod(self, entry):
        return entry.lastmod

    def _urls(self, page, protocol, domain):
        """The framework's ``_urls``, with each page's own absolute URL and alternates.

        The framework would prefix ``location()`` with the request's domain and build
        alternates by reversing the URL in every language (see the module docstring).
        """
        urls = [
            {
                "item": entry,
                "location": entry.location,
                "lastmod": entry.lastmod,
                "changefreq": None,
                "priority": "",
                "alternates": [
                    {"location": href, "lang_code": code} for code, href in entry.alternates
                ],
            }
            for entry in self.paginator.page(page).object_list
        ]
        dates = [url["lastmod"] for url in urls]
        if dates and all(dates):
            self.latest_lastmod = max(dates)
        return urls


class PageSitemap(EntrySitemap):
    """Every live public page, with hreflang alternates of its live translations."""

    def entries(self):
        return sitemap_entries(self.request)


@require_safe
def sitemap(request):
    """The multilingual sitemap (or, past 50,000 URLs, its index; ``?p=N`` is part N)."""
    pages = PageSitemap(request, SITEMAP_LIMIT)
    parts = pages.paginator.num_pages
    if "p" not in request.GET and parts > 1:
        return _sitemap_index(request, parts)
    return sitemap_views.sitemap(
        request, {"pages": pages}, template_name=SITEMAP_TEMPLATE, content_type=XML
    )


@sitemap_views.x_robots_tag
def _sitemap_index(request, parts):
    base = request.build_absolute_uri(reverse("sitemap"))
    items = [sitemap_views.SitemapIndexItem(f"{base}?p={n}") for n in range(1, parts + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type=XML)


def recent_news(hours=NEWS_SITEMAP_HOURS):
    """Live public news pages first published in the last ``hours``, newest first."""
    since = timezone.now() - timedelta(hours=hours)
    return (
        visible_pages(NewsPage)
        .filter(first_published_at__gte=since)
        .select_related("locale")
        .order_by("-first_published_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )


class NewsSitemap(EntrySitemap):
    """The Google News sitemap: the last 48 hours, every language, each in its own."""

    def entries(self):
        entries = []
        for page in recent_news():
            url = page.get_full_url(self.request)
            if url:
                published = _utc_seconds(seo.publication_datetime(page))
                entries.append(Entry(page, url, published=published))
        return entries


@require_safe
def news_sitemap(request):
    """The Google News sitemap (``news:news`` elements, from its own template).

    A story leaves it 48 hours after its first publication, without any publish: the
    answer ``Expires`` then (the oldest listed story's drop-out), and neither the
    response cache nor a browser keeps it longer (news.caching.middleware).
    """
    response = sitemap_views.sitemap(
        request,
        {"news": NewsSitemap(request, NEWS_SITEMAP_LIMIT)},
        template_name=NEWS_SITEMAP_TEMPLATE,
        content_type=XML,
    )
    response.context_data["publication_name"] = seo.publisher_name()
    since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
    oldest = (
        visible_pages(NewsPage)
        .filter(first_published_at__gte=since)
        .aggregate(oldest=Min("first_published_at"))["oldest"]
    )
    if oldest is not None:
        drop_out = math.ceil((oldest + timedelta(hours=NEWS_SITEMAP_HOURS)).timestamp())
        left = max(0, math.ceil(drop_out - time.time()))
        response["Expires"] = http_date(drop_out)
        response["Cache-Control"] = f"public, max-age={min(conf.API_MAX_AGE, left)}"
    return response


@require_safe
def robots_txt(request):
    """Crawlers: everything but the admin, and where the sitemaps are."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
