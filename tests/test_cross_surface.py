"""One story, four surfaces: the HTML page, API v1, API v2 and the full feed agree.

The story (Kazakh) links to a story with a Russian translation, to a Kazakh-only
story and to a draft; it has a heading, a quote, an image and an embed. For readers
of Kazakh and of Russian, every surface must send each internal link to the same
language version (news.links), show the draft link as plain text, and carry the same
data for every block (news.blocks through news.rendering).
"""

import re
from html.parser import HTMLParser

import feedparser
import pytest
from django.utils import translation
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import expand_db_html

from tests.factories import make_image, make_news, translate

ORIGIN = "http://testserver"
EMBED_URL = "https://www.youtube.com/watch?v=cross"
LINK_TEXTS = ("нысана", "басқа", "жоба")
QUOTE = {
    "text": "Біз жапондық нарыққа шығуды қалаймыз.",
    "attribution": "Марат Сұлтанғазиев",
    "role": "Әкім",
}


class _Anchors(HTMLParser):
    """``{link text: href or None}`` of the anchors of an HTML fragment, and its images."""

    def __init__(self):
        super().__init__()
        self.links, self.images, self._open = {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._open.append([attrs.get("href"), ""])
        elif tag == "img":
            self.images.append(attrs)

    def handle_data(self, data):
        for anchor in self._open:
            anchor[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links[text.strip()] = href


def anchors(*fragments):
    parser = _Anchors()
    for fragment in fragments:
        parser.feed(fragment)
    links = {
        text: href.removeprefix(ORIGIN) if href else href
        for text, href in parser.links.items()
        if text in LINK_TEXTS
    }
    return links, parser.images


@pytest.fixture
def translated_story(site_tree, settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""
    home, index = site_tree
    translate(home, "ru", strings={"Басты бет": "Главная"})
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    target = make_news(index, "Нысана", slug="nysana")
    translate(target, "ru", strings={"nysana": "mishen", "Нысана": "Мишень"})
    kk_only = make_news(index, "Тек қазақша", slug="tek-qazaqsha")
    draft = make_news(index, "Жоба", slug="zhoba-draft", publish=False)
    picture = make_image("Қол қою сәті", width=400, height=300)
    # A cached oEmbed answer (hash as Wagtail computes it): no surface goes to the network.
    Embed.objects.create(
        url=EMBED_URL,
        hash=get_embed_hash(EMBED_URL, None, None),
        max_width=None,
        type="video",
        html='<iframe src="https://www.youtube.com/embed/cross"></iframe>',
        title="Бейне",
        thumbnail_url="",
        width=480,
        height=270,
    )
    page = make_news(
        index,
        "Толық хабар",
        slug="toliq",
        body=[
            ("heading", {"text": "Тақырыпша", "level": "h3"}),
            (
                "paragraph",
                f'<p>Қараңыз: <a linktype="page" id="{target.pk}">нысана</a>, '
                f'<a linktype="page" id="{kk_only.pk}">басқа</a> және '
                f'<a linktype="page" id="{draft.pk}">жоба</a>.</p>',
            ),
            ("quote", {**QUOTE, "source_url": "https://example.com/q"}),
            ("image", {"image": picture, "caption": "Қол қою", "credit": "ҚазАқпарат"}),
            ("embed", EMBED_URL),
        ],
    )
    return page


EXPECTED_LINKS = {
    "kk": {
        "нысана": "/kk/zhanalyqtar/nysana/",
        "басқа": "/kk/zhanalyqtar/tek-qazaqsha/",
        "жоба": None,  # a draft: plain text everywhere
    },
    "ru": {
        "нысана": "/ru/novosti/mishen/",  # the live Russian translation
        "басқа": "/ru/zhanalyqtar/tek-qazaqsha/",  # Kazakh only: its Russian fallback URL
        "жоба": None,
    },
}


def _html_surface(client, page, language):
    url = page.url if language == "kk" else f"/ru/novosti/{page.slug}/"
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    paragraphs = re.findall(r'<div class="block-paragraph rich-text">(.*?)</div>', html, re.S)
    links, _images = anchors(*paragraphs)
    heading = re.search(r'<h3 class="block-heading">(.*?)</h3>', html, re.S).group(1)
    quote = re.search(r'<figure class="quote">(.*?)</figure>', html, re.S).group(1)
    figure = re.search(r'<figure class="block-image">(.*?)</figure>', html, re.S).group(1)
    _links, images = anchors(figure)
    embed = re.search(r'<figure class="block-embed">(.*?)</figure>', html, re.S).group(1)
    embed_links = re.findall(r'<figcaption class="caption"><a href="([^"]+)"', embed)
    return {
        "links": links,
        "heading": heading.strip(),
        "quote": {
            "text": re.search(r"<blockquote[^>]*><p>(.*?)</p>", quote, re.S).group(1),
            "attribution": re.search(r'quote__speaker">(.*?)<', quote).group(1),
            "role": re.search(r'quote__role">(.*?)<', quote).group(1),
        },
        "image": {"url": images[0]["src"], "alt": images[0]["alt"]},
        "embed": embed_links[0],
    }


def _from_blocks(body):
    """The same facts from typed blocks (API v1 and API v2 give the same block output)."""
    by_type = {block["type"]: block["value"] for block in body}
    links, _images = anchors(by_type["paragraph"]["html"])
    image = by_type["image"]["image"]
    return {
        "links": links,
        "heading": by_type["heading"]["text"],
        "quote": {key: by_type["quote"][key] for key in QUOTE},
        "image": {"url": image["renditions"]["medium"]["url"], "alt": image["alt"]},
        "embed": by_type["embed"]["url"],
    }


def _api_v1_surface(client, page, language):
    response = client.get(f"/api/v1/news/{page.pk}/", {"locale": language})
    assert response.status_code == 200
    return _from_blocks(response.json()["body"])


def _api_v2_surface(client, page, language):
    # API v2 has no language parameter for a detail: LocaleMiddleware's language
    # (Accept-Language, else the default) is the reader's.
    response = client.get(f"/api/v2/pages/{page.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:300]
    return _from_blocks(response.json()["body"])


def _feed_surface(client, page, language):
    response = client.get(f"/{language}/news/feed/rss/", {"full": "1"})
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    entry = next(e for e in parsed.entries if e.link.endswith(f"/{page.slug}/"))
    body = next(c.value for c in entry.content if c.type == "text/html")
    links, images = anchors(body)
    return {
        "links": links,
        "heading": re.search(r"<h3>(.*?)</h3>", body).group(1),
        "quote": {
            "text": re.search(r"<blockquote><p>(.*?)</p>", body).group(1),
            # The feed writes "— speaker, role" in the quote's footer.
            "attribution": re.search(r"<footer>— (.*?), ", body).group(1),
            "role": re.search(r"<footer>— .*?, (.*?)</footer>", body).group(1),
        },
        "image": {"url": images[0]["src"].removeprefix(ORIGIN), "alt": images[0]["alt"]},
        "embed": re.search(r'<p><a href="([^"]+)">', body).group(1),
    }


SURFACES = {
    "html": _html_surface,
    "api_v1": _api_v1_surface,
    "api_v2": _api_v2_surface,
    "feed_full": _feed_surface,
}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_surface_shows_the_same_story(client, translated_story, language):
    seen = {name: surface(client, translated_story, language) for name, surface in SURFACES.items()}

    for name, facts in seen.items():
        assert facts["links"] == EXPECTED_LINKS[language], name
    reference = seen["api_v1"]
    assert reference["heading"] == "Тақырыпша"
    assert reference["quote"] == QUOTE
    assert reference["image"]["alt"] == "Қол қою сәті"
    assert reference["image"]["url"].startswith("/")
    assert reference["embed"] == EMBED_URL
    for name, facts in seen.items():
        assert facts == reference, name


def test_the_draft_link_keeps_its_text_and_loses_its_target(client, translated_story):
    """Plain text: the words stay, nothing points at the draft's address."""
    pages = [
        client.get(translated_story.url).content.decode(),
        client.get(f"/api/v1/news/{translated_story.pk}/").content.decode(),
        client.get(f"/api/v2/pages/{translated_story.pk}/").content.decode(),
        client.get("/kk/news/feed/rss/?full=1").content.decode(),
    ]
    for text in pages:
        assert "zhoba-draft" not in text
    assert "<a>жоба</a>" in pages[0]


def test_page_links_of_a_fragment_cost_one_query(translated_story, django_assert_num_queries):
    """expand_db_html hands every page link of a fragment to news.links at once."""
    source = translated_story.body.raw_data[1]["value"]
    # As in a request: site root paths cached.
    with translation.override("ru"):
        expand_db_html(source)
        with django_assert_num_queries(1):
            html = expand_db_html(source * 5)
    links, _images = anchors(html)
    assert links == EXPECTED_LINKS["ru"]
