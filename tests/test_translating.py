"""news/desk/translating.py: the one way code writes a synced wagtail-localize translation."""

from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from news.desk.translating import write_translation
from news.models import NewsPage
from tests.factories import NewsTopicFactory, make_news

TITLE = "Жаңа зауыт"


def ru():
    return Locale.objects.get(language_code="ru")


def test_a_page_is_published_synced_with_every_string_written(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    page = make_news(index, TITLE, slug="zauyt")
    written = write_translation(page, ru(), lambda segment: f"RU {segment.string.data}")
    target = NewsPage.objects.get(pk=written.target.pk)
    assert target.live and target.locale == ru() and target.title == f"RU {TITLE}"
    assert written.missing == []
    assert Translation.objects.get(source__object_id=page.translation_key).enabled
    assert StringTranslation.objects.filter(locale=ru()).count() >= 4


def test_missing_strings_keep_the_source_and_the_guard_keeps_a_draft(ru_site, settings):
    settings.NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False
    _home, index, _ru_home, _ru_index = ru_site
    page = make_news(index, TITLE, slug="zauyt")
    written = write_translation(page, ru(), {TITLE: "Новый завод"})
    assert TITLE not in written.missing and written.missing  # the lead, the body…
    target = NewsPage.objects.get(pk=written.target.pk)
    assert not target.live  # incomplete: saved as a draft, not published
    assert target.title == "Новый завод"


def test_a_snippet_without_drafts_is_saved_at_once(ru_site):
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    written = write_translation(topic, ru(), {"Экономика": "Экономика RU"})
    assert written.target.name == "Экономика RU" and written.target.locale == ru()
