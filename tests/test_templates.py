"""The server-rendered reader site: every page type, the fallback page, the switcher, markup.

The UI catalogues (locale/*.po) are filled at the end of the project, so Russian
text is asserted through gettext: the expected string is what gettext returns for
the template's msgid under the reader's language. Once the catalogues are in,
the same assertions check the real Russian text (see ``test_fallback_notice_text``).
"""

import datetime
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import loader
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.views.defaults import server_error

from tests.factories import NewsTopicFactory, make_image, make_news, make_site, translate

LANGUAGES = ("kk", "ru", "en")
NOTICE_MSGID = "This story is only available %(languages)s."


class Tags(HTMLParser):
    """Every start tag of a document with its attributes, and the text inside <a>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self._open_links = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        entry = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.tags.append(entry)
        if tag == "a":
            self._open_links.append(entry)

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            self._open_links.pop()

    def handle_data(self, data):
        for link in self._open_links:
            link["text"] += data

    def find(self, tag, **attrs):
        return [
            entry
            for entry in self.tags
            if entry["tag"] == tag
            and all(entry["attrs"].get(key.rstrip("_")) == value for key, value in attrs.items())
        ]


def _section(html, start_marker, end_tag):
    """The HTML from ``start_marker`` to the first ``end_tag`` after it."""
    start = html.index(start_marker)
    return html[start : html.index(end_tag, start) + len(end_tag)]


def _switcher_links(html):
    return Tags(_section(html, '<nav class="lang-switcher"', "</nav>")).find("a")


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def build_newsroom():
    """A kk site translated into ru (home and index) but not into en, with three stories.

    ``seed``: Kazakh only (the seed article), with a hero image, caption, credit, topic.
    ``shared``: Kazakh with a Russian translation.
    ``kk_en``: Kazakh and English.
    """
    home, index = make_site()
    ru_home = translate(home, "ru", strings={"Басты бет": "Главная"})
    ru_index = translate(index, "ru", strings={"Жаңалықтар": "Новости"})
    topic = NewsTopicFactory(name="Дипломатия", slug="diplomatiya")
    translate(topic, "ru", strings={"Дипломатия": "Дипломатия-ru", "diplomatiya": "diplomatiya"})
    seed = make_news(
        index,
        "Байланыстар мен перспективаларды нығайту",
        date=datetime.date(2024, 5, 7),
        lead="Жапония елшісі облыс әкімімен кездесті.",
        image=make_image("Кездесу", width=2000, height=1125),
        image_caption="Кездесу сәті",
        image_credit="Баспасөз қызметі",
        topics=[topic],
        body=[
            ("heading", {"text": "Кездесу", "level": "h2"}),
            ("paragraph", "<p>Тараптар ынтымақтастықты талқылады.</p>"),
            (
                "quote",
                {
                    "text": "Біз жапондық нарыққа шығуды қалаймыз.",
                    "attribution": "Марат Сұлтанғазиев",
                    "role": "Алматы облысының әкімі",
                    "source_url": "",
                },
            ),
        ],
    )
    shared = make_news(index, "Ортақ жаңалық", date=datetime.date(2024, 4, 1))
    ru_shared = translate(shared, "ru", strings={"Ортақ жаңалық": "Общая новость"})
    kk_en = make_news(index, "Екі тілде", date=datetime.date(2024, 3, 1))
    en_kk_en = translate(kk_en, "en", strings={"Екі тілде": "In two languages"})
    return {
        "home": home,
        "ru_home": ru_home,
        "index": index,
        "ru_index": ru_index,
        "topic": topic,
        "seed": seed,
        "shared": shared,
        "ru_shared": ru_shared,
        "kk_en": kk_en,
        "en_kk_en": en_kk_en,
    }


def _in(language, url):
    """``url`` (a kk URL) under ``language``'s prefix: where a reader of it opens the story."""
    return url.replace("/kk/", f"/{language}/", 1)


