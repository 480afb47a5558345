"""``/api/v1/resolve/`` answers what the HTML site shows, for every URL the site serves.

The site is asked first (the test client, an anonymous reader): 200 is the page it
serves, a redirect to another page is that page, anything else is no page. Then
resolve is asked for the same path, written as a browser shows it (Unicode) and as
it sends it (percent-encoded): both must name the same page (id, url, locale).
"""

import io
import re
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404
from django.urls import resolve as resolve_url
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from news import i18n, routing, tagged_cache
from news.querysets import restricted_paths
from tests.api.conftest import get_json, make_news, translate

LANGUAGES = i18n.language_codes()
PASSWORD_REQUIRED_TEMPLATE = getattr(
    settings, "WAGTAIL_PASSWORD_REQUIRED_TEMPLATE", "wagtailcore/password_required.html"
)
HREF = re.compile(r'href="(/[^"#]*)"')


def site_page(client, url):
    """The page the HTML site shows an anonymous reader at ``url``, or None."""
    response = client.get(url)
    if response.status_code in (301, 302):
        location = response["Location"]
        if not is_page_url(location):
            return None  # e.g. the login page of a restricted page
        response = client.get(location)
    if response.status_code != 200 or response.context is None:
        return None
    if any(t.name == PASSWORD_REQUIRED_TEMPLATE for t in response.templates):
        return None  # a restricted page: the reader sees a password form, not the page
    page = response.context.get("page")
    return page.specific if isinstance(page, Page) else None


def is_page_url(url):
    """A URL the site answers with Wagtail's serve view (not search, feeds, admin…)."""
    path = unquote(urlsplit(url).path)
    language = i18n.normalize_language(path.split("/")[1]) if path.count("/") > 1 else None
    try:
        # i18n_patterns matches the prefix of the active language only.
        with translation.override(language):
            # Wagtail's serve view, or news.readers.serve in front of it (same pattern).
            return resolve_url(path).url_name in ("wagtail_serve", "newsdesk_serve")
    except Resolver404:
        return False


def spellings(url):
    """The path as a browser shows it (Unicode) and as it sends it (percent-encoded)."""
    path = unquote(urlsplit(url).path)
    return {path, quote(path)}


def api_resolve(client, path):
    return client.get("/api/v1/resolve/", {"path": path})


def assert_agrees(client, url, expected):
    for path in spellings(url):
        response = api_resolve(client, path)
        if expected is None:
            assert response.status_code == 404, (path, response.content[:300])
            assert response["Content-Type"] == "application/problem+json"
            continue
        assert response.status_code == 200, (path, response.content[:300])
        item = response.json()["item"]
        assert (item["id"], item["locale"]) == (expected.pk, expected.locale.language_code), path
        if item.get("is_fallback"):
            # Its URL under the requested language, where the site serves the same page.
            assert item["url"].startswith(f"/{response.json()['requested_locale']}/"), path
            assert site_page(client, item["url"]) == expected, (path, item["url"])
        else:
            assert item["url"] == expected.url, path
        assert response.json()["requested_locale"] == urlsplit(url).path.split("/")[1]


@pytest.fixture
def demo(db):
    call_command("load_demo", allow_demo_credentials=True, stdout=io.StringIO())


def demo_urls(client):
    """Every page URL of the demo, under every language prefix, and the links on the pages."""
    urls = set()
    for page in Page.objects.live().filter(depth__gt=1).specific():
        if page.url:
            urls.update(i18n.swap_language_prefix(page.url, code) for code in LANGUAGES)
    for url in sorted(urls):
        response = client.get(url)
        if response.status_code == 200:
            urls.update(
                urlsplit(href).path
                for href in HREF.findall(response.content.decode())
                if is_page_url(href)
            )
    return sorted(url for url in urls if is_page_url(url))


class Reader:
    """The test client, each page of the site asked once: the demo does not change while
    the test reads it (it asked each page up to four times). Other requests (with query
    parameters: the resolve API) go through every time."""

    def __init__(self, client):
        self.client = client
        self.answers = {}

    def get(self, path, data=None):
        if data is not None:
            return self.client.get(path, data)
        if path not in self.answers:
            self.answers[path] = self.client.get(path)
        return self.answers[path]


