"""Honest partial translations (issue 18, parts 3 and 4), through wagtail-localize's real
models and its real translate, edit and sync views.

A translation published with untranslated segments carries the source's text: every
such segment says its language (``lang`` in HTML, ``field_locales`` in the API); the
coverage report shows it live with its share translated; an untranslated slug follows
the translated title; and the translation editor says how machine translation is
turned on when none is.
"""

import contextlib
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from news import untranslated
from news.desk import coverage
from news.desk.translating import write_translation
from news.models import NewsPage
from tests.factories import make_news, translate

# Every string of the test story, with its Russian translation.
RUSSIAN = {
    "Жаңа зауыт": "Новый завод",
    "zhana-zauyt": "novyi-zavod",
    "Жаңа зауыт: қысқаша": "Новый завод: кратко",
    "Жаңа зауыт мәтіні.": "Текст о новом заводе.",
    "Тарау": "Раздел",
    "Сөз": "Слово",
    "Джун Ямада": "Джун Ямада",
    "Талғар ауданының әкімі": "аким Талгарского района",
    "Зауыт алаңы": "Площадка завода",
    "Фото: ҚазАқпарат": "Фото: Казинформ",
}


@pytest.fixture(autouse=True)
def _no_response_cache_nor_rate_limit(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""


@pytest.fixture
def english_editor(client, db):
    """The test client, logged in as a superuser whose admin speaks English."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin speaks Kazakh unless told otherwise
    profile.save()
    client.force_login(user)
    return client


def story(index, image=None):
    body = [
        ("heading", {"text": "Тарау", "level": "h2"}),
        ("paragraph", "<p>Жаңа зауыт мәтіні.</p>"),
        (
            "quote",
            {
                "text": "Сөз",
                "attribution": "Джун Ямада",
                "role": "Талғар ауданының әкімі",
                "source_url": "",
            },
        ),
    ]
    if image is not None:
        body.append(
            ("image", {"image": image, "caption": "Зауыт алаңы", "credit": "Фото: ҚазАқпарат"})
        )
    return make_news(index, "Жаңа зауыт", slug="zhana-zauyt", body=body)


def translate_partly(page, language="ru", *, leave=(), publish=True, strings=None):
    """Translate ``page`` through wagtail-localize's models, leaving the ``leave`` strings out."""
    strings = strings or RUSSIAN
    target = Locale.objects.get(language_code=language)
    with TestCase.captureOnCommitCallbacks(execute=True):
        write_translation(
            page,
            target,
            lambda segment: None if segment.string.data in leave else strings[segment.string.data],
            publish=publish,
        )
    return type(page).objects.get(pk=page.get_translation(target).pk)


def block_id(page, block_type):
    return next(block.id for block in page.body if block.block_type == block_type)


def element(html, css_class):
    """The opening tag of the first element with ``css_class``."""
    match = re.search(rf'<[a-z0-9]+ class="{css_class}"[^>]*>', html)
    assert match, css_class
    return match.group(0)


# --- Which segments are untranslated ---------------------------------------------------


def test_untranslated_segments_from_wagtail_localize_records(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"Талғар ауданының әкімі", "Жаңа зауыт: қысқаша"})
    quote = block_id(ru, "quote")
    assert ru.body[2].value["role"] == "Талғар ауданының әкімі"  # wagtail-localize's fallback

    languages = untranslated.field_languages(ru)
    assert languages.fields == {"lead": "kk"}
    assert languages.blocks == {quote: {"role": "kk"}}
    # The source version, and a complete translation, have nothing to mark.
    assert not untranslated.field_languages(kk)
    assert not untranslated.field_languages(translate_partly(kk, "en"))


