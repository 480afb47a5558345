"""Corrections and updates: on the article, in JSON-LD, in the API, in the feeds, on the
corrections page, and through wagtail-localize's sync into translations."""

import datetime
import json
import re

import feedparser
import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail_localize.models import Translation, TranslationSource

from news.models import NewsPage
from tests.factories import make_news, make_site, translate
from tests.module_rows import module_rows, rows_for_test

UTC = datetime.UTC
PUBLISHED = datetime.date(2024, 5, 7)
CORRECTED_AT = datetime.datetime(2024, 5, 8, 9, 30, tzinfo=UTC)
UPDATED_AT = datetime.datetime(2024, 5, 9, 14, 0, tzinfo=UTC)
CORRECTION_KK = "Мақалада фестиваль күні қате көрсетілген еді."
CORRECTION_RU = "В статье была указана неверная дата фестиваля."
UPDATE_KK = "Фестивальге келушілер саны қосылды."

# What schema.org says of the types and properties the article uses (schema.org,
# version 29: https://schema.org/CorrectionComment, /Comment, /CreativeWork, /Person):
# the properties each type accepts (its own and inherited ones we use) and the
# expected types of `author` and `correction`.
SCHEMA_ORG = {
    "types": {
        "NewsArticle": {"CreativeWork", "Article", "NewsArticle", "Thing"},
        "CorrectionComment": {"CreativeWork", "Comment", "CorrectionComment", "Thing"},
        "Person": {"Person", "Thing"},
        "Organization": {"Organization", "Thing"},
    },
    "properties": {
        "CreativeWork": {
            "author", "correction", "dateModified", "datePublished", "text", "headline",
            "description", "inLanguage", "mainEntityOfPage", "url", "isAccessibleForFree",
            "publisher", "image", "keywords", "articleSection", "name",
        },
        "Thing": {"name", "url", "description", "image", "mainEntityOfPage"},
        "Person": {"name", "url"},
        "Organization": {"name", "url"},
    },
    "ranges": {
        "author": {"Person", "Organization"},
        "correction": {"CorrectionComment"},
    },
}  # fmt: skip


def notes(*items):
    return [("note", {"kind": kind, "at": at, "text": text}) for kind, at, text in items]