def test_resolve_agrees_with_the_site_on_every_demo_url(client, demo):
    seen = {"page": 0, "fallback": 0, "redirect": 0, "none": 0}
    client = Reader(client)
    for url in demo_urls(client):
        expected = site_page(client, url)
        status = client.get(url).status_code
        if expected is None:
            seen["none"] += 1
        elif status in (301, 302):
            seen["redirect"] += 1
        elif expected.locale.language_code != url.split("/")[1]:
            seen["fallback"] += 1
        else:
            seen["page"] += 1
        assert_agrees(client, url, expected)
    live = Page.objects.live().filter(depth__gt=1).count()
    # Every live page was checked under its own URL, and each kind of answer occurred.
    assert seen["page"] >= live, seen
    assert seen["fallback"] > 0 and seen["redirect"] > 0, seen


def test_the_reported_disagreements_and_percent_encoding(client, demo):
    # A Kazakh story reached under /ru/ whose Russian translation is live: the site
    # redirects there, and resolve answers the translation (it used to answer the
    # Kazakh fallback).
    url = "/ru/zhanalyqtar/talgarda-alma-festivali-otti/"
    response = client.get(url)
    assert response.status_code == 302
    ru = site_page(client, url)
    assert (ru.locale.language_code, response["Location"]) == ("ru", ru.url)
    data = get_json(client, f"/api/v1/resolve/?path={url}")
    assert (data["item"]["id"], data["item"]["url"], data["item"]["is_fallback"]) == (
        ru.pk,
        ru.url,
        False,
    )
    # Its URL, as the API gives it (percent-encoded) and as location.pathname gives it,
    # resolves (both used to be 404).
    assert "%D0" in ru.url
    for path in (ru.url, unquote(ru.url)):
        assert api_resolve(client, path).json()["item"]["id"] == ru.pk
    # Percent-encoding is undone once (in the same test: each demo load takes seconds).
    twice = quote(ru.url)  # %25D0…: a path whose segments hold "%D0", not Cyrillic
    assert client.get(twice).status_code == 404
    assert api_resolve(client, twice).status_code == 404
    full = "https://localhost" + ru.url + "?utm=x#top"
    assert api_resolve(client, full).json()["item"]["id"] == ru.pk


@pytest.mark.parametrize(
    "path",
    [
        "",
        "   ",
        "/kk/" + "a" * 3000 + "/",
        "/kk/" + "a/" * 996,  # was a 500 on SQLite: "Expression tree is too large"
        "/kk/" + "a/" * routing.MAX_PATH_COMPONENTS,
        "/kk/%FF%FE/",  # not UTF-8
        "/kk/%00/",
        "/kk/zhanalyqtar/%0Aevil/",
        "/kk/\x7f/",
        "http://localhost:99999/kk/",
        "http://[::1/kk/",
    ],
)
def test_bad_paths_are_400_problems(client, site_tree, path):
    response = api_resolve(client, path)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert [e["parameter"] for e in response.json()["errors"]] == ["path"]


def test_the_deepest_path_allowed_is_a_404(client, site_tree):
    path = "/kk" + "/a" * (routing.MAX_PATH_COMPONENTS - 1) + "/"
    assert api_resolve(client, path).status_code == 404