def _page_urls(world, language):
    index_url = world["ru_index"].url if language == "ru" else _in(language, world["index"].url)
    return {
        "home": f"/{language}/",
        "index": index_url,
        "news": _in(language, world["seed"].url),
        "search": f"/{language}/search/?q=Жапония",
    }


def check_every_page_type_renders_in_each_language(client, newsroom, language):
    for kind, url in _page_urls(newsroom, language).items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, (kind, url)
        assert 'class="skip-link" href="#main"' in html
        assert '<main id="main"' in html
        assert '<nav class="lang-switcher"' in html
        assert "<footer" in html
        # The header's navigation stays in the reader's language.
        nav = Tags(_section(html, '<nav class="site-nav"', "</nav>")).find("a")
        assert [_path(link["attrs"]["href"]).split("/")[1] for link in nav] == [language] * 3


def check_404_is_translated_in_each_language(client, newsroom, language):
    response = client.get(f"/{language}/no-such-page-at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        assert escape(translation.gettext("Page not found")) in html
        assert escape(translation.gettext("Go to the home page")) in html
    # The switcher is there too, and the home link is in the reader's language.
    assert len(_switcher_links(html)) == len(settings.LANGUAGES)
    assert f'href="/{language}/"' in html


def test_500_needs_no_request_context_and_no_database(db):
    request = RequestFactory().get("/ru/anything/")
    with translation.override("ru"), CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert response.status_code == 500
    assert queries.captured_queries == []
    html = response.content.decode()
    assert '<html lang="ru">' in html
    with translation.override("ru"):
        assert escape(translation.gettext("Something went wrong")) in html
    assert 'href="/ru/"' in html
    # A bare Context (no context processors) is enough.
    assert "<h1>" in loader.get_template("500.html").render({})


QUOTE = {
    "text": "Бірінші жол\nЕкінші <жол>",
    "attribution": "Джун <Ямада>",
    "role": "Жапонияның Қазақстандағы Елшісі",
    "source_url": "",
}


def test_quote_block_exact_html(site_tree):
    _home, index = site_tree
    page = make_news(
        index,
        "Дәйексөз",
        body=[
            ("quote", QUOTE),
            ("quote", {**QUOTE, "source_url": "https://example.com/source?a=1&b=2"}),
            ("quote", {"text": "Тек мәтін", "attribution": "", "role": "", "source_url": ""}),
        ],
    )
    with translation.override("en"):
        plain, sourced, bare = (block.render() for block in page.body)
    assert plain == (
        '<figure class="quote"><blockquote><p>Бірінші жол<br>Екінші &lt;жол&gt;</p></blockquote>'
        '<figcaption><span class="quote__speaker">Джун &lt;Ямада&gt;</span>, '
        '<span class="quote__role">Жапонияның Қазақстандағы Елшісі</span></figcaption>'
        "</figure>\n"
    )
    assert sourced == (
        '<figure class="quote"><blockquote cite="https://example.com/source?a=1&amp;b=2">'
        "<p>Бірінші жол<br>Екінші &lt;жол&gt;</p></blockquote>"
        '<figcaption><span class="quote__speaker">Джун &lt;Ямада&gt;</span>, '
        '<span class="quote__role">Жапонияның Қазақстандағы Елшісі</span> '
        '<a class="quote__source" href="https://example.com/source?a=1&amp;b=2">Source</a>'
        "</figcaption></figure>\n"
    )
    assert bare == '<figure class="quote"><blockquote><p>Тек мәтін</p></blockquote></figure>\n'


def check_news_page_shows_date_lead_hero_body_topics_and_other_news(client, newsroom):
    seed = newsroom["seed"]
    response = client.get(seed.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time class="article__date" datetime="2024-05-07">' in html
    assert "2024 ж." in html  # Kazakh date format (site_project/formats/kk)
    assert '<p class="article__lead">Жапония елшісі облыс әкімімен кездесті.</p>' in html
    # Hero image ({% srcset_image %}): srcset of the three widths (the medium one first,
    # as src), real dimensions, WebP, sizes, loaded eagerly (above the fold).
    (hero,) = Tags(html).find("img", class_="hero-image")
    widths = [part.split()[-1] for part in hero["attrs"]["srcset"].split(", ")]
    assert sorted(widths, key=lambda width: int(width[:-1])) == ["480w", "960w", "1600w"]
    assert "width-960" in hero["attrs"]["src"] and hero["attrs"]["src"].endswith(".webp")
    assert all(".format-webp." in part for part in hero["attrs"]["srcset"].split(", "))
    assert (hero["attrs"]["width"], hero["attrs"]["height"]) == ("960", "540")
    # The page's alt text, else its caption: never the image file's title ("Кездесу").
    assert hero["attrs"]["alt"] == "Кездесу сәті"
    assert hero["attrs"]["sizes"] == "(min-width: 60rem) 46rem, 100vw"
    assert hero["attrs"]["decoding"] == "async" and "loading" not in hero["attrs"]
    assert "Кездесу сәті" in html and "Баспасөз қызметі" in html
    # Body blocks.
    assert '<h2 class="block-heading">Кездесу</h2>' in html
    assert "<p>Тараптар ынтымақтастықты талқылады.</p>" in html
    assert '<span class="quote__speaker">Марат Сұлтанғазиев</span>' in html
    # Topics link to the news index filtered by topic.
    (topic_link,) = Tags(_section(html, '<nav class="topics"', "</nav>")).find("a")
    assert topic_link["attrs"]["href"] == f"{newsroom['index'].url}?topic=diplomatiya"
    filtered = client.get(topic_link["attrs"]["href"]).content.decode()
    assert "Дипломатия" in _section(filtered, '<div class="topic-filter">', "</div>")
    # Other news: the two other stories, never the article itself.
    other = _section(html, '<section class="other-news"', "</section>")
    assert "Ортақ жаңалық" in other and "Екі тілде" in other
    assert "Байланыстар" not in other


def check_dates_are_in_the_readers_language(client, newsroom, language, expected):
    html = client.get(_in(language, newsroom["seed"].url)).content.decode()
    date = _section(html, '<time class="article__date"', "</time>")
    assert expected in date


def _notice_html(language, links):
    """The fallback notice as the template builds it, through gettext in ``language``."""
    with translation.override(language):
        if len(links) > 1:
            joined = translation.gettext("%(items)s and %(last)s")
            joined = joined.replace("%(items)s", ", ".join(links[:-1]))
            joined = joined.replace("%(last)s", links[-1])
        else:
            joined = links[0]
        return translation.gettext(NOTICE_MSGID).replace("%(languages)s", joined)


def check_fallback_page(client, newsroom):
    """/ru/… of a Kazakh-only article: 200, Russian chrome, Kazakh content, honest notice."""
    seed = newsroom["seed"]
    response = client.get(_in("ru", seed.url))
    assert response.status_code == 200
    assert response.context["is_fallback"] is True
    html = response.content.decode()
    assert '<html lang="ru"' in html
    # The notice, in Russian, names Kazakh in Russian grammar and links to the Kazakh version.
    notice = _section(html, '<div class="notice notice--fallback"', "</div>")
    assert 'lang="ru"' in notice.split(">", 1)[0]
    (link,) = Tags(notice).find("a")
    assert link["attrs"] == {"href": seed.url, "hreflang": "kk"}
    assert link["text"] == "на казахском языке"
    kk_link = f'<a href="{seed.url}" hreflang="kk">на казахском языке</a>'
    assert _notice_html("ru", [kk_link]) in notice
    # The content is marked as Kazakh.
    content = _section(html, '<div class="article__content"', "</h1>")
    assert 'lang="kk"' in content and "Байланыстар мен перспективаларды нығайту" in content
    assert '<p class="article__lead">Жапония елшісі облыс әкімімен кездесті.</p>' in html
    # Canonical is the Kazakh original; hreflang lists only real translations + x-default.
    tags = Tags(_section(html, "<head>", "</head>"))
    (canonical,) = tags.find("link", rel="canonical")
    assert _path(canonical["attrs"]["href"]) == seed.url
    alternates = {
        t["attrs"]["hreflang"]: _path(t["attrs"]["href"])
        for t in tags.find("link", rel="alternate")
        if t["attrs"].get("hreflang")
    }
    assert alternates == {"kk": seed.url, "x-default": seed.url}


def check_fallback_notice_text(client, newsroom):
    """The notice reads «Этот текст доступен только на казахском языке.» in Russian and
    "This story is only available in Kazakh (Қазақша)." in English: the language in the
    case the sentence needs, not «на «Қазақша»» (issue 32)."""
    expected = {
        "ru": "Этот текст доступен только на казахском языке.",
        "en": "This story is only available in Kazakh (Қазақша).",
    }
    for language, text in expected.items():
        html = client.get(_in(language, newsroom["seed"].url)).content.decode()
        notice = _section(html, '<div class="notice notice--fallback"', "</div>")
        assert " ".join(re.sub(r"<[^>]+>", "", notice).split()) == text


def check_fallback_notice_names_every_available_language(client, newsroom):
    """A ru reader of a kk+en story sees the kk version and links to both, each in its language."""
    kk_en, en_kk_en = newsroom["kk_en"], newsroom["en_kk_en"]
    response = client.get(_in("ru", kk_en.url))
    assert response.status_code == 200
    html = response.content.decode()
    notice = _section(html, '<div class="notice notice--fallback"', "</div>")
    links = Tags(notice).find("a")
    assert [(a["attrs"]["hreflang"], a["attrs"]["href"], a["text"]) for a in links] == [
        ("kk", kk_en.url, "на казахском языке"),
        ("en", en_kk_en.url, "на английском языке"),
    ]
    expected = _notice_html(
        "ru",
        [
            f'<a href="{kk_en.url}" hreflang="kk">на казахском языке</a>',
            f'<a href="{en_kk_en.url}" hreflang="en">на английском языке</a>',
        ],
    )
    assert expected in notice
    alternates = {
        t["attrs"]["hreflang"]
        for t in Tags(_section(html, "<head>", "</head>")).find("link", rel="alternate")
        if t["attrs"].get("hreflang")
    }
    assert alternates == {"kk", "en", "x-default"}


def check_translated_page_has_no_notice(client, newsroom):
    ru_shared = newsroom["ru_shared"]
    response = client.get(ru_shared.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--fallback" not in html
    assert '<div class="article__content" lang="ru">' in html
    assert "Общая новость" in html
    alternates = {
        t["attrs"]["hreflang"]: _path(t["attrs"]["href"])
        for t in Tags(_section(html, "<head>", "</head>")).find("link", rel="alternate")
        if t["attrs"].get("hreflang")
    }
    assert alternates == {
        "kk": newsroom["shared"].url,
        "ru": ru_shared.url,
        "x-default": newsroom["shared"].url,
    }


def check_language_switcher_never_404s(client, newsroom, start):
    start_url = {
        "seed_ru": _in("ru", newsroom["seed"].url),
        "shared_ru": newsroom["ru_shared"].url,
        "shared_kk": newsroom["shared"].url,
        "home_en": "/en/",
        "index_ru": newsroom["ru_index"].url,
    }[start]
    html = client.get(start_url).content.decode()
    links = _switcher_links(html)
    assert [link["attrs"]["lang"] for link in links] == list(LANGUAGES)
    assert all(link["attrs"]["hreflang"] == link["attrs"]["lang"] for link in links)
    current = [link for link in links if link["attrs"].get("aria-current") == "page"]
    assert len(current) == 1
    for link in links:
        code = link["attrs"]["lang"]
        response = client.get(link["attrs"]["href"])
        assert response.status_code == 200, (start, link)
        followed = response.content.decode()
        assert f'<html lang="{code}"' in followed
        # Never dumped on the home page: a story's switcher leads to that story.
        if start.startswith(("seed", "shared")):
            assert "article__content" in followed


def check_switcher_from_fallback_page_targets(client, newsroom):
    seed, ru_shared = newsroom["seed"], newsroom["ru_shared"]
    links = _switcher_links(client.get(_in("ru", seed.url)).content.decode())
    assert {link["attrs"]["lang"]: link["attrs"]["href"] for link in links} == {
        "kk": seed.url,
        "ru": _in("ru", seed.url),
        "en": _in("en", seed.url),
    }
    links = _switcher_links(client.get(ru_shared.url).content.decode())
    assert {link["attrs"]["lang"]: link["attrs"]["href"] for link in links}["ru"] == ru_shared.url


def check_listing_marks_fallback_items(client, newsroom):
    response = client.get(newsroom["ru_index"].url)
    assert response.status_code == 200
    html = response.content.decode()
    seed = newsroom["seed"]
    assert (
        f'<a href="{_in("ru", seed.url)}">'
        '<span class="news-card__marker" lang="kk">(Қазақша)</span>'
        ' <span lang="kk">Байланыстар мен перспективаларды нығайту</span></a>'
    ) in html
    # A translated story: no marker, Russian title and lead.
    ru_shared = newsroom["ru_shared"]
    assert f'<a href="{ru_shared.url}"><span lang="ru">Общая новость</span></a>' in html
    assert html.count('class="news-card__marker"') == 2  # seed and the kk+en story
    lead = "Жапония елшісі облыс әкімімен кездесті."
    assert f'<p class="news-card__lead" lang="kk">{lead}</p>' in html
    # Listing thumbnails are decorative: the title names the story.
    (thumb,) = Tags(html).find("img", class_="news-card__image")
    assert thumb["attrs"]["alt"] == ""
    assert "fill-640x360" in thumb["attrs"]["src"] and thumb["attrs"]["src"].endswith(".webp")
    assert (thumb["attrs"]["width"], thumb["attrs"]["height"]) == ("640", "360")
    assert (thumb["attrs"]["loading"], thumb["attrs"]["decoding"]) == ("lazy", "async")


def check_home_lists_latest_news_and_links_to_the_index(client, newsroom):
    response = client.get("/ru/")
    assert response.status_code == 200
    html = response.content.decode()
    latest = _section(html, '<section class="latest"', "</section>")
    assert "(Қазақша)" in latest and "Общая новость" in latest
    more = Tags(latest).find("a", class_="button")
    assert [link["attrs"]["href"] for link in more] == [newsroom["ru_index"].url]


def check_pagination_keeps_topic_and_labels_pages(client, newsroom):
    topic = newsroom["topic"]
    index = newsroom["index"]
    for number in range(5):
        make_news(index, f"Тақырыпты жаңалық {number}", topics=[topic])
    with override_settings(NEWSDESK_PAGE_SIZE=2):
        response = client.get(index.url, {"topic": "diplomatiya", "page": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    nav = _section(html, '<nav class="pagination"', "</nav>")
    with translation.override("kk"):
        assert f'aria-label="{escape(translation.gettext("Pages"))}"' in nav
    links = Tags(nav).find("a")
    hrefs = [link["attrs"]["href"] for link in links]
    assert all(href.startswith("?topic=diplomatiya&page=") for href in hrefs), hrefs
    (current,) = [link for link in links if link["attrs"].get("aria-current") == "page"]
    assert current["attrs"]["href"].endswith("page=2")
    assert [link["attrs"].get("rel") for link in links if link["attrs"].get("rel")] == [
        "prev",
        "next",
    ]
    assert all(link["attrs"].get("aria-label") for link in links if not link["attrs"].get("rel"))
    # 6 stories on the topic (the seed and five more), 2 a page: pages 1, 2, 3.
    numbered = [link["text"] for link in links if not link["attrs"].get("rel")]
    assert numbered == ["1", "2", "3"]


def check_search_page_escapes_the_query(client, newsroom):
    response = client.get("/ru/search/", {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script>alert("x")' not in html
    (field,) = Tags(html).find("input", name="q")
    assert field["attrs"]["value"] == '<script>alert("x")</script>'
    assert Tags(html).find("form", role="search")


def _pages_to_check(newsroom):
    return [
        "/kk/",
        "/ru/",
        newsroom["ru_index"].url,
        newsroom["seed"].url,
        _in("ru", newsroom["seed"].url),
        "/en/search/?q=x",
        "/ru/missing-page/",
    ]


def check_back_to_top_button_and_script(client, newsroom):
    for url in _pages_to_check(newsroom):
        html = client.get(url).content.decode()
        tags = Tags(html)
        (button,) = [t for t in tags.tags if "data-back-to-top" in t["attrs"]]
        assert button["tag"] == "a" and button["attrs"]["href"] == "#top", url
        assert button["attrs"]["aria-label"], url
        assert tags.find("header", id="top"), url
        scripts = tags.find("script", src="/static/js/site.js")
        assert scripts and "defer" in scripts[0]["attrs"], url
    with translation.override("ru"):
        label = translation.gettext("Back to top")
    html = client.get("/ru/").content.decode()
    assert f'aria-label="{escape(label)}"' in html
    js = (Path(settings.BASE_DIR) / "static" / "js" / "site.js").read_text()
    assert "prefers-reduced-motion" in js and "data-back-to-top" in js
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert "prefers-reduced-motion: reduce" in css and ":focus-visible" in css
    assert "@import" not in css and "http" not in css  # nothing fetched from elsewhere


def check_no_inline_scripts_or_event_handlers(client, newsroom):
    for url in _pages_to_check(newsroom):
        html = client.get(url).content.decode()
        for tag in Tags(html).tags:
            if tag["tag"] == "script":
                # Only external scripts, or data blocks that never execute (JSON-LD).
                assert tag["attrs"].get("src") or tag["attrs"].get("type") in (
                    "application/ld+json",
                    "application/json",
                ), (url, tag)
            handlers = [name for name in tag["attrs"] if name.startswith("on")]
            assert not handlers, (url, tag)


def test_home_page_query_count_is_constant(client, site_tree, settings):
    """Cards (images, markers, links) add no query per item."""
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    image = make_image()
    counts = []
    for total in (2, 7):
        while len(index.get_children()) < total:
            make_news(index, f"Жаңалық {len(index.get_children())}", image=image)
        client.get("/ru/")  # warm-up: renditions
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ru/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


class ReaderSiteTests(TestCase):
    """The checks above, on one newsroom built once for the class (wagtail-localize is slow)."""

    @classmethod
    def setUpClass(cls):
        cls.media_root = tempfile.mkdtemp(prefix="newsdesk-media-")
        cls.addClassCleanup(shutil.rmtree, cls.media_root, ignore_errors=True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media_root))
        super().setUpClass()

    @pytest.fixture(autouse=True)
    def _class_media_root(self, settings):
        # conftest gives every test a fresh MEDIA_ROOT; the class's images live in its own.
        settings.MEDIA_ROOT = self.media_root

    @classmethod
    def setUpTestData(cls):
        cls.newsroom = build_newsroom()

    def test_every_page_type_renders_in_each_language(self):
        for language in LANGUAGES:
            check_every_page_type_renders_in_each_language(self.client, self.newsroom, language)

    def test_404_is_translated_in_each_language(self):
        for language in LANGUAGES:
            check_404_is_translated_in_each_language(self.client, self.newsroom, language)

    def test_news_page_shows_date_lead_hero_body_topics_and_other_news(self):
        check_news_page_shows_date_lead_hero_body_topics_and_other_news(self.client, self.newsroom)

    def test_dates_are_in_the_readers_language(self):
        for language, expected in [
            ("ru", "7 мая 2024 г."),
            ("en", "May 7, 2024"),
            ("kk", "2024 ж."),
        ]:
            check_dates_are_in_the_readers_language(self.client, self.newsroom, language, expected)

    def test_fallback_page(self):
        check_fallback_page(self.client, self.newsroom)

    def test_fallback_notice_text(self):
        check_fallback_notice_text(self.client, self.newsroom)

    def test_fallback_notice_names_every_available_language(self):
        check_fallback_notice_names_every_available_language(self.client, self.newsroom)

    def test_translated_page_has_no_notice(self):
        check_translated_page_has_no_notice(self.client, self.newsroom)

    def test_language_switcher_never_404s(self):
        for start in ("seed_ru", "shared_ru", "shared_kk", "home_en", "index_ru"):
            check_language_switcher_never_404s(self.client, self.newsroom, start)

    def test_switcher_from_fallback_page_targets(self):
        check_switcher_from_fallback_page_targets(self.client, self.newsroom)

    def test_listing_marks_fallback_items(self):
        check_listing_marks_fallback_items(self.client, self.newsroom)

    def test_home_lists_latest_news_and_links_to_the_index(self):
        check_home_lists_latest_news_and_links_to_the_index(self.client, self.newsroom)

    def test_pagination_keeps_topic_and_labels_pages(self):
        check_pagination_keeps_topic_and_labels_pages(self.client, self.newsroom)

    def test_search_page_escapes_the_query(self):
        check_search_page_escapes_the_query(self.client, self.newsroom)

    def test_back_to_top_button_and_script(self):
        check_back_to_top_button_and_script(self.client, self.newsroom)

    def test_no_inline_scripts_or_event_handlers(self):
        check_no_inline_scripts_or_event_handlers(self.client, self.newsroom)


def test_missing_image_file_costs_the_picture_not_the_page(client, site_tree):
    """A media file lost on disk hides that picture; the article and listings still answer 200."""
    _home, index = site_tree
    image = make_image("Жоғалған", width=1200, height=675)
    page = make_news(index, "Суреті жоқ", image=image)
    image.file.storage.delete(image.file.name)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Суреті жоқ" in html and "hero-image" not in html
    assert "not-found" not in html  # no broken <img> either (Wagtail's placeholder rendition)
    listing = client.get(index.url)
    assert listing.status_code == 200
    assert "Суреті жоқ" in listing.content.decode()
    assert "news-card__image" not in listing.content.decode()


@pytest.mark.django_db
def test_untranslated_hero_alt_text_carries_its_language(client, site_tree, settings):
    """Issue 32: a translation that leaves the hero image's alt text in Kazakh marks it
    lang="kk" (like the caption); a translated alt text carries no lang of its own."""
    from tests.test_partial_translations import translate_partly

    settings.NEWSDESK_RESPONSE_CACHE = False
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    kk = make_news(
        index,
        "Жаңа зауыт",
        slug="zhana-zauyt",
        lead="Қысқаша",
        image=make_image("Зауыт"),
        image_alt="Зауыттың жаңа цехы",
        image_caption="Зауыт алаңы",
    )

    class Russian(dict):
        def __missing__(self, text):
            return f"[ru] {text}"

    strings = Russian({
        "Жаңа зауыт": "Новый завод",
        "zhana-zauyt": "novyi-zavod",
        "Қысқаша": "Кратко",
        "Зауыттың жаңа цехы": "Новый цех завода",
        "Зауыт алаңы": "Площадка завода",
    })  # fmt: skip
    ru = translate_partly(kk, "ru", leave={"Зауыттың жаңа цехы"}, strings=strings)
    html = client.get(ru.url).content.decode()
    hero = re.search(r'<img [^>]*class="hero-image"[^>]*>', html).group(0)
    assert 'alt="Зауыттың жаңа цехы"' in hero and 'lang="kk"' in hero

    ru = translate_partly(kk, "ru", strings=strings)
    html = client.get(ru.url).content.decode()
    hero = re.search(r'<img [^>]*class="hero-image"[^>]*>', html).group(0)
    assert 'alt="Новый цех завода"' in hero and "lang=" not in hero
