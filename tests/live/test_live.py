"""Live blogs (news.live): entries in three languages, the updates endpoint, the banner."""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from news import live
from news.live.editing import add_entry
from news.models import NewsPage
from tests.factories import make_news, translate

ENTRY = ("entry", {"headline": "Учаскелер ашылды", "body": [("paragraph", "<p>Сағат 7-де.</p>")]})
SECOND = ("entry", {"headline": "Алғашқы нәтижелер", "body": [], "key_event": True})


@pytest.fixture
def live_blog(ru_en_site):
    """A Kazakh live blog with two entries; its Russian and English translations, where
    the second entry's headline is left untranslated in Russian."""
    _home, index = ru_en_site
    page = make_news(index, "Сайлау: тікелей эфир", live_status="live", entries=[SECOND, ENTRY])
    translate(page, "ru", leave=("Алғашқы нәтижелер",))
    translate(page, "en")
    return NewsPage.objects.get(pk=page.pk)


def version(page, code):
    return NewsPage.objects.get(translation_key=page.translation_key, locale__language_code=code)


def entry_html(html, headline):
    """The <article> of the entry whose headline is ``headline``."""
    for match in re.finditer(r"<article class=\"live-entry.*?</article>", html, re.S):
        if headline in match.group(0):
            return match.group(0)
    return None


def add(page, headline, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return add_entry(page, headline=headline, **kwargs)[0]


@pytest.mark.django_db
def test_a_new_kazakh_entry_reaches_the_russian_page_at_once_marked_kk(client, live_blog):
    ru = version(live_blog, "ru")
    html = client.get(ru.url).content.decode()
    assert 'lang="ru"' in entry_html(html, "[ru] Учаскелер ашылды")
    untranslated = entry_html(html, "Алғашқы нәтижелер")  # headline left in Kazakh
    assert 'lang="kk"' in untranslated
    # The key events summary lists the second entry.
    assert re.search(r"data-live-key-events.*Алғашқы нәтижелер", html, re.S)

    add(live_blog, "Жаңа жазба", text="Бірінші абзац.\n\nЕкінші абзац.")
    html = client.get(ru.url).content.decode()
    new = entry_html(html, "Жаңа жазба")
    assert new is not None and 'lang="kk"' in new
    assert html.index("Жаңа жазба") < html.index("[ru] Учаскелер ашылды")  # newest first
    assert 'aria-live="polite"' in html


@pytest.mark.django_db
def test_anchors_are_the_same_in_every_language(client, live_blog):
    kk_ids = re.findall(
        r'<article class="live-entry[^"]*" id="([^"]+)"', client.get(live_blog.url).content.decode()
    )
    ru_ids = re.findall(
        r'<article class="live-entry[^"]*" id="([^"]+)"',
        client.get(version(live_blog, "ru").url).content.decode(),
    )
    assert kk_ids and kk_ids == ru_ids


@pytest.mark.django_db
def test_pinned_entry_comes_first(client, live_blog):
    add(live_blog, "Бекітілген", pinned=True)
    add(live_blog, "Ең жаңа")
    html = client.get(live_blog.url).content.decode()
    assert html.index("Бекітілген") < html.index("Ең жаңа")


@pytest.mark.django_db
def test_detail_carries_entries(client, live_blog, settings):
    settings.NEWSDESK_API_RATE = ""
    ru = version(live_blog, "ru")
    data = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()
    entries = data["live"]["entries"]
    assert [e["locale"] for e in entries] == ["kk", "ru"]
    assert entries[0]["is_fallback"] and entries[0]["url"].endswith("#" + entries[0]["anchor"])
    assert data["live"]["status"] == "live" and data["live"]["cursor"]


@pytest.mark.django_db
def test_updates_since_a_cursor_and_304_without_queries(client, live_blog, settings):
    settings.NEWSDESK_API_RATE = ""
    url = f"/api/v1/news/{live_blog.pk}/updates/?locale=ru"
    first = client.get(url)
    assert first.status_code == 200
    body = first.json()
    assert len(body["entries"]) == 2 and len(body["entry_ids"]) == 2
    # An empty cursor (a page that had no entry yet) is the beginning, not an error.
    assert client.get(f"{url}&since=").json()["entries"] == body["entries"]
    since = f"{url}&since={body['cursor']}"
    answer = client.get(since)
    assert answer.json()["entries"] == []
    etag = answer["ETag"]
    with CaptureQueriesContext(connection) as queries:
        repeat = client.get(since, HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304
    assert len(queries) == 0

    add(live_blog, "Жаңа жазба")
    changed = client.get(since, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    [new] = changed.json()["entries"]
    assert new["headline"] == "Жаңа жазба" and new["locale"] == "kk" and new["is_fallback"]


@pytest.mark.django_db
def test_a_bad_cursor_is_a_problem_and_a_story_is_404(client, live_blog, ru_en_site, settings):
    settings.NEWSDESK_API_RATE = ""
    bad = client.get(f"/api/v1/news/{live_blog.pk}/updates/?since=nonsense%00")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    story = make_news(ru_en_site[1], "Жай жаңалық")
    assert client.get(f"/api/v1/news/{story.pk}/updates/").status_code == 404


@pytest.mark.django_db
def test_cursor_round_trip():
    import datetime

    moment = datetime.datetime(2026, 12, 7, 9, 30, 1, 250000, tzinfo=datetime.UTC)
    assert live.parse_cursor(live.cursor(moment)) == moment
    for bad in ("x", "djE6YWJj", "!!!"):
        with pytest.raises(live.BadCursor):
            live.parse_cursor(bad)


@pytest.mark.django_db
def test_banner_in_three_languages_until_unflagged(client, live_blog):
    for code in ("kk", "ru", "en"):
        assert "live-banner" not in client.get(f"/{code}/").content.decode()
    for code in ("kk", "ru", "en"):  # the flag is synchronised: each version is published
        page = version(live_blog, code)
        page.breaking = True
        with TestCase.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
    for code, title in (
        ("kk", "Сайлау: тікелей эфир"),
        ("ru", "[ru] Сайлау"),
        ("en", "[en] Сайлау"),
    ):
        html = client.get(f"/{code}/").content.decode()
        assert "live-banner" in html and title in html, code
    kk_index = client.get("/kk/zhanalyqtar/").content.decode()
    assert "live-banner" in kk_index
    for code in ("kk", "ru", "en"):
        page = version(live_blog, code)
        page.breaking = False
        with TestCase.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
    for code in ("kk", "ru", "en"):
        assert "live-banner" not in client.get(f"/{code}/").content.decode(), code


@pytest.mark.django_db
def test_an_updates_answer_costs_the_same_queries_whatever_the_entries(client, live_blog, settings):
    settings.NEWSDESK_API_RATE = ""
    settings.NEWSDESK_RESPONSE_CACHE = False  # the view itself, every time
    url = f"/api/v1/news/{live_blog.pk}/updates/?locale=ru"

    def cost():
        client.get(url)  # warm: the memoised untranslated segments
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = cost()
    for number in range(4):
        add(live_blog, f"Жазба {number}")
        live_blog = NewsPage.objects.get(pk=live_blog.pk)
    assert cost() == few <= 6
