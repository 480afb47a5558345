"""RSS 2.0 and Atom feeds: fields, languages, fallback markers, hidden pages, query counts."""

import json

import feedparser
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from news.models import NewsPage
from news.syndication import feeds
from tests.factories import make_image, make_news
from tests.syndication import HIDDEN_TITLES

FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def body_of(entry):
    """The full body (content:encoded / Atom content) among the entry's contents.

    feedparser also files media:description under ``content``.
    """
    bodies = [c.value for c in entry.get("content", []) if c.type == "text/html"]
    assert len(bodies) == 1, entry.get("content")
    return bodies[0]


def entry_titled(parsed, title):
    matches = [entry for entry in parsed.entries if entry.title == title]
    assert len(matches) == 1, [entry.title for entry in parsed.entries]
    return matches[0]


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_feed_parses_and_carries_every_field(client, newsroom, language, kind):
    response, parsed = fetch(client, f"/{language}/news/feed/{kind}/")
    assert response["Content-Type"].startswith(FORMATS[kind])
    assert parsed.feed.language == language
    assert parsed.feed.link.startswith(f"http://testserver/{language}/")
    # One entry per story: the two visible stories, nothing else.
    assert len(parsed.entries) == 2

    story_title = "Первая" if language == "ru" else "Бірінші"
    if language == "en":  # no English translation: Kazakh is the first fallback
        story_title = "(Қазақша) Бірінші"
    entry = entry_titled(parsed, story_title)
    assert entry.link.startswith(f"http://testserver/{language}/")
    assert entry.published_parsed is not None
    expected_lead = "Лид первой новости" if language == "ru" else "Бірінші жаңалықтың лиді"
    assert entry.summary == expected_lead
    assert entry.author == "Newsdesk"
    expected_topic = "Экономика (ru)" if language == "ru" else "Экономика"
    assert [tag.term for tag in entry.tags] == [expected_topic]
    # Hero image: the 1200x630 "og" rendition, as an enclosure and as media:content.
    assert entry.enclosures and entry.enclosures[0].type == "image/jpeg"
    assert entry.enclosures[0].href.startswith("http://testserver/media/")
    assert "fill-1200x630" in entry.enclosures[0].href
    assert entry.media_content[0]["url"] == entry.enclosures[0].href
    assert entry.media_content[0]["medium"] == "image"


def test_item_language_is_the_content_language(client, newsroom):
    _response, parsed = fetch(client, "/ru/news/feed/rss/")
    translated = entry_titled(parsed, "Первая")
    assert translated.language == "ru"
    fallback = entry_titled(parsed, "(Қазақша) Екінші")
    assert fallback.language == "kk"
    assert fallback.title_detail.language == "kk"  # the item's xml:lang
    # The reader stays in Russian: the link carries the /ru/ prefix and works.
    assert fallback.link.startswith("http://testserver/ru/")
    assert client.get(fallback.link.replace("http://testserver", "")).status_code == 200
    # The item is identified by its real (Kazakh) URL.
    assert fallback.id.startswith("http://testserver/kk/zhanalyqtar/")


def test_atom_entries_carry_xml_lang(client, newsroom):
    response, parsed = fetch(client, "/ru/news/feed/atom/")
    fallback = entry_titled(parsed, "(Қазақша) Екінші")
    assert fallback.title_detail.language == "kk"
    assert entry_titled(parsed, "Первая").title_detail.language == "ru"
    assert b'<entry xml:lang="kk">' in response.content


def test_untranslated_stories_stay_out_when_listings_hide_them(client, newsroom, settings):
    settings.NEWSDESK_LISTING_FALLBACK = False
    _response, parsed = fetch(client, "/ru/news/feed/rss/")
    assert [entry.title for entry in parsed.entries] == ["Первая"]
    _response, parsed = fetch(client, "/en/news/feed/atom/")
    assert parsed.entries == []
    _response, parsed = fetch(client, "/kk/news/feed/rss/")
    assert {entry.title for entry in parsed.entries} == {"Бірінші", "Екінші"}


