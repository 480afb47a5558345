"""The Latin edition (``/kk-latn/``, ``locale=kk-Latn``), through the real stack.

Pages, feeds, sitemaps and the API are asked for through the test client, with the site's
middleware and response cache; nothing of ours is mocked.
"""

import io
import json
import re

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from news.kazakh_latin import edition
from news.kazakh_latin.spellings import LatinSpelling
from tests.factories import make_news
from tests.kazakh_latin.twins import NS, TAG, json_ld, section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _edition_on(settings):
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = True  # as in the reference site


@pytest.fixture
def story(site_tree):
    _home, index = site_tree
    return make_news(index, "Байланыстарды нығайту", lead="Жапония мен Қазақстан")


def test_the_twin_is_the_kazakh_page_in_latin_letters(client, story):
    response = client.get(edition.latin_path(story.url))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Bailanystardy nyğaitu" in html
    assert '<p class="article__lead">Japoniia men Qazaqstan</p>' in html
    assert '<div class="article__content" lang="kk-Latn">' in html
    # The site's own words, and links that stay in the edition.
    assert 'href="/kk-latn/zhanalyqtar/"' in html
    assert ">Jañalyqtar<" in html
    assert (
        '<link rel="canonical" href="http://localhost/kk-latn/zhanalyqtar/bailanystardy-nygaitu/">'
        in html
    )
    # The switcher: Қазақша (the Kazakh page) and Qazaqşa (this one, current).
    switcher = section(html, '<nav class="lang-switcher"', "</nav>")
    assert f'href="{story.url}" lang="kk" hreflang="kk" translate="no">Қазақша</a>' in switcher
    assert 'hreflang="kk-Latn" aria-current="page"' in switcher
    data = json_ld(html)
    assert data["headline"] == "Bailanystardy nyğaitu"
    assert data["url"].endswith("/kk-latn/zhanalyqtar/bailanystardy-nygaitu/")


def test_a_cyrillic_path_under_kk_latn_redirects_to_the_ascii_twin(client, story):
    cyrillic = "/kk-latn/zhanalyqtar/байланыстарды-нығайту/?page=2"
    response = client.get(cyrillic)
    assert response.status_code == 301
    assert response["Location"] == "/kk-latn/zhanalyqtar/bailanystardy-nygaitu/?page=2"
    assert client.get("/kk-latn/no-such-page/").status_code == 404


def test_the_route_words_have_latin_twins(client, story):
    response = client.get("/kk-latn/tuzetuler/")  # /kk/түзетулер/
    assert response.status_code == 200
    assert '<html lang="kk-Latn"' in response.content.decode()


def test_a_russian_only_story_keeps_its_russian_text_with_the_notice_in_latin_kazakh(
    client, ru_site
):
    _home, _index, _ru_home, ru_index = ru_site
    story = make_news(ru_index, "Новая школа в Конаеве", lead="Открылась школа")
    kazakh_url = "/kk/novosti/" + story.slug + "/"
    assert client.get(kazakh_url).status_code == 200
    twin = edition.latin_path(kazakh_url)
    assert twin.isascii()
    html = client.get(twin).content.decode()
    content = section(html, '<div class="article__content"', "</h1>")
    assert 'lang="ru"' in content
    assert "Новая школа в Конаеве" in content
    notice = section(html, "fallback", "</")
    assert not re.search("[а-яәіңғүұқөһ]", TAG.sub("", notice), re.IGNORECASE), notice


def test_a_correction_to_the_kazakh_story_reaches_its_twin_at_once(client, story):
    twin = edition.latin_path(story.url)
    first = client.get(twin)
    assert client.get(twin)["X-Cache"] == "hit"
    story.title = "Байланыстарды түзету"
    story.save_revision().publish()
    after = client.get(twin)
    assert "Bailanystardy tüzetu" in after.content.decode()
    assert after["ETag"] != first["ETag"]
    # And a new exception of the editors reaches every Latin answer at once.
    assert client.get(twin)["X-Cache"] == "hit"
    LatinSpelling.objects.create(cyrillic="Жапония", latin="Japan")
    assert "Japan men Qazaqstan" in client.get(twin).content.decode()


def test_the_twin_answers_304_to_its_own_etag_and_carries_the_spellings_key(client, story):
    twin = edition.latin_path(story.url)
    first = client.get(twin)
    kazakh = client.get(story.url)
    assert first["ETag"] != kazakh["ETag"]
    assert client.get(twin, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(twin, HTTP_IF_NONE_MATCH=kazakh["ETag"]).status_code == 200
    from news import cache_keys

    keys = first["Surrogate-Key"].split()
    assert cache_keys.public(edition.SPELLINGS_KEY) in keys
    assert set(kazakh["Surrogate-Key"].split()) <= set(keys)


def test_feeds_under_kk_latn(client, story):
    response = client.get("/kk-latn/news/feed/rss/")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.findtext("channel/language") == "kk-Latn"
    item = root.find("channel/item")
    assert item.findtext("title") == "Bailanystardy nyğaitu"
    assert "/kk-latn/zhanalyqtar/bailanystardy-nygaitu/" in item.findtext("link")
    atom = client.get("/kk-latn/news/feed/atom/").content.decode()
    assert 'xml:lang="kk-Latn"' in atom
    assert "Bailanystardy nyğaitu" in atom


def test_sitemaps_list_the_twins_withalternates(client, story):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces=NS)
        }
        for url in root.findall("s:url", namespaces=NS)
    }
    twin = "http://localhost" + edition.latin_path(story.url)
    assert twin in urls
    assert urls[twin]["kk-Latn"] == twin
    assert urls[twin]["kk"] == story.get_full_url()
    assert urls[story.get_full_url()]["kk-Latn"] == twin


