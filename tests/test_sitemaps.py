"""sitemap.xml (hreflang alternates), the Google News sitemap and robots.txt."""

from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import parse_http_date
from wagtail.models import Page, PageViewRestriction

from news.models import NewsPage
from news.syndication import sitemaps
from tests.factories import make_news, translate
from tests.syndication import HIDDEN_TITLES

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def sitemap_urls(client, path="/sitemap.xml"):
    """``{loc: {"lastmod": str, "alternates": {hreflang: href}}}``."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}urlset"
    urls = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in urls, f"{loc} listed twice"
        urls[loc] = {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    return urls


def full_url(page):
    return page.get_full_url(None)


def test_sitemap_lists_every_live_public_page_in_every_locale(client, newsroom):
    urls = sitemap_urls(client)
    expected = {
        full_url(page)
        for page in (
            newsroom.home,
            newsroom.ru_home,
            newsroom.index,
            newsroom.ru_index,
            newsroom.translated,
            newsroom.ru_translated,
            newsroom.fallback_only,
        )
    }
    assert set(urls) == expected
    assert all(loc.startswith("http://localhost/") for loc in urls)


def test_alternates_list_exactly_the_live_translations(client, newsroom):
    # An English translation that is only a draft must not be announced.
    translate(newsroom.translated, "en", publish=False)
    urls = sitemap_urls(client)
    kk_url, ru_url = full_url(newsroom.translated), full_url(newsroom.ru_translated)
    for loc in (kk_url, ru_url):
        alternates = urls[loc]["alternates"]
        assert alternates == {"kk": kk_url, "ru": ru_url, "x-default": kk_url}
    # A story only in Kazakh: itself, no x-default, no fallback URL under /ru/ or /en/.
    only = full_url(newsroom.fallback_only)
    assert urls[only]["alternates"] == {"kk": only}
    assert not any("/ru/" in loc and "екінші" in loc.lower() for loc in urls)


def test_publishing_a_translation_adds_it_to_the_alternates(client, newsroom):
    en = translate(newsroom.fallback_only, "en", strings={"Екінші": "Second"})
    urls = sitemap_urls(client)
    only = full_url(newsroom.fallback_only)
    assert urls[only]["alternates"] == {"kk": only, "en": full_url(en), "x-default": only}
    assert full_url(en) in urls


def test_lastmod_is_the_last_publication(client, newsroom):
    page = newsroom.translated
    page.refresh_from_db()
    urls = sitemap_urls(client)
    assert urls[full_url(page)]["lastmod"] == sitemaps.w3c_datetime(page.last_published_at)
    assert all(entry["lastmod"] for entry in urls.values())


def test_listings_change_when_a_story_is_published(client, newsroom):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Page.objects.filter(pk=newsroom.fallback_only.pk).update(last_published_at=an_hour_ago)
    newest = make_news(newsroom.index, "Ең жаңа")
    newest.refresh_from_db()
    stamp = sitemaps.w3c_datetime(newest.last_published_at)
    urls = sitemap_urls(client)
    for listing in (newsroom.home, newsroom.index):
        assert urls[full_url(listing)]["lastmod"] == stamp
    # The Russian listings show the Kazakh story as a fallback item, so they changed too.
    for listing in (newsroom.ru_home, newsroom.ru_index):
        assert urls[full_url(listing)]["lastmod"] == stamp
    # A story's own lastmod is its own.
    assert urls[full_url(newsroom.fallback_only)]["lastmod"] == sitemaps.w3c_datetime(an_hour_ago)


def test_no_hidden_page_in_the_sitemaps(client, newsroom):
    # A whole Russian section under a login restriction disappears, ancestors included.
    PageViewRestriction.objects.create(
        page=newsroom.ru_index, restriction_type=PageViewRestriction.LOGIN
    )
    for path in ("/sitemap.xml", "/news-sitemap.xml"):
        body = client.get(path).content.decode()
        for title in HIDDEN_TITLES:
            assert title not in body
        for page in newsroom.hidden.values():
            assert full_url(page) not in body, (path, page.title)
        assert full_url(newsroom.ru_index) not in body
        assert full_url(newsroom.ru_translated) not in body
    urls = sitemap_urls(client)
    kk_url = full_url(newsroom.translated)
    assert urls[kk_url]["alternates"] == {"kk": kk_url}


def test_bad_part_numbers_are_404(client, newsroom):
    for query in ("?p=abc", "?p=0", "?p=2", "?p=-1", "?p=" + "9" * 40):
        assert client.get(f"/sitemap.xml{query}").status_code == 404
    assert client.get("/sitemap.xml?p=1").status_code == 200
    assert client.post("/sitemap.xml").status_code == 405
    assert client.head("/robots.txt").status_code == 200


def test_large_sitemaps_become_an_index(client, newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 3)
    response = client.get("/sitemap.xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    locs = [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]
    assert locs == [f"http://testserver/sitemap.xml?p={n}" for n in (1, 2, 3)]
    seen = set()
    for number in (1, 2, 3):
        seen |= set(sitemap_urls(client, f"/sitemap.xml?p={number}"))
    assert len(seen) == 7


def test_news_sitemap_lists_the_last_48_hours(client, newsroom):
    old = make_news(newsroom.index, "Ескі")
    NewsPage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(hours=49)
    )
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    entries = {}
    for url in root.findall("s:url", NS):
        news = url.find("news:news", NS)
        entries[url.findtext("s:loc", namespaces=NS)] = {
            "name": news.findtext("news:publication/news:name", namespaces=NS),
            "language": news.findtext("news:publication/news:language", namespaces=NS),
            "date": news.findtext("news:publication_date", namespaces=NS),
            "title": news.findtext("news:title", namespaces=NS),
        }
    assert set(entries) == {
        full_url(newsroom.translated),
        full_url(newsroom.ru_translated),
        full_url(newsroom.fallback_only),
    }
    ru = entries[full_url(newsroom.ru_translated)]
    assert ru == {
        "name": "Newsdesk",
        "language": "ru",
        "date": ru["date"],
        "title": "Первая",
    }
    assert ru["date"].endswith("+00:00")
    assert entries[full_url(newsroom.fallback_only)]["language"] == "kk"


def test_robots_txt_points_to_both_sitemaps(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


def _view_queries(view, path="/"):
    request = RequestFactory().get(path)
    with CaptureQueriesContext(connection) as captured:
        assert view(request).status_code == 200
    return len(captured)


@pytest.mark.parametrize("view", [sitemaps.sitemap, sitemaps.news_sitemap])
def test_query_count_does_not_grow_with_pages(site_tree, view):
    home, index = site_tree
    translate(home, "ru")
    ru_index = translate(index, "ru")
    first = make_news(index, "Бір")
    translate(first, "ru")
    _view_queries(view)
    few = _view_queries(view)
    for number in range(20):
        story = make_news(index, f"Жаңалық {number}")
        if number % 2:
            translate(story, "ru")
    assert Page.objects.child_of(ru_index).count() == 11
    _view_queries(view)  # the first read after a publish fills the memoised restrictions
    many = _view_queries(view)
    assert many == few
    assert few <= 4, few  # 3 for the view (the response cache reads no SQL)


def test_news_sitemap_follows_its_window_without_a_publish(client, site_tree):
    """Hardening finding 7: a story leaving the 48-hour window changes the answer.

    Before, the cached copy was kept until the next publish. The answer ``Expires`` at the
    oldest listed story's drop-out, and the response cache keeps it no longer (real time:
    a cache's own lifetime cannot be told another clock).
    """
    import time

    _home, index = site_tree
    story = make_news(index, "Ескіреді")
    NewsPage.objects.filter(pk=story.pk).update(
        first_published_at=timezone.now() - timedelta(hours=48) + timedelta(seconds=2)
    )
    location = full_url(story)
    first = client.get("/news-sitemap.xml")
    assert first.status_code == 200 and location in first.content.decode()
    assert first["X-Cache"] == "miss"
    expires = parse_http_date(first["Expires"])
    assert 0 < expires - time.time() <= 3  # whole seconds, rounded up
    assert int(first["Cache-Control"].removeprefix("public, max-age=")) <= 3
    etag = first["ETag"]
    hit = client.get("/news-sitemap.xml", HTTP_IF_NONE_MATCH=etag)
    assert hit.status_code == 304 and hit["X-Cache"] == "hit"

    time.sleep(max(0, expires - time.time()) + 0.1)  # the story leaves the window
    again = client.get("/news-sitemap.xml", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["X-Cache"] == "miss"
    assert location not in again.content.decode()
    assert again["ETag"] != etag
    assert not again.has_header("Expires")  # nothing left to drop out: kept until a publish
    assert client.get("/news-sitemap.xml", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_news_sitemap_max_age_stops_at_the_next_drop_out(client, site_tree, settings):
    settings.NEWSDESK_API_MAX_AGE = 3600
    _home, index = site_tree
    story = make_news(index, "Жақында шығады")
    NewsPage.objects.filter(pk=story.pk).update(
        first_published_at=timezone.now() - timedelta(hours=47, minutes=50)
    )
    response = client.get("/news-sitemap.xml")
    assert full_url(story) in response.content.decode()
    max_age = int(response["Cache-Control"].removeprefix("public, max-age="))
    assert 500 <= max_age <= 601, max_age  # whole seconds, rounded up
    # Served from the cache later, max-age still stops at the drop-out.
    import time

    time.sleep(1.1)
    hit = client.get("/news-sitemap.xml")
    assert hit["X-Cache"] == "hit"
    assert int(hit["Cache-Control"].removeprefix("public, max-age=")) <= max_age - 1
