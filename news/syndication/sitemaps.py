"""sitemap.xml, the Google News sitemap and robots.txt.

``/sitemap.xml`` lists every live, public page of every locale, each with
``xhtml:link rel="alternate" hreflang`` for every live public translation of it
(itself included, plus ``x-default`` when there is more than one) and its
``lastmod``. Fallback URLs (a Kazakh story served under /ru/) are never listed:
they are the same content as the original, whose URL is the canonical one.
``/news-sitemap.xml`` lists the news pages first published in the last 48 hours
(Google News). Both cost a constant number of queries whatever the number of
pages (wagtail.contrib.sitemaps runs per-page ``.specific`` and has no alternates).
"""

from datetime import UTC, timedelta
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from news import i18n
from news.conf import conf
from news.models import NewsPage
from news.queries import visible_pages
from news.syndication import seo

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# The sitemaps protocol allows 50,000 URLs per file; beyond, /sitemap.xml is an index.
SITEMAP_LIMIT = 50_000
NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1_000


def w3c_datetime(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _xml_response(write):
    buffer = StringIO()
    handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
    handler.startDocument()
    write(handler)
    handler.endDocument()
    return HttpResponse(buffer.getvalue(), content_type="application/xml; charset=utf-8")


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
    return lastmod


def sitemap_entries(request):
    """``[(url, lastmod, [(hreflang, url), ...]), ...]`` for every live public page.

    Two queries: the pages, and the newest story per language (the ``lastmod`` of
    listing pages); plus Wagtail's site root paths, cached.
    """
    listing_types = _listing_content_types()
    newest = _newest_news_by_language()
    pages = visible_pages().filter(depth__gt=1).select_related("locale").order_by("path")
    versions = {}
    rows = []
    for page in pages:
        url = page.get_full_url(request)
        if not url:  # not under any site: not reachable
            continue
        code = page.locale.language_code
        versions.setdefault(page.translation_key, {})[code] = url
        rows.append((page, url))
    order = i18n.language_codes()
    entries = []
    for page, url in rows:
        group = versions[page.translation_key]
        alternates = [(code, group[code]) for code in order if code in group]
        if len(alternates) > 1:
            default = group.get(settings.LANGUAGE_CODE) or alternates[0][1]
            alternates.append(("x-default", default))
        entries.append((url, _lastmod(page, listing_types, newest), alternates))
    return entries


@require_safe
def sitemap(request):
    """The multilingual sitemap (or, past 50,000 URLs, its index; ``?p=N`` is part N)."""
    entries = sitemap_entries(request)
    parts = max(1, -(-len(entries) // SITEMAP_LIMIT))
    part = request.GET.get("p")
    if part is None and parts > 1:
        return _sitemap_index(request, parts)
    try:
        number = int(part) if part is not None else 1
    except ValueError:
        raise Http404("No such sitemap part.") from None
    if not 1 <= number <= parts:
        raise Http404("No such sitemap part.")
    chunk = entries[(number - 1) * SITEMAP_LIMIT : number * SITEMAP_LIMIT]

    def write(handler):
        handler.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
        for url, lastmod, alternates in chunk:
            handler.startElement("url", {})
            handler.addQuickElement("loc", url)
            if lastmod is not None:
                handler.addQuickElement("lastmod", w3c_datetime(lastmod))
            for code, href in alternates:
                handler.addQuickElement(
                    "xhtml:link", None, {"rel": "alternate", "hreflang": code, "href": href}
                )
            handler.endElement("url")
        handler.endElement("urlset")

    return _xml_response(write)


def _sitemap_index(request, parts):
    base = request.build_absolute_uri(reverse("sitemap"))

    def write(handler):
        handler.startElement("sitemapindex", {"xmlns": SITEMAP_NS})
        for number in range(1, parts + 1):
            handler.startElement("sitemap", {})
            handler.addQuickElement("loc", f"{base}?p={number}")
            handler.endElement("sitemap")
        handler.endElement("sitemapindex")

    return _xml_response(write)


def recent_news(hours=NEWS_SITEMAP_HOURS):
    """Live public news pages first published in the last ``hours``, newest first."""
    since = timezone.now() - timedelta(hours=hours)
    return (
        visible_pages(NewsPage)
        .filter(first_published_at__gte=since)
        .select_related("locale")
        .order_by("-first_published_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )


@require_safe
def news_sitemap(request):
    """The Google News sitemap: the last 48 hours, every language, each in its own."""
    rows = []
    for page in recent_news():
        url = page.get_full_url(request)
        if url:
            rows.append((page, url))

    def write(handler):
        handler.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
        for page, url in rows:
            handler.startElement("url", {})
            handler.addQuickElement("loc", url)
            handler.startElement("news:news", {})
            handler.startElement("news:publication", {})
            handler.addQuickElement("news:name", seo.publisher_name())
            handler.addQuickElement("news:language", page.locale.language_code)
            handler.endElement("news:publication")
            handler.addQuickElement(
                "news:publication_date", w3c_datetime(seo.publication_datetime(page))
            )
            handler.addQuickElement("news:title", page.title)
            handler.endElement("news:news")
            handler.endElement("url")
        handler.endElement("urlset")

    return _xml_response(write)


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