@pytest.fixture(autouse=True)
def _no_response_cache_nor_rate_limit(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""


def build_corrected():
    """A Kazakh story with a correction and a later update, translated into Russian
    (the correction translated, the update not yet), and a Kazakh-only corrected story."""
    home, index = make_site()
    translate(home, "ru", strings={"Басты бет": "Главная"})
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    story = make_news(
        index,
        "Алма фестивалі",
        slug="alma",
        date=PUBLISHED,
        notes=notes(
            ("correction", CORRECTED_AT, CORRECTION_KK),
            ("update", UPDATED_AT, UPDATE_KK),
        ),
    )
    ru = translate(
        story,
        "ru",
        strings={
            "Алма фестивалі": "Фестиваль яблок",
            "alma": "yabloki",
            CORRECTION_KK: CORRECTION_RU,
        },
        leave={UPDATE_KK},  # not translated yet: the source text stays
    )
    other = make_news(
        index,
        "Тек қазақша",
        slug="tek-qazaqsha",
        date=PUBLISHED - datetime.timedelta(days=1),
        notes=notes(("correction", CORRECTED_AT - datetime.timedelta(days=1), "Аты түзетілді.")),
    )
    plain = make_news(index, "Түзетусіз", slug="plain", date=PUBLISHED)
    return {"index": index, "story": story, "ru": ru, "other": other, "plain": plain}


_corrected_rows = module_rows(build_corrected)  # built once for the module (tests/module_rows.py)


@pytest.fixture
def corrected(_corrected_rows, db, settings):
    return rows_for_test(_corrected_rows, settings)


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def check_schema_org(node):
    """Every typed node uses only properties its type accepts, with the expected types."""
    if isinstance(node, list):
        for item in node:
            check_schema_org(item)
        return
    if not isinstance(node, dict) or "@type" not in node:
        return
    kind = node["@type"]
    if kind not in SCHEMA_ORG["types"]:
        return
    allowed = set().union(
        *(SCHEMA_ORG["properties"].get(parent, set()) for parent in SCHEMA_ORG["types"][kind])
    )
    for name, value in node.items():
        if name.startswith("@"):
            continue
        assert name in allowed, f"{kind} has no property {name}"
        if name in SCHEMA_ORG["ranges"]:
            for item in value if isinstance(value, list) else [value]:
                assert item["@type"] in SCHEMA_ORG["ranges"][name], (name, item)
        check_schema_org(value)


def test_article_shows_notes_at_the_end_and_the_correction_at_the_top(client, corrected):
    html = client.get(corrected["story"].url).content.decode()
    top = html.index('class="notice notice--correction"')
    body_end = html.index('id="notes"')
    assert top < html.index('class="article__body"') < body_end
    notes_html = html[body_end:]
    assert notes_html.index(CORRECTION_KK) < notes_html.index(UPDATE_KK)
    assert 'class="editors-note editors-note--correction"' in notes_html
    assert 'class="editors-note editors-note--update"' in notes_html
    # "Updated …" by the date: the latest note.
    updated = timezone.localtime(UPDATED_AT).isoformat()
    assert re.search(rf'class="article__updated">.*?<time datetime="{re.escape(updated)}">', html)
    # A story without notes has neither.
    plain = client.get(corrected["plain"].url).content.decode()
    assert "article__updated" not in plain and 'id="notes"' not in plain


def test_translated_article_shows_translated_notes_and_marks_the_untranslated_one(
    client, corrected
):
    html = client.get(corrected["ru"].url).content.decode()
    notes_html = html[html.index('id="notes"') :]
    assert CORRECTION_RU in notes_html
    assert CORRECTION_KK not in notes_html
    # The update is still the Kazakh source's text: marked as Kazakh.
    assert f'lang="kk">{UPDATE_KK}</p>' in notes_html
    assert f'<p class="editors-note__text">{CORRECTION_RU}</p>' in notes_html


def test_dates_follow_the_last_note_not_a_republish(client, corrected):
    story = corrected["story"]
    # A typo fixed and republished later does not move dateModified.
    story.title = "Алма фестивалі (түзетілген)"
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    data = json_ld(html)
    assert data["dateModified"] == UPDATED_AT.isoformat()
    assert f'<meta property="article:modified_time" content="{UPDATED_AT.isoformat()}">' in html
    plain = json_ld(client.get(corrected["plain"].url).content.decode())
    assert plain["dateModified"] == plain["datePublished"]


def test_json_ld_correction_comments_follow_schema_org(client, corrected):
    data = json_ld(client.get(corrected["ru"].url).content.decode())
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": CORRECTION_RU,
            "datePublished": CORRECTED_AT.isoformat(),
        }
    ]
    check_schema_org(data)


def test_api_updated_at_and_corrections(client, corrected):
    ru = corrected["ru"]
    listing = client.get("/api/v1/news/?locale=ru").json()["results"]
    item = next(entry for entry in listing if entry["id"] == ru.pk)
    assert item["updated_at"] == UPDATED_AT.isoformat()
    detail = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()
    assert detail["updated_at"] == UPDATED_AT.isoformat()
    story = corrected["story"]
    ids = [block.id for block in story.notes]
    assert detail["corrections"] == [
        {
            "id": ids[0],
            "kind": "correction",
            "at": CORRECTED_AT.isoformat(),
            "text": CORRECTION_RU,
            "lang": "ru",
            "is_translated": True,
        },
        {
            "id": ids[1],
            "kind": "update",
            "at": UPDATED_AT.isoformat(),
            "text": UPDATE_KK,
            "lang": "kk",
            "is_translated": False,
        },
    ]
    plain = client.get(f"/api/v1/news/{corrected['plain'].pk}/?locale=kk").json()
    assert (plain["updated_at"], plain["corrections"]) == (None, [])


