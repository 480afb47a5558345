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
from wagtail.models import Locale, Page

from news.kazakh_latin import edition
from news.kazakh_latin.spellings import LatinSpelling
from news.models import NewsPage
from tests.factories import make_news

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[^>]+>")
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _section(html, start, end="</div>"):
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def _article_text(html):
    """The article's text (title, lead, body) as a reader reads it."""
    start = html.index('<div class="article__content"')
    return TAG.sub(" ", html[start : html.index("</article>", start)])


def _json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def _alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.fixture(autouse=True)
def _edition_on(settings):
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = True  # as in the reference site


@pytest.fixture
def story(site_tree):
    _home, index = site_tree
    return make_news(index, "Байланыстарды нығайту", lead="Жапония мен Қазақстан")


def test_the_demo_kazakh_pages_each_have_a_latin_twin(client, db):
    """One test on purpose: load_demo takes seconds. Every live Kazakh page of the demo,
    the seed article included, reads in Latin letters under /kk-latn/."""
    call_command("load_demo", allow_demo_credentials=True, stdout=io.StringIO())
    kazakh = Page.objects.live().filter(locale__language_code="kk", depth__gt=1).specific()
    assert len(kazakh) > 10
    for page in kazakh:
        twin = edition.latin_path(page.url)
        assert twin.isascii(), twin
        response = client.get(twin)
        assert response.status_code == 200, (page.url, twin)
        html = response.content.decode()
        assert '<html lang="kk-Latn"' in html
        assert response["Content-Language"] == "kk-Latn"
        if isinstance(page, NewsPage):
            share = edition.cyrillic_share(_article_text(html))
            assert share < 0.01, (page.title, share)
            assert _json_ld(html)["inLanguage"] == "kk-Latn"
            assert edition.latin_path(page.url) in _alternates(html)["kk-Latn"]
    seed = NewsPage.objects.get(
        locale__language_code="kk",
        first_published_at__isnull=False,
        pk=min(NewsPage.objects.filter(locale__language_code="kk").values_list("pk", flat=True)),
    )
    html = client.get(edition.latin_path(seed.url)).content.decode()
    assert edition.cyrillic_share(_article_text(html)) < 0.01
    # Every Kazakh page names its twin; the twin names the Kazakh page.
    kazakh_html = client.get(seed.url).content.decode()
    assert _alternates(kazakh_html)["kk-Latn"].endswith(edition.latin_path(seed.url))
    assert _alternates(html)["kk"] == _alternates(kazakh_html)["kk"]


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
    switcher = _section(html, '<nav class="lang-switcher"', "</nav>")
    assert f'href="{story.url}" lang="kk" hreflang="kk" translate="no">Қазақша</a>' in switcher
    assert 'hreflang="kk-Latn" aria-current="page"' in switcher
    data = _json_ld(html)
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
    content = _section(html, '<div class="article__content"', "</h1>")
    assert 'lang="ru"' in content
    assert "Новая школа в Конаеве" in content
    notice = _section(html, "fallback", "</")
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


def test_sitemaps_list_the_twins_with_alternates(client, story):
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