def test_the_api_answers_kk_latn(client, story):
    response = client.get("/api/v1/news/", {"locale": "kk-Latn"})
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["title"] == "Bailanystardy nyğaitu"
    assert item["locale"] == "kk-Latn"
    assert response["Content-Language"] == "kk-Latn"
    detail = client.get(f"/api/v1/news/{story.pk}/", {"locale": "kk-Latn"}).json()
    assert detail["title"] == "Bailanystardy nyğaitu"
    assert detail["locale"] == "kk-Latn"
    assert not re.search("[а-яәіңғүұқөһ]", json.dumps(detail["body"], ensure_ascii=False), re.I)
    # Kazakh stays Kazakh.
    assert client.get("/api/v1/news/", {"locale": "kk"}).json()["results"][0]["title"] == (
        "Байланыстарды нығайту"
    )


def test_search_under_kk_latn_takes_latin_and_cyrillic_queries(client, story):
    call_command("rebuild_search_index", stdout=io.StringIO())
    for query in ("nygaitu", "нығайту"):
        html = client.get("/kk-latn/search/", {"q": query}).content.decode()
        assert "Bailanystardy" in html, query
        assert 'href="/kk-latn/zhanalyqtar/bailanystardy-nygaitu/"' in html


def test_kk_latn_is_no_locale_and_no_language_of_the_admin(client, story):
    assert "kk-latn" not in [code.lower() for code, _name in settings.LANGUAGES]
    assert not Locale.objects.filter(language_code__istartswith="kk-").exists()
    assert "kk-latn" not in [code.lower() for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def test_a_host_without_the_edition_sees_nothing_change(client, story, settings):
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = False
    assert client.get(edition.latin_path(story.url)).status_code == 404
    html = client.get(story.url).content.decode()
    assert "kk-Latn" not in html and "/kk-latn/" not in html
    response = client.get("/api/v1/news/", {"locale": "kk-Latn"})
    assert response.status_code == 400


def test_the_api_keeps_a_fallback_in_its_language_with_the_notice_in_latin(client, ru_site):
    _home, _index, _ru_home, ru_index = ru_site
    story = make_news(ru_index, "Новая школа в Конаеве", lead="Открылась школа")
    item = client.get("/api/v1/news/", {"locale": "kk-Latn"}).json()["results"][0]
    assert item["title"] == "Новая школа в Конаеве"
    assert item["locale"] == "ru" and item["is_fallback"] is True
    notice = item["fallback_notice"]
    assert notice and not re.search("[а-яәіңғүұқөһ]", notice, re.I), notice
    detail = client.get(f"/api/v1/news/{story.pk}/", {"locale": "kk-Latn"})
    assert detail.json()["lead"] == "Открылась школа"
    assert detail["Content-Language"] == "ru"


def test_feeds_keep_a_fallback_story_in_its_language(client, ru_site):
    _home, _index, _ru_home, ru_index = ru_site
    make_news(ru_index, "Новая школа в Конаеве", lead="Открылась школа")
    root = ElementTree.fromstring(client.get("/kk-latn/news/feed/rss/").content)
    item = root.find("channel/item")
    assert item.findtext("title") == "(Русский) Новая школа в Конаеве"  # marked, as under /kk/
    assert "Открылась школа" in item.findtext("description")


def test_the_api_lists_the_kazakh_version_and_its_twin_and_resolves_latin_paths(client, story):
    detail = client.get(f"/api/v1/news/{story.pk}/", {"locale": "kk-Latn"}).json()
    versions = [(v["locale"], v["title"], v["api_url"][-10:]) for v in detail["translations"]]
    assert versions == [
        ("kk", "Байланыстарды нығайту", "?locale=kk"),
        ("kk-Latn", "Bailanystardy nyğaitu", "le=kk-Latn"),
    ]
    twin = edition.latin_path(story.url)
    resolved = client.get("/api/v1/resolve/", {"path": twin})
    assert resolved.status_code == 200
    assert resolved.json()["item"]["title"] == "Bailanystardy nyğaitu"
    assert resolved.json()["requested_locale"] == "kk-Latn"
    missing = client.get("/api/v1/news/999999/", {"locale": "kk-Latn"})
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")
    assert not re.search("[а-яәіңғүұқөһ]", missing.content.decode(), re.I)


def test_a_cached_twin_reads_no_sql_and_an_uncached_one_what_the_kazakh_page_reads(
    client, story, settings, django_assert_num_queries
):
    twin = edition.latin_path(story.url)
    client.get(twin)
    with django_assert_num_queries(0):
        assert client.get(twin)["X-Cache"] == "hit"
    settings.NEWSDESK_RESPONSE_CACHE = False
    client.get(story.url)
    client.get(twin)
    with CaptureQueriesContext(connection) as kazakh:
        client.get(story.url)
    with CaptureQueriesContext(connection) as latin:
        assert client.get(twin).status_code == 200
    assert len(latin.captured_queries) == len(kazakh.captured_queries)


def test_the_edition_without_its_middleware_is_a_warning(settings):
    from news.checks import check_installation

    assert "newsdesk.W070" not in [e.id for e in check_installation()]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "kazakh_latin" not in m]
    assert "newsdesk.W070" in [e.id for e in check_installation()]
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = False
    assert "newsdesk.W070" not in [e.id for e in check_installation()]
