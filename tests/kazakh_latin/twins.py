"""What a Latin twin must be: helpers of tests/kazakh_latin/test_edition.py and test_demo.py."""

import json
import re

from wagtail.models import Page

from news.kazakh_latin import edition
from news.models import NewsPage

TAG = re.compile(r"<[^>]+>")
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def section(html, start, end="</div>"):
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def article_text(html):
    """The article's text (title, lead, body) as a reader reads it."""
    start = html.index('<div class="article__content"')
    return TAG.sub(" ", html[start : html.index("</article>", start)])


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def check_latin_twins(client, seed_title):
    """Every live Kazakh page (the demo's: tests/test_demo.py calls this after load_demo,
    which takes seconds) reads in Latin letters under /kk-latn/; news pages keep under 1%
    of their letters in Cyrillic, say ``inLanguage: kk-Latn`` and name their twin."""
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
            share = edition.cyrillic_share(article_text(html))
            assert share < 0.01, (page.title, share)
            assert json_ld(html)["inLanguage"] == "kk-Latn"
            assert alternates(html)["kk-Latn"].endswith(twin)
    seed = NewsPage.objects.get(title=seed_title)
    html = client.get(edition.latin_path(seed.url)).content.decode()
    assert edition.cyrillic_share(article_text(html)) == 0  # the seed has no URL nor code
    assert "Jun Yamada" in html  # the demo's Latin spellings (home/demo/team.py)
    kazakh_html = client.get(seed.url).content.decode()
    assert alternates(kazakh_html)["kk-Latn"].endswith(edition.latin_path(seed.url))
    assert alternates(html)["kk"] == alternates(kazakh_html)["kk"]
