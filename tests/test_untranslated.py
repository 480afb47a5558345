"""news/untranslated.py: one rule says whether a segment is translated, as published, and
every surface asks it: the ``lang`` marks (HTML, the API's notes), ``untranslated_paths``
(``field_locales``), the coverage report and the publish guard."""

import datetime

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from news import untranslated
from news.desk import coverage, localize
from news.models import NewsPage
from tests.factories import make_news, translate

AT = datetime.datetime(2024, 5, 8, 9, 30, tzinfo=datetime.UTC)
NAME = "Ерлан Нұрланов"  # a name: its Russian is the same text


@pytest.fixture(autouse=True)
def _no_response_cache_nor_rate_limit(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""


@pytest.fixture
def noted_story(ru_site):
    """A Kazakh story with one editor's note, under a site translated into Russian."""
    _home, index, _ru_home, _ru_index = ru_site
    return make_news(
        index,
        "Әкім жауап берді",
        slug="akim",
        notes=[("note", {"kind": "correction", "at": AT, "text": NAME})],
    )


def surfaces(client, story):
    """What each surface says of the note's segment in the Russian version."""
    ru = NewsPage.objects.get(translation_key=story.translation_key, locale__language_code="ru")
    note_id = ru.notes[0].id
    _locales, stories = coverage.build_coverage()
    cell = next(s for s in stories if s.translation_key == story.translation_key).cell("ru")
    translation = Translation.objects.get(
        source__object_id=story.translation_key, target_locale__language_code="ru"
    )
    html = client.get(ru.url).content.decode()
    detail = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()
    return {
        "coverage": cell.state,
        "paths": f"notes.{note_id}.text" in untranslated.untranslated_paths(ru),
        "html lang": f'lang="kk">{NAME}</p>' in html,
        "api lang": detail["corrections"][0]["lang"],
        "api is_translated": detail["corrections"][0]["is_translated"],
        "guard": localize.untranslated_count(translation),
    }


def test_a_note_translated_as_the_same_text_is_translated_on_every_surface(client, noted_story):
    # The notes' old text-equality check marked it Kazakh while the coverage report, the
    # field marks and the publish guard counted it translated.
    translate(noted_story, "ru", strings={NAME: NAME})
    assert surfaces(client, noted_story) == {
        "coverage": coverage.LIVE,
        "paths": False,
        "html lang": False,
        "api lang": "ru",
        "api is_translated": True,
        "guard": 0,
    }


def test_a_note_left_untranslated_is_untranslated_on_every_surface(client, noted_story):
    translate(noted_story, "ru", leave={NAME})
    assert surfaces(client, noted_story) == {
        "coverage": coverage.PARTIAL,
        "paths": True,
        "html lang": True,
        "api lang": "kk",
        "api is_translated": False,
        "guard": 1,
    }


def test_a_segment_typed_after_the_publish_is_not_in_the_live_page(client, noted_story):
    translate(noted_story, "ru", leave={NAME})
    # The translator types it in wagtail-localize's editor; nothing is published yet.
    segment = StringSegment.objects.get(
        source__object_id=noted_story.translation_key, string__data=NAME
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=Locale.objects.get(language_code="ru"),
        context=segment.context,
        data="Ерлан Нурланов",
    )
    assert surfaces(client, noted_story) == {
        "coverage": coverage.PARTIAL,
        "paths": True,
        "html lang": True,
        "api lang": "kk",
        "api is_translated": False,
        "guard": 0,  # the next publish carries it
    }
