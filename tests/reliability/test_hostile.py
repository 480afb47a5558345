"""Hostile content: escaped or stripped everywhere it is shown, never a 500.

Every hostile string goes into every field an editor (or an import) can fill:
titles, leads, quote text, speaker and role, captions, credits, headings, topic
names, rich text links and quote source URLs. Every surface that shows them
(HTML pages, JSON-LD, feeds, sitemaps, the v1 and v2 APIs, search) is then
fetched and audited: no executable script, no event handler, no script URL, no
data block that breaks out of its <script> element.
"""

import json

import pytest
from django.core.exceptions import ValidationError

from news.models import NewsPage, NewsTopic
from tests.factories import NewsTopicFactory, make_image, make_news, translate
from tests.reliability.audit import audit_html, audit_json, audit_xml

SCRIPT = "<script>alert('xss-script')</script>"
IMG = "<img src=x onerror=alert('xss-img')>"
BREAKOUT = "\"'><svg onload=alert('xss-svg')></script><script>alert('xss-break')</script>"
JS_URL = "javascript:alert('xss-url')"
ENCODED_JS_URL = "jav&#x09;ascript:alert('xss-url2')"
LONG = "Ұзақ мәтін " * 910  # 10,010 characters

HOSTILE_STRINGS = [SCRIPT, IMG, BREAKOUT, JS_URL, ENCODED_JS_URL, LONG]
EXECUTED_MARKERS = [b"alert('xss", b"alert(&#x27;xss", b"alert(&#39;xss"]


def hostile(text, limit=None):
    value = f"{text} {SCRIPT} {IMG} {BREAKOUT}"
    return value[:limit] if limit else value


def hostile_body(photo, long=False):
    filler = LONG if long else ""
    return [
        ("heading", {"text": hostile("Тақырыпша", 255), "level": "h2"}),
        (
            "paragraph",
            f"<p>Мәтін {filler}<script>alert('xss-p')</script>"
            f"<img src=x onerror=alert('xss-p-img')>"
            f'<a href="{JS_URL}">сілтеме</a> <a href="{ENCODED_JS_URL}">екі</a> '
            f'<a href=" JaVaScRiPt:alert(1)">үш</a> <b onclick="alert(1)">қалың</b>'
            f"<iframe src=\"javascript:alert('xss-frame')\"></iframe>"
            f"<style>body{{display:none}}</style></p>",
        ),
        (
            "quote",
            {
                "text": hostile("Дәйексөз") + filler,
                "attribution": hostile("Спикер", 255),
                "role": hostile("Лауазым", 255),
                "source_url": JS_URL,
            },
        ),
        (
            "image",
            {"image": photo, "caption": hostile("Сурет", 500), "credit": hostile("Автор", 255)},
        ),
    ]