def test_feeds_say_when_a_story_was_updated(client, corrected):
    atom = feedparser.parse(client.get("/kk/news/feed/atom/").content)
    entry = next(e for e in atom.entries if e.title == "Алма фестивалі")
    assert entry.updated_parsed[:6] == UPDATED_AT.timetuple()[:6]
    rss = client.get("/kk/news/feed/rss/").content
    parsed = feedparser.parse(rss)
    assert not parsed.bozo
    entry = next(e for e in parsed.entries if e.title == "Алма фестивалі")
    assert entry.updated_parsed[:6] == UPDATED_AT.timetuple()[:6]  # atom:updated
    plain = next(e for e in parsed.entries if e.title == "Түзетусіз")
    assert "updated" not in plain


def corrections_path(language):
    with translation.override(language):
        return reverse("news_corrections")


def test_corrections_page_lists_every_correction_newest_first(client, corrected):
    html = client.get(corrections_path("kk")).content.decode()
    assert html.index(CORRECTION_KK) < html.index("Аты түзетілді.")
    assert UPDATE_KK not in html  # updates are not corrections
    ru = client.get(corrections_path("ru")).content.decode()
    assert CORRECTION_RU in ru and CORRECTION_KK not in ru
    # The Kazakh-only story's correction, as a fallback, marked with its language.
    assert re.search(r'lang="kk">Тек қазақша</a>', ru)
    assert f'href="{corrected["ru"].url}#note-' in ru


def test_corrections_page_costs_the_same_for_1_and_30_corrected_stories(client, site_tree):
    _home, index = site_tree
    make_news(index, "Түзету 0", slug="c-0", notes=notes(("correction", CORRECTED_AT, "Т0")))
    url = corrections_path("ru")

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    for n in range(1, 30):
        at = CORRECTED_AT + datetime.timedelta(hours=n)
        make_news(index, f"Түзету {n}", slug=f"c-{n}", notes=notes(("correction", at, f"Т{n}")))
    assert count() == one
    assert client.get(url).content.decode().count("editors-note--correction") == 30


def test_a_note_added_to_the_source_reaches_the_translation_through_sync(client, corrected):
    story = NewsPage.objects.get(pk=corrected["story"].pk)
    later = timezone.now().replace(microsecond=0)
    story.notes.append(("note", {"kind": "clarification", "at": later, "text": "Нақтылау."}))
    story.save_revision().publish()
    # "Sync translated pages" in the admin: the source is read again, translations saved.
    source, _created = TranslationSource.update_or_create_from_instance(story)
    translation_ = Translation.objects.get(source=source, target_locale__language_code="ru")
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation_.save_target(publish=True)
    ru = NewsPage.objects.get(pk=corrected["ru"].pk)
    kinds = [block.value["kind"] for block in ru.notes]
    assert kinds == ["correction", "update", "clarification"]
    assert ru.notes[2].value["at"] == later  # synchronised from the source
    assert ru.updated_at == later
    html = client.get(ru.url).content.decode()
    assert 'lang="kk">Нақтылау.</p>' in html  # not translated yet: shown in Kazakh, marked
    detail = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()
    assert detail["corrections"][2]["lang"] == "kk"
    assert detail["updated_at"] == later.isoformat()


def _form_with_notes(story, notes):
    """The page editor's own form for ``story``, ``notes`` as (kind, "YYYY-MM-DD HH:MM", text)."""
    from wagtail.test.utils.form_data import streamfield

    from tests.factories import edit_form_data

    return edit_form_data(
        story,
        image_alt="",
        image_caption="",
        image_credit="",
        byline="",
        notes=streamfield(
            [("note", {"kind": kind, "at": at, "text": text}) for kind, at, text in notes]
        ),
    )


def test_a_preview_shows_unsaved_notes_and_their_time(client, corrected, admin_client):
    story = corrected["plain"]
    data = _form_with_notes(story, [("correction", "2024-05-10 08:00", "Жаңа.")])
    post = admin_client.post(f"/admin/pages/{story.pk}/edit/preview/", data)
    assert post.status_code == 200 and post.json()["is_valid"], post.content[:500]
    html = admin_client.get(f"/admin/pages/{story.pk}/edit/preview/?mode=").content.decode()
    assert 'class="notice notice--correction"' in html and "Жаңа." in html
    assert "article__updated" in html
    # Nothing was saved: readers still see the story without notes.
    assert "article__updated" not in client.get(story.url).content.decode()


