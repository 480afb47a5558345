"""Bulk "Translate into all languages" for pages and snippets (Wagtail bulk actions)."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import Translation

from news.models import NewsPage, NewsTopic
from newsdesk_memory.models import MemoryMatch
from tests.factories import NewsTopicFactory
from tests.memory.conftest import ROLE, ROLE_RU, edit_segment, story, submit


def _bulk(client, app_label, model_name, ids):
    url = reverse("wagtail_bulk_action", args=[app_label, model_name, "translate_all"])
    query = "&".join(f"id={i}" for i in ids) + "&next=/admin/"
    confirm = client.get(f"{url}?{query}")
    assert confirm.status_code == 200
    assert "Translate into all languages" in confirm.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{url}?{query}", {})


def test_bulk_translates_a_selection_of_pages_into_all_languages(ru_en_site, client, alice):
    _home, index = ru_en_site
    known = story(index, "Белгілі")
    edit_segment(client, submit(client, known, "ru")["ru"], ROLE, ROLE_RU)
    pages = [story(index, "Бір"), story(index, "Екі"), story(index, "Үш")]

    response = _bulk(client, "wagtailcore", "page", [p.id for p in pages])

    assert response.status_code == 302
    for page in pages:
        languages = sorted(
            t.target_locale.language_code
            for t in Translation.objects.filter(source__object_id=page.translation_key)
        )
        assert languages == ["en", "ru"]
        assert NewsPage.objects.filter(translation_key=page.translation_key).count() == 3
        # New translations are drafts, with memory filled in.
        ru_page = NewsPage.objects.get(
            translation_key=page.translation_key, locale__language_code="ru"
        )
        assert not ru_page.live
    assert MemoryMatch.objects.filter(string_translation__locale__language_code="ru").count() == 3
    # Once more: nothing new, no error.
    response = _bulk(client, "wagtailcore", "page", [p.id for p in pages])
    assert response.status_code == 302
    for page in pages:
        assert Page.objects.filter(translation_key=page.translation_key).count() == 3


def test_bulk_translates_snippets(site_tree, client, alice):
    topics = [NewsTopicFactory(name="Саясат"), NewsTopicFactory(name="Экономика")]
    response = _bulk(client, "news", "newstopic", [t.id for t in topics])
    assert response.status_code == 302
    for topic in topics:
        assert NewsTopic.objects.filter(translation_key=topic.translation_key).count() == 3