def test_no_hidden_page_in_any_feed(client, newsroom):
    for language in ("kk", "ru", "en"):
        for kind in FORMATS:
            for url in (
                f"/{language}/news/feed/{kind}/",
                f"/{language}/news/feed/{kind}/?full=1",
                f"/{language}/news/topic/ekonomika/feed/{kind}/",
            ):
                response, parsed = fetch(client, url)
                body = response.content.decode()
                for title in HIDDEN_TITLES:
                    assert title not in body, (url, title)
                assert len(parsed.entries) == 2


def test_full_body_is_an_option(client, newsroom):
    response, _parsed = fetch(client, "/kk/news/feed/rss/")
    assert b"content:encoded" not in response.content
    _response, parsed = fetch(client, "/kk/news/feed/rss/?full=1")
    content = body_of(entry_titled(parsed, "Бірінші"))
    assert "Бірінші мәтіні." in content
    assert "Джун Ямада" in content  # the quote's speaker
    _response, parsed = fetch(client, "/ru/news/feed/atom/?full=1")
    content = body_of(entry_titled(parsed, "Первая"))
    assert "[ru] Бірінші мәтіні." in content


def test_full_body_links_and_images_are_absolute(client, newsroom):
    picture = make_image("Ішкі сурет", color=(200, 10, 10))
    target = newsroom.translated
    make_news(
        newsroom.index,
        "Үшінші",
        body=[
            ("paragraph", f'<p>Қараңыз: <a linktype="page" id="{target.pk}">бірінші</a></p>'),
            ("image", {"image": picture, "caption": "Жиын", "credit": "Фото"}),
            ("heading", {"text": "Тақырыпша", "level": "h3"}),
        ],
    )
    _response, parsed = fetch(client, "/kk/news/feed/rss/?full=1")
    content = body_of(entry_titled(parsed, "Үшінші"))
    assert 'href="http://testserver/kk/zhanalyqtar/' in content
    assert 'src="http://testserver/media/images/' in content
    assert "<h3>Тақырыпша</h3>" in content
    assert "Жиын — Фото" in content


def test_topic_feed_lists_only_the_topic_in_the_readers_language(client, newsroom):
    make_news(newsroom.index, "Тақырыпсыз")
    _response, parsed = fetch(client, "/ru/news/topic/ekonomika-ru/feed/rss/")
    assert {entry.title for entry in parsed.entries} == {"Первая", "(Қазақша) Екінші"}
    assert parsed.feed.title == "Newsdesk — Экономика (ru)"
    assert "?topic=ekonomika-ru" in parsed.feed.link
    # The Kazakh slug is understood under /ru/ too.
    _response, parsed = fetch(client, "/ru/news/topic/ekonomika/feed/atom/")
    assert len(parsed.entries) == 2
    _response, parsed = fetch(client, "/kk/news/feed/rss/")
    assert "Тақырыпсыз" in {entry.title for entry in parsed.entries}


@pytest.mark.parametrize(
    "slug", ["nope", "x" * 150, "%D0%B6%D0%BE%D2%9B", "..", "a%00b", "ekonomika%20"]
)
def test_unknown_topic_is_a_404_never_a_500(client, newsroom, slug):
    for kind in FORMATS:
        response = client.get(f"/ru/news/topic/{slug}/feed/{kind}/")
        assert response.status_code == 404


def test_feeds_answer_with_bad_query_strings(client, newsroom):
    for query in ("?full=abc", "?full=", "?full=1&full=0", "?page=-1"):
        response = client.get(f"/kk/news/feed/rss/{query}")
        assert response.status_code == 200


def test_empty_feed_is_valid(client, site_tree):
    _response, parsed = fetch(client, "/en/news/feed/rss/")
    assert parsed.entries == []
    assert parsed.feed.language == "en"


def _feed_queries(path, language, view):
    request = RequestFactory().get(path)
    with translation.override(language), CaptureQueriesContext(connection) as captured:
        response = view(request)
        assert response.status_code == 200
        response.content  # noqa: B018 - render everything
    return len(captured)


