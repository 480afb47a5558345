"""<head> metadata: title, description, Open Graph, Twitter card, feed links, JSON-LD."""

import json
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from news.i18n import swap_language_prefix
from news.presentation import news_page_context
from tests.factories import make_news


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link> and ld+json blocks of a page."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta = {}  # name/property -> [content, ...]
        self.links = []
        self.json_ld = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def article_of(parser):
    assert len(parser.json_ld) == 1
    data = json.loads(parser.json_ld[0])
    assert data["@type"] == "NewsArticle"
    return data


def test_news_page_head(client, newsroom):
    page = newsroom.ru_translated
    head = head_of(client, page.url)
    assert head.title == "Первая — Newsdesk"
    assert head.one("description") == "Лид первой новости"
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "Первая"
    assert head.one("og:description") == "Лид первой новости"
    assert head.one("og:url") == page.get_full_url(None)
    assert head.one("og:locale") == "ru_RU"
    assert head.meta["og:locale:alternate"] == ["kk_KZ"]
    image = head.one("og:image")
    assert image.startswith("http://testserver/media/images/")
    assert "fill-1200x630" in image
    assert head.one("og:image:type") == "image/jpeg"
    assert head.one("og:image:alt")
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == image
    assert head.meta["article:tag"] == ["Экономика (ru)"]
    feeds = {
        (link.get("type"), link["href"]) for link in head.links if link.get("rel") == "alternate"
    }
    assert ("application/rss+xml", "/ru/news/feed/rss/") in feeds
    assert ("application/atom+xml", "/ru/news/feed/atom/") in feeds


def test_json_ld_news_article(client, newsroom):
    page = newsroom.ru_translated
    page.refresh_from_db()
    data = article_of(head_of(client, page.url))
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Первая"
    assert data["inLanguage"] == "ru"
    assert data["description"] == "Лид первой новости"
    assert data["datePublished"]
    assert data["dateModified"] == page.last_published_at.isoformat()
    assert data["image"]["url"].startswith("http://testserver/media/images/")
    assert data["publisher"]["name"] == "Newsdesk"
    assert data["publisher"]["url"] == "http://localhost/"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": page.get_full_url(None)}
    assert data["keywords"] == ["Экономика (ru)"]
    assert "author" not in data  # no byline on the model: no invented author


def test_fallback_page_declares_the_content_language(client, newsroom):
    """A Kazakh story served under /ru/: the UI is Russian, the content Kazakh."""
    page = newsroom.fallback_only
    url = swap_language_prefix(page.url, "ru")
    assert url.startswith("/ru/")
    head = head_of(client, url)
    data = article_of(head)
    assert data["inLanguage"] == "kk"
    assert data["headline"] == "Екінші"
    assert data["mainEntityOfPage"]["@id"] == page.get_full_url(None)
    assert head.one("og:locale") == "kk_KZ"
    assert head.one("og:url") == page.get_full_url(None)
    # Feeds offered are those of the reader's language.
    hrefs = {link["href"] for link in head.links if link.get("type") == "application/rss+xml"}
    assert "/ru/news/feed/rss/" in hrefs
    # No image: a small card, and no og:image.
    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta
    assert "image" not in data


def test_seo_fields_from_the_promote_tab_win(client, newsroom):
    page = newsroom.translated
    page.seo_title = "Іздеу жүйелеріне арналған тақырып"
    page.search_description = "Іздеу жүйелеріне арналған сипаттама"
    page.save_revision().publish()
    head = head_of(client, page.url)
    assert head.title == "Іздеу жүйелеріне арналған тақырып — Newsdesk"
    assert head.one("description") == "Іздеу жүйелеріне арналған сипаттама"
    assert head.one("og:title") == "Іздеу жүйелеріне арналған тақырып"
    assert head.one("twitter:description") == "Іздеу жүйелеріне арналған сипаттама"
    # The headline stays the article's own title.
    assert article_of(head)["headline"] == "Бірінші"


def test_home_and_index_have_no_news_article(client, newsroom):
    for page in (newsroom.home, newsroom.ru_index):
        head = head_of(client, page.url)
        assert head.json_ld == []
        assert head.one("og:type") == "website"
        assert head.one("og:site_name") == "Newsdesk"


def test_json_ld_is_escaped_inside_the_script_block(site_tree):
    _home, index = site_tree
    title = 'Сын </script><script>alert("x")</script> & <b>'
    page = make_news(index, title, lead="Лид <!-- --> & ")
    request = RequestFactory().get(page.url)
    with translation.override("kk"):
        context = {"page": page, "request": request, "site_name": "Newsdesk"}
        context.update(news_page_context(page, "kk", request))
        html = render_to_string("news/components/seo_head.html", context)
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == title
    assert data["description"] == "Лид <!-- --> &"
    # Everywhere else the title is HTML-escaped, never raw.
    assert "<script>alert" not in html


def test_head_costs_a_constant_number_of_queries(client, newsroom, django_assert_max_num_queries):
    """The SEO head adds at most the hero image and its rendition to a page view."""
    page = newsroom.ru_translated
    client.get(page.url)  # warm-up
    request = RequestFactory().get(page.url)
    with translation.override("ru"):
        context = {"page": page, "request": request, "site_name": "Newsdesk"}
        context.update(news_page_context(page, "ru", request))
        with django_assert_max_num_queries(2):
            render_to_string("news/components/seo_head.html", context)


def test_topic_listing_offers_the_topic_feeds(client, newsroom):
    head = head_of(client, newsroom.ru_index.url + "?topic=ekonomika-ru")
    hrefs = {link["href"] for link in head.links if link.get("rel") == "alternate"}
    assert "/ru/news/topic/ekonomika-ru/feed/rss/" in hrefs
    assert "/ru/news/topic/ekonomika-ru/feed/atom/" in hrefs
    assert client.get("/ru/news/topic/ekonomika-ru/feed/rss/").status_code == 200


def test_pages_without_a_lead_describe_themselves_with_their_intro(client, newsroom):
    home = newsroom.home
    home.intro = "<p>Басты <b>жаңалықтар</b> &amp; оқиғалар</p>"
    home.save_revision().publish()
    head = head_of(client, home.url)
    assert head.one("description") == "Басты жаңалықтар & оқиғалар"
    assert head.title == "Басты бет — Newsdesk"