def test_every_page_footer_links_the_corrections_page_in_its_language(client, corrected):
    """Issue 32: the corrections pages were linked from nowhere."""
    for url, language in ((corrected["story"].url, "kk"), (corrected["ru"].url, "ru")):
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer"') :]
        assert f'<a href="{corrections_path(language)}">' in footer
    home = client.get("/en/").content.decode()
    assert f'<a href="{corrections_path("en")}">Corrections</a>' in home


def test_the_correction_notice_links_the_notes_and_the_corrections_page(client, corrected):
    """The notice on a corrected story jumps to its notes and leads to every correction."""
    html = client.get(corrected["ru"].url).content.decode()
    start = html.index('class="notice notice--correction"')
    notice = html[start : html.index("</p>", start)]
    assert '<a href="#notes">' in notice
    assert f'href="{corrections_path("ru")}">Все исправления</a>' in notice
    response = client.get(corrections_path("ru"))
    assert response.status_code == 200 and CORRECTION_RU in response.content.decode()


# --- Published notes are append-only (issue 27, item 9) ----------------------------------


def _edit(client, story, notes, publish=False):
    """The page editor's own form, posted: ``notes`` as (id or None, kind, at, text)."""
    data = _form_with_notes(
        story,
        [
            (kind, timezone.localtime(at).strftime("%Y-%m-%d %H:%M"), text)
            for _id, kind, at, text in notes
        ],
    )
    for position, (note_id, *_rest) in enumerate(notes):
        data[f"notes-{position}-id"] = note_id or ""
    if publish:
        data["action-publish"] = "action-publish"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/admin/pages/{story.pk}/edit/", data)


def test_published_notes_are_append_only(client, corrected):
    from django.contrib.auth import get_user_model
    from wagtail.models import PageLogEntry

    from home import roles

    groups = roles.ensure_groups()
    users = get_user_model().objects
    editor = users.create_user("eddie", password="pw")
    editor.groups.add(groups["Editors"])
    moderator = users.create_user("mona", password="pw")
    moderator.groups.add(groups["Moderators"])
    story = corrected["story"]
    correction, update = [(block.id, block.value) for block in story.notes]
    kept_correction = (correction[0], "correction", CORRECTED_AT, CORRECTION_KK)
    kept_update = (update[0], "update", UPDATED_AT, UPDATE_KK)
    staff = TestCase.client_class()

    # An editor may append a note, but neither drop nor rewrite a published one.
    staff.force_login(editor)
    # The refusal, in the admin's language; Wagtail writes a StreamField's errors into the
    # field's JSON, so its letters come \u-escaped.
    refused = "ешқашан жойылмайды және қайта жазылмайды"
    refused = (refused, json.dumps(refused)[1:-1])
    response = _edit(staff, story, [kept_update])
    html = response.content.decode()
    assert response.status_code == 200 and any(text in html for text in refused)
    rewritten = (correction[0], "correction", CORRECTED_AT, "Басқа мәтін.")
    response = _edit(staff, story, [rewritten, kept_update])
    html = response.content.decode()
    assert response.status_code == 200 and any(text in html for text in refused)
    later = (None, "update", UPDATED_AT + datetime.timedelta(days=1), "Тағы бір жаңарту.")
    assert _edit(staff, story, [kept_correction, kept_update, later]).status_code == 302

    # A moderator (news.withdraw_note) withdraws the correction and publishes.
    staff.force_login(moderator)
    assert _edit(staff, story, [kept_update], publish=True).status_code == 302
    story.refresh_from_db()
    assert [block.value["kind"] for block in story.notes] == ["update"]
    entry = PageLogEntry.objects.get(page=story, action="news.note_withdrawn")
    assert entry.user == moderator and entry.data["text"] == CORRECTION_KK
    # The public record keeps a trace, in every language of the story.
    # (The Russian translation drops the note itself at its next sync, like any change.)
    for page in (story, corrected["ru"]):
        html = client.get(page.url).content.decode()
        assert 'data-note-trace="withdrawn"' in html, page.url
    assert CORRECTION_KK not in client.get(story.url).content.decode()