@pytest.mark.parametrize(
    ("view", "path"),
    [
        (feeds.NewsFeed.as_view(), "/ru/news/feed/rss/"),
        (feeds.NewsAtomFeed.as_view(), "/ru/news/feed/atom/"),
        (feeds.NewsFeed.as_view(), "/ru/news/feed/rss/?full=1"),
    ],
)
def test_query_count_does_not_grow_with_items(site_tree, newsroom, view, path):
    """The view itself (no response cache in the way): 3 items cost what 20 do."""
    body_image = make_image("Мәтін суреті")

    def add_story(title):
        link = f'<p><a linktype="page" id="{newsroom.translated.pk}">сілтеме</a></p>'
        make_news(
            newsroom.index,
            title,
            topics=[newsroom.topic],
            image=make_image(title),
            body=[
                ("paragraph", link),
                ("image", {"image": body_image, "caption": "", "credit": ""}),
            ],
        )

    add_story("Алғашқы")
    _feed_queries(path, "ru", view)  # warm-up: renditions are generated once
    few = _feed_queries(path, "ru", view)
    for number in range(17):
        add_story(f"Жаңалық {number}")
    _feed_queries(path, "ru", view)  # warm-up for the new images' renditions
    many = _feed_queries(path, "ru", view)
    assert many == few
    assert few <= 14, few  # 13 for the view (the response cache reads no SQL)


def test_full_body_survives_malformed_stream_data(client, newsroom):
    """Imported or old-schema bodies drop the odd block, never the feed."""
    raw = [
        {"type": "image", "value": None, "id": "a"},
        {"type": "image", "value": {"image": 999999}, "id": "b"},
        {"type": "heading", "value": "not a dict", "id": "c"},
        {"type": "retired_block", "value": {"x": 1}, "id": "d"},
        {"type": "paragraph", "value": "<p>Аман қалған абзац</p>", "id": "e"},
        {"type": "embed", "value": None, "id": "f"},
    ]
    NewsPage.objects.filter(pk=newsroom.fallback_only.pk).update(body=json.dumps(raw))
    _response, parsed = fetch(client, "/kk/news/feed/rss/?full=1")
    assert body_of(entry_titled(parsed, "Екінші")) == "<p>Аман қалған абзац</p>"


def test_channel_description_is_escaped_html_in_rss_and_text_in_atom(client, newsroom):
    newsroom.ru_topic.name = "Нарық <b>& баға</b>"
    newsroom.ru_topic.save()
    response, parsed = fetch(client, "/ru/news/topic/ekonomika-ru/feed/rss/")
    assert "&lt;b&gt;" in response.content.decode()
    assert "<b>" not in response.content.decode().split("<item", 1)[0]
    _response, parsed = fetch(client, "/ru/news/topic/ekonomika-ru/feed/atom/")
    assert "Нарық <b>& баға</b>" in parsed.feed.subtitle  # text construct: exact text


@pytest.mark.parametrize("kind", FORMATS)
def test_feed_dates_are_the_storys_first_publication_in_every_language(client, newsroom, kind):
    """Issue 32: a story translated a day later carried midnight in the ru feed and its
    time of day in the kk feed. Both say when the story first went live, time included."""
    import datetime

    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime(2024, 5, 7, 9, 15))
    NewsPage.objects.filter(pk=newsroom.translated.pk).update(
        date=first.date(), first_published_at=first
    )
    NewsPage.objects.filter(pk=newsroom.ru_translated.pk).update(
        date=first.date(), first_published_at=first + datetime.timedelta(days=1, hours=2)
    )
    published = {}
    for language, title in (("kk", "Бірінші"), ("ru", "Первая"), ("en", "(Қазақша) Бірінші")):
        _response, parsed = fetch(client, f"/{language}/news/feed/{kind}/")
        published[language] = entry_titled(parsed, title).published_parsed[:6]
    expected = first.astimezone(datetime.UTC).timetuple()[:6]
    assert published == {"kk": expected, "ru": expected, "en": expected}