def test_paths_the_site_does_not_serve_are_404(client, site_tree):
    for path in ["/", "/xx/", "/KK/", "/kk/../", "/kk/a.b/", "//evil.example/", "/kk/search/"]:
        response = api_resolve(client, path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_drafts_and_private_pages_are_404_as_on_the_site(client, ru_site):
    _home, index, _ru_home, ru_index = ru_site
    public = make_news(index, "Ашық", slug="ashyq")
    make_news(index, "Жоба", slug="zhoba", publish=False)
    private = make_news(index, "Жабық", slug="zhabyq")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    # A private Kazakh story whose Russian translation is public: the site sends a
    # Russian reader to the translation before any restriction is checked.
    shared = make_news(index, "Ортақ", slug="ortaq")
    shared_ru = translate(shared, "ru", strings={"ortaq": "obshchaya"})
    PageViewRestriction.objects.create(page=shared, restriction_type="password", password="x")

    cases = {
        "/kk/zhanalyqtar/ashyq/": public,
        "/ru/novosti/ashyq/": public,
        "/kk/zhanalyqtar/zhoba/": None,
        "/ru/novosti/zhoba/": None,
        "/kk/zhanalyqtar/zhabyq/": None,
        "/ru/novosti/zhabyq/": None,
        "/kk/zhanalyqtar/ortaq/": None,
        "/ru/novosti/ortaq/": shared_ru,
        "/ru/zhanalyqtar/ortaq/": shared_ru,
        "/ru/novosti/obshchaya/": shared_ru,
    }
    for url, expected in cases.items():
        assert site_page(client, url) == expected, url
        assert_agrees(client, url, expected)

    # A private section hides its pages under every prefix, fallbacks included.
    PageViewRestriction.objects.create(page=index, restriction_type="login")
    for url in ["/kk/zhanalyqtar/", "/kk/zhanalyqtar/ashyq/", "/ru/novosti/ashyq/"]:
        assert site_page(client, url) is None, url
        assert_agrees(client, url, None)
    assert site_page(client, "/ru/novosti/") == ru_index
    assert_agrees(client, "/ru/novosti/", ru_index)


def test_a_remembered_answer_is_checked_again(client, ru_site):
    """A page unpublished without a new content version is not answered from memory."""
    _home, index, _ru_home, _ru_index = ru_site
    story = make_news(index, "Кейін жабылады", slug="keiin")
    assert api_resolve(client, "/ru/novosti/keiin/").status_code == 200
    Page.objects.filter(pk=story.pk).update(live=False)  # no signal, no new version
    assert api_resolve(client, "/ru/novosti/keiin/").status_code == 404


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_query_counts(client, ru_site):
    """Routing through Wagtail: a few queries per segment the first time, one after."""
    _home, index, _ru_home, _ru_index = ru_site
    make_news(index, "Тек қазақша", slug="tek-qazaqsha", body=[])
    both = make_news(index, "Екі тілде", slug="eki-tilde", body=[])
    translate(both, "ru", strings={"eki-tilde": "na-dvukh"})
    paths = {
        "home": "/ru/",
        "index": "/ru/novosti/",
        "story": "/ru/novosti/na-dvukh/",
        "fallback": "/ru/novosti/tek-qazaqsha/",
        "redirect": "/ru/novosti/eki-tilde/",
    }

    def routing_queries(path):
        with CaptureQueriesContext(connection) as queries:
            assert routing.resolve(path, RequestFactory().get("/")) is not None
        return len(queries)

    cold, warm = {}, {}
    for name, path in paths.items():
        cache.clear()
        tagged_cache.local.clear()
        restricted_paths()  # memoised for the content version: the same for every path
        cold[name] = routing_queries(path)
        warm[name] = routing_queries(path)
    print("routing queries, first time:", cold, "then:", warm)
    # The first time, Wagtail's routing: the site, the locale, the root in the language
    # and its .specific (4), one per segment (news.models.child_by_slug: the one page type
    # allowed there, specific, with its locale); below a news index, its child or the
    # fallback story, with its versions, in one query (news.models.story_child; issue 33:
    # 10 before, then 8).
    assert cold == {"home": 5, "index": 5, "story": 6, "fallback": 6, "redirect": 6}
    # Then: the page, loaded and checked again (the target: at most 6).
    assert warm == dict.fromkeys(paths, 1)

    whole = {}
    for name, path in paths.items():
        url = f"/api/v1/resolve/?path={quote(path)}"
        client.get(url)  # warm-up
        whole[name] = count(client, url)
    print("resolve requests:", whole)
    # The page with every version of it (its translations; a story's topic and author ids
    # and curated stories too, as annotations); the response cache itself reads no SQL.
    assert whole == dict.fromkeys(paths, 1)