@pytest.fixture
def hostile_site(site_tree, settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""
    home, index = site_tree
    ru_home = translate(home, "ru")
    ru_index = translate(index, "ru", strings={"zhanalyqtar": "novosti"})
    topic = NewsTopicFactory(name=hostile("Тақырып", 100), slug="hostile-topic")
    photo = make_image(hostile("Фото", 255))
    plain = make_news(index, "Қарапайым жаңалық")
    page = make_news(
        index,
        hostile("Жаңалық", 255),
        topics=[topic],
        related=[plain],
        image=photo,
        lead=hostile("Лид") + LONG,
        image_caption=hostile("Қолтаңба", 500),
        image_credit=hostile("Автор", 255),
        seo_title=hostile("SEO", 255),
        search_description=hostile("Сипаттама") + LONG,
        body=hostile_body(photo, long=True),
    )
    long_page = make_news(
        index,
        ("Өте ұзын тақырып " * 20)[:255],
        topics=[topic],
        lead=LONG,
        body=hostile_body(photo, long=True),
    )
    return {
        "home": home,
        "index": index,
        "ru_home": ru_home,
        "ru_index": ru_index,
        "page": page,
        "long_page": long_page,
        "plain": plain,
        "topic": topic,
    }


def surfaces(s):
    page, long_page, plain = s["page"], s["long_page"], s["plain"]
    fallback = f"{s['ru_index'].url}{page.slug}/"
    return [
        ("html", s["home"].url),
        ("html", s["ru_home"].url),
        ("html", s["index"].url),
        ("html", s["ru_index"].url),
        ("html", f"{s['index'].url}?topic={s['topic'].slug}"),
        ("html", page.url),
        ("html", long_page.url),
        ("html", fallback),
        ("html", plain.url),  # its other-news block shows the hostile story
        ("html", "/kk/search/?q=" + "Жаңалық"),
        ("html", "/kk/search/?q=" + "<script>alert(1)</script>"),
        ("html", "/ru/search/?q=" + "x" * 10_000),
        ("xml", "/kk/news/feed/rss/"),
        ("xml", "/kk/news/feed/rss/?full=1"),
        ("xml", "/kk/news/feed/atom/"),
        ("xml", "/kk/news/feed/atom/?full=1"),
        ("xml", "/ru/news/feed/rss/?full=1"),
        ("xml", f"/kk/news/topic/{s['topic'].slug}/feed/rss/"),
        ("xml", "/sitemap.xml"),
        ("xml", "/news-sitemap.xml"),
        ("json", "/api/v1/news/?locale=kk"),
        ("json", "/api/v1/news/?locale=ru"),
        ("json", f"/api/v1/news/{page.pk}/?locale=kk"),
        ("json", f"/api/v1/news/{page.pk}/?locale=ru"),
        ("json", f"/api/v1/news/{long_page.pk}/"),
        ("json", f"/api/v1/news/{plain.pk}/other/?locale=kk"),
        ("json", f"/api/v1/resolve/?path={page.url}"),
        ("json", f"/api/v1/resolve/?path={fallback}"),
        ("json", "/api/v1/search/?q=Жаңалық&locale=kk"),
        ("json", "/api/v1/search/suggest/?q=Жаң&locale=kk"),
        ("json", f"/api/v2/pages/{page.pk}/"),
    ]


def check(client, kind, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code == 404:
        return response, None
    assert response.status_code == 200, (url, response.status_code)
    content = response.content
    for marker in EXECUTED_MARKERS:
        # Escaped text is fine (&lt;script&gt;…); an executable tag is not.
        # (an escaped "onerror=alert(" inside text is harmless: the parsers below
        # look for real attributes)
        assert b"<script>" + marker not in content, url
    if kind == "html":
        problems = audit_html(content.decode())
    elif kind == "xml":
        problems = audit_xml(content)
    else:
        problems = audit_json(json.loads(content))
    assert problems == {}, (url, problems)
    return response, content


@pytest.mark.django_db
def test_hostile_content_is_neutralised_on_every_surface(client, hostile_site):
    checked = []
    missing = []
    for kind, url in surfaces(hostile_site):
        response, content = check(client, kind, url)
        (checked if content is not None else missing).append(url)
    # Every surface of the site exists: a 404 would hide a missing check.
    assert missing == [], missing
    assert len(checked) == len(surfaces(hostile_site))


@pytest.mark.django_db
def test_hostile_text_is_shown_escaped_not_lost(client, hostile_site):
    page = hostile_site["page"]
    html = client.get(page.url).content.decode()
    assert "&lt;script&gt;alert(" in html  # the title/lead text is there, escaped
    assert "Ұзақ мәтін Ұзақ мәтін" in html  # long strings are rendered, not cut to an error
    detail = client.get(f"/api/v1/news/{page.pk}/?locale=kk").json()
    assert detail["title"] == page.title  # JSON carries the exact text, as data
    assert SCRIPT in detail["lead"]
    quote = next(block for block in detail["body"] if block["type"] == "quote")
    assert quote["value"]["source_url"] == ""  # javascript: never leaves the server
    assert SCRIPT in quote["value"]["text"]
    paragraph = next(block for block in detail["body"] if block["type"] == "paragraph")
    assert "<script" not in paragraph["value"]["html"]
    assert "onerror" not in paragraph["value"]["html"]
    assert "сілтеме" in paragraph["value"]["html"]  # link text kept, href dropped


@pytest.mark.django_db
def test_json_ld_carries_exact_text_without_breaking_out(client, hostile_site):
    page = hostile_site["page"]
    html = client.get(page.url).content.decode()
    blocks = html.split('<script type="application/ld+json">')[1:]
    assert blocks, "news page has JSON-LD"
    for block in blocks:
        payload = block.split("</script>", 1)[0]
        assert "<" not in payload  # every < is \u003c inside the data block
        data = json.loads(payload)
        assert isinstance(data, dict | list)
    values = []
    for block in blocks:
        values += _strings(json.loads(block.split("</script>", 1)[0]))
    # The headline (SEO title, else title; possibly shortened) is the exact text, as
    # data: not HTML-escaped, not stripped.
    prefixes = (page.seo_title[:40], page.title[:40])
    assert any(value.startswith(prefixes) for value in values), values[:5]


def _strings(data):
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


HOSTILE_PARAMETERS = [
    "q=" + "<script>alert(1)</script>",
    "q=" + "ж" * 10_000,
    "topic=" + "<img src=x onerror=alert(1)>",
    "topic=" + "t" * 10_000,
    "locale=<script>",
    "date_from=<script>",
    "page=" + "9" * 1000,
    "page_size=" + "javascript:alert(1)",
    "q=%00%01%02",
]


@pytest.mark.django_db
def test_hostile_api_parameters_never_500(client, hostile_site, subtests):
    # One site for every parameter (subtests): building it is the expensive part.
    for params in HOSTILE_PARAMETERS:
        with subtests.test(params=params[:40]):
            check_parameters(client, hostile_site, params)


def check_parameters(client, hostile_site, params):
    page = hostile_site["page"]
    for url in (
        f"/api/v1/news/?{params}",
        f"/api/v1/news/{page.pk}/?{params}",
        f"/api/v1/news/{page.pk}/other/?{params}",
        f"/api/v1/resolve/?path={page.url}&{params}",
        f"/api/v1/search/?{params}",
        f"/api/v1/search/suggest/?{params}",
        f"/kk/search/?{params}",
        f"{hostile_site['index'].url}?{params}",
        f"/kk/news/feed/rss/?{params}",
    ):
        response = client.get(url)
        assert response.status_code < 500, (url[:200], response.status_code)
        if url.startswith("/api/") and response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_resolve_with_hostile_paths_never_500(client, hostile_site):
    for path in (
        JS_URL,
        SCRIPT,
        "/kk/" + "a" * 10_000 + "/",
        "//evil.example/",
        "/../../etc/passwd",
        "\x00",
    ):
        response = client.get("/api/v1/resolve/", {"path": path})
        assert response.status_code in (400, 404), (path[:50], response.status_code)


@pytest.mark.django_db
def test_overlong_values_are_refused_by_validation_not_a_crash(hostile_site):
    index = hostile_site["index"]
    page = NewsPage(title="x" * 10_000, lead="ok")
    with pytest.raises(ValidationError):
        index.add_child(instance=page)
    topic = NewsTopic(name="n" * 10_000, slug="long", locale=hostile_site["topic"].locale)
    with pytest.raises(ValidationError):
        topic.full_clean()