def test_a_string_translated_after_publishing_is_not_in_the_live_page_yet(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    ru = translate_partly(story(index), leave={"Талғар ауданының әкімі"})
    segment = TranslationSource.objects.get(object_id=ru.translation_key).stringsegment_set.get(
        string__data="Талғар ауданының әкімі"
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=ru.locale,
        context=segment.context,
        data="аким Талгарского района",
    )
    quote = block_id(ru, "quote")
    assert untranslated.field_languages(ru).blocks == {quote: {"role": "kk"}}
    assert untranslated.field_languages(ru, preview=True).blocks == {}


def test_one_query_then_none_until_the_content_changes(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    ru = translate_partly(story(index), leave={"Талғар ауданының әкімі"})
    with contextlib.nullcontext():
        with CaptureQueriesContext(connection) as first:
            untranslated.field_languages(ru)
        with CaptureQueriesContext(connection) as second:
            untranslated.field_languages(ru)
    assert (len(first), len(second)) == (1, 0)


# --- HTML ---------------------------------------------------------------------------


def test_the_reader_page_marks_each_untranslated_segment_lang_kk(client, ru_site):
    from tests.factories import make_image

    _home, index, _ru_home, _ru_index = ru_site
    image = make_image()
    kk = story(index, image=image)
    kk.image, kk.image_caption, kk.image_credit = image, "Зауыт алаңы", "Фото: ҚазАқпарат"
    kk.save_revision().publish()
    ru = translate_partly(
        kk, leave={"Талғар ауданының әкімі", "Зауыт алаңы", "Фото: ҚазАқпарат", "Тарау"}
    )
    html = client.get(ru.url).content.decode()

    assert '<div class="article__content" lang="ru">' in html
    assert element(html, "quote__role") == '<span class="quote__role" lang="kk">'
    assert element(html, "block-heading") == '<h2 class="block-heading" lang="kk">'
    # Translated segments carry no lang of their own: they inherit the page's.
    assert element(html, "quote__speaker") == '<span class="quote__speaker">'
    assert element(html, "article__title") == '<h1 class="article__title">'
    assert element(html, "block-paragraph rich-text") == '<div class="block-paragraph rich-text">'
    # The hero's and the image block's caption and credit.
    assert html.count('<span class="caption__text" lang="kk">Зауыт алаңы</span>') == 2
    assert html.count('<span lang="kk">Фото: ҚазАқпарат</span>') == 2

    # The Kazakh original has no marks at all.
    kazakh = client.get(kk.url).content.decode()
    assert element(kazakh, "quote__role") == '<span class="quote__role">'
    assert element(kazakh, "block-heading") == '<h2 class="block-heading">'
    assert '<span class="caption__text">Зауыт алаңы</span>' in kazakh


def test_published_through_the_admin_translate_and_edit_views(
    english_editor, client, ru_site, django_capture_on_commit_callbacks
):
    """Translate this page → translate all but the role in the editor → publish."""
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru_locale = Locale.objects.get(language_code="ru")
    english_editor.post(
        reverse("wagtail_localize:submit_page_translation", args=[kk.id]),
        {"locales": [ru_locale.id]},
    )
    translation = Translation.objects.get(source__object_id=kk.translation_key)
    for segment in translation.source.stringsegment_set.select_related("string"):
        if segment.string.data == "Талғар ауданының әкімі":
            continue
        response = english_editor.put(
            reverse("wagtail_localize:edit_string_translation", args=[translation.id, segment.id]),
            f"value={RUSSIAN[segment.string.data]}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201
    ru = kk.get_translation(ru_locale)
    with django_capture_on_commit_callbacks(execute=True):
        response = english_editor.post(
            reverse("wagtailadmin_pages:edit", args=[ru.id]), {"action": "publish"}
        )
    assert response.status_code == 302
    client.logout()
    html = client.get(NewsPage.objects.get(pk=ru.pk).url).content.decode()
    assert '<span class="quote__role" lang="kk">Талғар ауданының әкімі</span>' in html
    assert element(html, "quote__speaker") == '<span class="quote__speaker">'


def test_an_index_page_marks_its_untranslated_intro(client, site_tree):
    home, index = site_tree
    translate(home, "ru", strings={"Басты бет": "Главная"})
    index.intro = "<p>Облыс жаңалықтары.</p>"
    index.save_revision().publish()
    ru_index = translate_partly(
        index,
        leave={"<p>Облыс жаңалықтары.</p>", "Облыс жаңалықтары."},
        strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"},
    )
    html = client.get(ru_index.url).content.decode()
    assert element(html, "page-header__title") == '<h1 class="page-header__title">'
    assert element(html, "page-header__intro rich-text") == (
        '<div class="page-header__intro rich-text" lang="kk">'
    )


# --- API ----------------------------------------------------------------------------


def test_the_api_says_which_fields_are_in_which_language(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"Талғар ауданының әкімі", "Жаңа зауыт: қысқаша", "Тарау"})
    data = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()

    assert data["locale"] == "ru"
    assert data["field_locales"] == {"lead": "kk"}
    heading, paragraph, quote = data["body"]
    assert heading["field_locales"] == {"text": "kk"}
    assert "field_locales" not in paragraph  # translated: the item's locale
    assert quote["field_locales"] == {"role": "kk"}
    assert quote["value"]["role"] == "Талғар ауданының әкімі"

    # A fully translated story, and the Kazakh original, have none.
    original = client.get(f"/api/v1/news/{kk.pk}/?locale=kk").json()
    assert original["field_locales"] == {}
    assert all("field_locales" not in block for block in original["body"])


def test_listings_say_which_listed_fields_are_untranslated(client, ru_site):
    # The listing shows a translation's title and lead: an untranslated lead is marked in
    # the HTML card and in the API list item, the translated title is not.
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    translate_partly(kk, leave={"Жаңа зауыт: қысқаша"})

    items = client.get("/api/v1/news/?locale=ru").json()["results"]
    (item,) = [item for item in items if item["translation_key"] == str(kk.translation_key)]
    assert item["locale"] == "ru" and item["field_locales"] == {"lead": "kk"}
    original = client.get("/api/v1/news/?locale=kk").json()["results"]
    assert all(item["field_locales"] == {} for item in original)

    ru_index = index.get_translation(Locale.objects.get(language_code="ru"))
    html = client.get(ru_index.url).content.decode()
    assert element(html, "news-card__lead") == '<p class="news-card__lead" lang="kk">'
    assert '<span lang="ru">' + RUSSIAN["Жаңа зауыт"] + "</span>" in html


def test_wagtail_api_v2_detail_body_blocks_say_it_too(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    ru = translate_partly(story(index), leave={"Талғар ауданының әкімі"})
    body = client.get(f"/api/v2/pages/{ru.pk}/").json()["body"]
    assert [block.get("field_locales") for block in body] == [None, None, {"role": "kk"}]


def test_the_paragraph_reports_its_html_field(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    ru = translate_partly(story(index), leave={"Жаңа зауыт мәтіні."})
    data = client.get(f"/api/v1/news/{ru.pk}/?locale=ru").json()
    assert data["body"][1]["field_locales"] == {"html": "kk"}
    html = client.get(ru.url).content.decode()
    assert element(html, "block-paragraph rich-text") == (
        '<div class="block-paragraph rich-text" lang="kk">'
    )


# --- Coverage -------------------------------------------------------------------------


def cell(title, language):
    _locales, stories = coverage.build_coverage()
    found = next(s for s in stories if s.source["title"] == title)
    return found.cell(language)


def test_a_live_translation_with_untranslated_segments_reads_live(english_editor, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    translate_partly(kk, leave={"Талғар ауданының әкімі", "Жаңа зауыт: қысқаша", "Тарау"})
    ru = cell("Жаңа зауыт", "ru")
    assert ru.state == coverage.PARTIAL
    assert ru.is_live
    assert ru.percent == int(100 * 5 / 8)

    html = english_editor.get("/admin/reports/translation-coverage/?locale=ru").content.decode()
    assert "Live, 62% translated" in html
    assert "In progress" not in html.split("data-coverage-table", 1)[1]
    filtered = english_editor.get("/admin/reports/translation-coverage/?locale=ru&state=partial")
    assert "Жаңа зауыт" in filtered.content.decode()

    # Translating the rest and publishing again makes it plainly live.
    translate_partly(kk)
    assert cell("Жаңа зауыт", "ru").state == coverage.LIVE


def test_the_share_of_a_live_translation_is_what_readers_see(ru_site):
    """A string translated after publishing counts once the translation is published again."""
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"Талғар ауданының әкімі"})
    assert cell("Жаңа зауыт", "ru").percent == int(100 * 7 / 8)
    segment = TranslationSource.objects.get(object_id=kk.translation_key).stringsegment_set.get(
        string__data="Талғар ауданының әкімі"
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=ru.locale,
        context=segment.context,
        data="аким Талгарского района",
    )
    assert (cell("Жаңа зауыт", "ru").state, cell("Жаңа зауыт", "ru").percent) == (
        coverage.PARTIAL,
        int(100 * 7 / 8),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        Translation.objects.get(source__object_id=kk.translation_key).save_target(publish=True)
    assert cell("Жаңа зауыт", "ru").state == coverage.LIVE


def test_a_draft_translation_is_still_in_progress(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    translate_partly(story(index), leave={"Талғар ауданының әкімі"}, publish=False)
    assert cell("Жаңа зауыт", "ru").state == coverage.IN_PROGRESS


# --- The slug follows the translated title ----------------------------------------------


def test_an_untranslated_slug_comes_from_the_translated_title(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"zhana-zauyt"})
    assert ru.slug == "новый-завод"
    assert unquote(ru.url) == "/ru/novosti/новый-завод/"
    assert client.get(ru.url).status_code == 200
    # The Kazakh slug under /ru/ (links shared before) leads the reader to the translation.
    response = client.get("/ru/novosti/zhana-zauyt/")
    assert response.status_code in (301, 302)
    assert unquote(response.headers["Location"]).endswith("/ru/novosti/новый-завод/")


def test_a_translated_slug_is_kept(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    assert translate_partly(story(index)).slug == "novyi-zavod"


def test_with_the_title_untranslated_too_the_source_slug_stays(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    ru = translate_partly(story(index), leave={"zhana-zauyt", "Жаңа зауыт"})
    assert ru.slug == "zhana-zauyt"


def test_a_live_translation_whose_slug_changes_redirects_its_old_url(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"zhana-zauyt", "Жаңа зауыт"})  # today's Kazakh slug
    assert ru.slug == "zhana-zauyt"
    old_url = ru.url
    ru = translate_partly(kk, leave={"zhana-zauyt"})  # the title is translated later
    assert ru.slug == "новый-завод"
    assert Redirect.objects.filter(redirect_page=ru).exists()
    response = client.get(old_url)
    assert response.status_code in (301, 302)


def test_the_sync_view_gives_an_untranslated_slug_from_the_title(
    english_editor, ru_site, django_capture_on_commit_callbacks
):
    """wagtail-localize's "Sync translated pages" publishes through the same rule."""
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"zhana-zauyt", "Жаңа зауыт"})
    source = TranslationSource.objects.get(object_id=kk.translation_key)
    title = source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.create(
        translation_of=title.string, locale=ru.locale, context=title.context, data="Новый завод"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = english_editor.post(
            reverse("wagtail_localize:update_translations", args=[source.id]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=ru.pk).slug == "новый-завод"


# --- Machine translation is discoverable -----------------------------------------------


def test_the_translation_editor_says_how_to_turn_machine_translation_on(
    english_editor, ru_site, settings
):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"Талғар ауданының әкімі"}, publish=False)
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    html = english_editor.get(reverse("wagtailadmin_pages:edit", args=[ru.id])).content.decode()
    assert "js-translation-editor" in html  # wagtail-localize's own editor
    assert "data-machine-translation-hint" in html
    assert "no machine translator is configured" in html
    assert (
        'href="https://wagtail-localize.org/stable/how-to/integrations/machine-translation/"'
        in (html)
    )

    # In the translator's language (Kazakh admin).
    profile = UserProfile.get_for_user(get_user_model().objects.get(username="editor"))
    profile.preferred_language = "kk"
    profile.save()
    kazakh = english_editor.get(reverse("wagtailadmin_pages:edit", args=[ru.id])).content.decode()
    assert "data-machine-translation-hint" in kazakh
    assert "Машиналық аударма өшірулі" in kazakh

    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    configured = english_editor.get(
        reverse("wagtailadmin_pages:edit", args=[ru.id])
    ).content.decode()
    assert "js-translation-editor" in configured
    assert "data-machine-translation-hint" not in configured


# --- A newsroom may forbid publishing incomplete translations ---------------------------


def test_with_incomplete_publishing_forbidden_the_editor_refuses_and_says_why(
    english_editor, ru_site, settings, django_capture_on_commit_callbacks
):
    settings.NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk, leave={"Талғар ауданының әкімі", "Тарау"}, publish=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=[ru.id])
    with django_capture_on_commit_callbacks(execute=True):
        response = english_editor.post(edit_url, {"action": "publish"}, follow=True)
    assert response.redirect_chain[0] == (edit_url, 302)
    assert "Not published: 2 segments are still untranslated" in response.content.decode()
    assert not NewsPage.objects.get(pk=ru.pk).live

    # Once every segment is translated, it publishes.
    translate_partly(kk, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = english_editor.post(edit_url, {"action": "publish"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=ru.pk).live


def test_with_incomplete_publishing_forbidden_a_sync_saves_a_draft(
    english_editor, ru_site, settings, django_capture_on_commit_callbacks
):
    _home, index, _ru_home, _ru_index = ru_site
    kk = story(index)
    ru = translate_partly(kk)  # complete and live
    settings.NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False
    kk.lead = "Жаңа лид"  # a new segment, untranslated in Russian
    kk.save_revision().publish()
    source = TranslationSource.objects.get(object_id=kk.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        english_editor.post(
            reverse("wagtail_localize:update_translations", args=[source.id]),
            {"publish_translations": "on"},
        )
    # The live page keeps its complete translation (wagtail-localize would write even a
    # draft into it); the new segment waits in the translation editor.
    ru = NewsPage.objects.get(pk=ru.pk)
    assert ru.lead == "Новый завод: кратко"
    assert ru.get_latest_revision_as_object().lead == "Новый завод: кратко"
    assert source.stringsegment_set.filter(string__data="Жаңа лид").exists()
