"""The story editor's topics: an empty row does not stop autosave, a topic twice is refused.

Against Wagtail's real admin views with the test client: the edit form posted as the
editor's browser posts it, and Wagtail 8's autosave request (the same form, asking for
JSON), which answered 400 "validation_error" (the header's "Autosave is paused") as soon
as an "Add topic" row was left empty.
"""

import pytest
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset

from news.models import NewsPage, NewsPageTopic
from tests.factories import NewsTopicFactory, edit_form_data, make_news, make_site

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}


def topic_rows(*topics):
    """Rows of the topics inline; None is a row added with no topic chosen."""
    return inline_formset([{"topic": topic.pk if topic else ""} for topic in topics])


@pytest.fixture
def topicless_story(db):
    _home, index = make_site()
    return make_news(index, "Тақырыптар", slug="topics", body=[])


def test_autosave_survives_an_empty_topic_row(editor, topicless_story):
    economy = NewsTopicFactory(name="Экономика", slug="ekonomika", locale=topicless_story.locale)
    url = f"/admin/pages/{topicless_story.pk}/edit/"
    data = edit_form_data(topicless_story, lead="Жаңа лид", topic_links=topic_rows(economy, None))
    response = editor.post(url, data, **AUTOSAVE)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["success"] is True
    # The text the editor typed is saved; the empty row is simply not a topic.
    draft = NewsPage.objects.get(pk=topicless_story.pk).get_latest_revision_as_object()
    assert draft.lead == "Жаңа лид"
    assert [link.topic_id for link in draft.topic_links.all()] == [economy.pk]

    # Publishing with the empty row still there works too, and stores one topic.
    data = edit_form_data(topicless_story, topic_links=topic_rows(None, economy))
    data["action-publish"] = "action-publish"
    response = editor.post(url, data)
    assert response.status_code == 302, response.content[:500]
    assert list(
        NewsPageTopic.objects.filter(page=topicless_story).values_list("topic_id", flat=True)
    ) == [economy.pk]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_topic_twice_is_refused_with_a_clear_message(editor, topicless_story, language):
    economy = NewsTopicFactory(name="Экономика", slug="ekonomika", locale=topicless_story.locale)
    url = f"/admin/pages/{topicless_story.pk}/edit/"
    data = edit_form_data(topicless_story, topic_links=topic_rows(economy, economy))
    data["action-publish"] = "action-publish"
    with translation.override(language):
        expected = str(translation.gettext("«%(topic)s» is already a topic of this story."))
    response = editor.post(url, data, HTTP_ACCEPT_LANGUAGE=language, headers={})
    assert response.status_code == 200  # the form again, with the error
    assert not NewsPageTopic.objects.filter(page=topicless_story).exists()
    html = response.content.decode()
    assert (expected % {"topic": "Экономика"}) in html or (
        expected.replace("«", "&laquo;").replace("»", "&raquo;") % {"topic": "Экономика"}
    ) in html

    # Autosave says so too (a validation error), instead of saving the duplicate.
    response = editor.post(
        url, edit_form_data(topicless_story, topic_links=topic_rows(economy, economy)), **AUTOSAVE
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
