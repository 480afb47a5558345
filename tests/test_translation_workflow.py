"""The translation desk's workflow, through wagtail-localize's real models and admin views."""

import datetime
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from home.models import HomePage
from news import untranslated
from news.desk import coverage
from news.models import NewsIndex, NewsPage, NewsTopic
from tests.factories import NewsTopicFactory, make_news, translate

COVERAGE_URL = "/admin/reports/translation-coverage/"


def locale(code):
    return Locale.objects.get(language_code=code)


def edit_paragraph(page, position, text):
    """Change one paragraph of ``page`` the way the admin form does (block ids kept) and publish."""
    page = NewsPage.objects.get(pk=page.pk)
    blocks = [dict(block) for block in page.body.raw_data]
    assert blocks[position]["type"] == "paragraph"
    blocks[position]["value"] = f"<p>{text}</p>"
    page.body = blocks
    page.save_revision().publish()
    return page


def untranslated_segments(source, language):
    """Source strings that still lack a translation into ``language`` (news.untranslated's rule)."""
    segments = StringSegment.objects.filter(source=source).exclude(
        untranslated.translated(locale(language).pk)
    )
    return [segment.string.data for segment in segments.select_related("string").order_by("order")]


def cells_by_title(language):
    _locales, stories = coverage.build_coverage()
    return {story.source["title"]: story.cell(language) for story in stories}


# --- Creating and publishing ------------------------------------------------------


def test_translate_edit_and_publish_through_the_admin(
    editor, ru_en_site, django_capture_on_commit_callbacks
):
    home, index = ru_en_site
    page = make_news(index, "Жаңа жаңалық", slug="zhana-zhanalyq")
    ru = locale("ru")

    # "Translate this page" creates a draft translation (nothing leaks to readers yet).
    response = editor.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.id]), {"locales": [ru.id]}
    )
    assert response.status_code == 302
    ru_page = page.get_translation(ru)
    assert not ru_page.live
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=ru)
    assert cells_by_title("ru")["Жаңа жаңалық"].state == coverage.IN_PROGRESS
    assert cells_by_title("ru")["Жаңа жаңалық"].percent == 0

    # The translator fills every segment in wagtail-localize's editor API...
    wanted = {
        "Жаңа жаңалық": "Свежая новость",
        "zhana-zhanalyq": "свежая-новость",
        "Жаңа жаңалық: қысқаша": "Свежая новость: кратко",
        "Жаңа жаңалық мәтіні.": "Текст свежей новости.",
        "Сөз": "Слово",
        "Джун Ямада": "Джун Ямада",
        "Елші": "Посол",
    }
    segments = translation.source.stringsegment_set.select_related("string")
    assert {segment.string.data for segment in segments} == set(wanted)
    for segment in segments:
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.id, segment.id])
        response = editor.put(
            url,
            f"value={wanted[segment.string.data]}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201
    assert cells_by_title("ru")["Жаңа жаңалық"].percent == 100

    # ...and publishes from its editor (the page's edit view).
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailadmin_pages:edit", args=[ru_page.id]), {"action": "publish"}
        )
    assert response.status_code == 302
    ru_page = NewsPage.objects.get(pk=ru_page.pk)
    assert ru_page.live
    assert ru_page.title == "Свежая новость"
    assert ru_page.slug == "свежая-новость"
    assert ru_page.body[1].value["role"] == "Посол"
    assert ru_page.date == page.date  # synchronised, not translated
    assert cells_by_title("ru")["Жаңа жаңалық"].state == coverage.LIVE

    response = editor.get(ru_page.url)
    assert response.status_code == 200
    assert response.context["is_fallback"] is False


# --- Syncing -------------------------------------------------------------------------


def test_sync_after_a_source_edit_asks_only_for_the_changed_segment(
    editor, ru_en_site, django_capture_on_commit_callbacks
):
    home, index = ru_en_site
    page = make_news(
        index,
        "Үш абзац",
        body=[
            ("paragraph", "<p>Бірінші абзац.</p>"),
            ("paragraph", "<p>Екінші абзац.</p>"),
            ("paragraph", "<p>Үшінші абзац.</p>"),
        ],
    )
    ru_page = translate(page, "ru")
    source = TranslationSource.objects.get_for_instance(page)
    assert untranslated_segments(source, "ru") == []

    edit_paragraph(page, 1, "Екінші абзац, түзетілген.")
    assert cells_by_title("ru")["Үш абзац"].state == coverage.OUTDATED

    # "Sync translated pages" in the admin re-extracts the source.
    response = editor.post(reverse("wagtail_localize:update_translations", args=[source.id]), {})
    assert response.status_code == 302
    source.refresh_from_db()
    assert untranslated_segments(source, "ru") == ["Екінші абзац, түзетілген."]
    cell = cells_by_title("ru")["Үш абзац"]
    assert cell.state == coverage.OUTDATED
    assert cell.percent == int(100 * 5 / 6)  # title, slug, lead, 3 paragraphs: 5 of 6 done

    # The translator translates that one segment and publishes: in sync again.
    translate(page, "ru", strings={"Екінші абзац, түзетілген.": "Второй абзац, исправленный."})
    ru_page = NewsPage.objects.get(pk=ru_page.pk)
    assert "Второй абзац, исправленный." in str(ru_page.body[1].value)
    assert cells_by_title("ru")["Үш абзац"].state == coverage.LIVE


# --- Slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "slug"), [("ru", "новости-дня"), ("en", "жаңа-жаңалық")])
def test_a_cyrillic_translated_slug_survives(client, ru_en_site, language, slug):
    home, index = ru_en_site
    page = make_news(index, "Күн жаңалығы", slug="kun-zhanalygy")
    translated = translate(page, language, strings={"kun-zhanalygy": slug})
    assert translated.slug == slug
    url = NewsPage.objects.get(pk=translated.pk).url
    assert unquote(url).endswith(f"/{slug}/")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].pk == translated.pk


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "пустой-слаг"),  # an empty translation is no translation: from the title
        ("!!!", "пустой-слаг"),  # slugifies to nothing: made from the translated title
        ("   ", "пустой-слаг"),
    ],
)
def test_a_translated_slug_is_never_empty(ru_en_site, given, expected):
    home, index = ru_en_site
    page = make_news(index, "Бос слаг", slug="bos-slag")
    translated = translate(page, "ru", strings={"bos-slag": given, "Бос слаг": "Пустой слаг"})
    assert translated.slug == expected
    assert NewsPage.objects.get(pk=translated.pk).slug == expected


# --- "Translate this page" for every translatable type -----------------------------------


def test_translate_this_page_for_the_home_page_with_its_whole_subtree(editor, site_tree):
    home, index = site_tree
    article = make_news(index, "Бірінші")
    ru = locale("ru")

    for page in (home, index, article):
        url = reverse("wagtail_localize:submit_page_translation", args=[page.id])
        assert editor.get(url).status_code == 200

    response = editor.post(
        reverse("wagtail_localize:submit_page_translation", args=[home.id]),
        {"locales": [ru.id], "include_subtree": "on"},
    )
    assert response.status_code == 302
    for page, model in ((home, HomePage), (index, NewsIndex), (article, NewsPage)):
        translated = page.get_translation(ru)
        assert isinstance(translated.specific, model)
        assert translated.alias_of_id is None
        assert Translation.objects.filter(
            source__object_id=page.translation_key, target_locale=ru
        ).exists()
        assert not translated.live  # drafts until a translator publishes them
    assert cells_by_title("ru")["Бірінші"].state == coverage.IN_PROGRESS


def test_translate_this_page_for_a_news_index(editor, site_tree):
    home, index = site_tree
    translate(home, "en")
    en = locale("en")
    response = editor.post(
        reverse("wagtail_localize:submit_page_translation", args=[index.id]), {"locales": [en.id]}
    )
    assert response.status_code == 302
    assert isinstance(index.get_translation(en).specific, NewsIndex)


def test_translate_this_snippet_for_a_topic(editor, site_tree):
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    ru = locale("ru")
    url = reverse(
        "wagtail_localize:submit_snippet_translation", args=["news", "newstopic", topic.pk]
    )
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"locales": [ru.id]})
    assert response.status_code == 302
    ru_topic = topic.get_translation(ru)
    assert ru_topic.translation_key == topic.translation_key

    # Translating the topic's strings and saving gives the Russian name and slug.
    translate(topic, "ru", strings={"Экономика": "Экономика", "ekonomika": "экономика"})
    ru_topic = NewsTopic.objects.get(pk=ru_topic.pk)
    assert (ru_topic.name, ru_topic.slug) == ("Экономика", "экономика")


# --- Drafts never leak -----------------------------------------------------------------


def test_a_draft_translation_never_leaks(client, ru_en_site):
    from news.queries import news_for_locale

    home, index = ru_en_site
    page = make_news(index, "Тек қазақша", slug="tek-qazaqsha")
    ru_draft = translate(
        page, "ru", publish=False, strings={"Тек қазақша": "Черновик", "tek-qazaqsha": "chernovik"}
    )
    assert not ru_draft.live
    ru_index = index.get_translation(locale("ru"))

    response = client.get(f"{ru_index.url}tek-qazaqsha/")
    assert response.status_code == 200
    assert response.context["is_fallback"] is True
    assert response.context["page"].pk == page.pk
    assert "Черновик" not in response.content.decode()

    # The draft's own URL does not show it either.
    response = client.get(f"{ru_index.url}chernovik/")
    assert response.status_code in (404, 302) or "Черновик" not in response.content.decode()

    listed = list(news_for_locale("ru", index=index))
    assert [item.pk for item in listed] == [page.pk]


# --- Coverage report ----------------------------------------------------------------------


def build_every_state(index):
    """One story per state in ru: live, outdated, in progress (draft), missing."""
    live = make_news(index, "Аударылған", date=datetime.date(2024, 6, 4))
    translate(live, "ru")
    outdated = make_news(index, "Ескірген", date=datetime.date(2024, 6, 3))
    translate(outdated, "ru")
    edit_paragraph(outdated, 0, "Жаңартылған мәтін.")
    TranslationSource.objects.get_for_instance(outdated).update_from_db()
    draft = make_news(index, "Жоба", date=datetime.date(2024, 6, 2))
    translate(draft, "ru", publish=False)
    # Only the title and slug are done in the draft's translation memory.
    StringTranslation.objects.filter(
        locale=locale("ru"), context__object_id=draft.translation_key
    ).exclude(context__path__in=["title", "slug"]).delete()
    missing = make_news(index, "Аударылмаған", date=datetime.date(2024, 6, 1))
    return live, outdated, draft, missing


def test_coverage_states_for_each_case(ru_en_site):
    home, index = ru_en_site
    build_every_state(index)
    ru_cells = cells_by_title("ru")
    assert ru_cells["Аударылған"].state == coverage.LIVE
    assert ru_cells["Аударылған"].percent == 100
    assert ru_cells["Ескірген"].state == coverage.OUTDATED
    assert ru_cells["Жоба"].state == coverage.IN_PROGRESS
    assert ru_cells["Жоба"].percent == int(100 * 2 / 7)  # 2 of 7 string segments
    assert ru_cells["Аударылмаған"].state == coverage.MISSING
    assert {cell.state for cell in cells_by_title("kk").values()} == {coverage.SOURCE}
    assert {cell.state for cell in cells_by_title("en").values()} == {coverage.MISSING}


def test_a_source_republished_after_the_translation_is_outdated_before_any_sync(ru_en_site):
    home, index = ru_en_site
    page = make_news(index, "Қайта жарияланған")
    translate(page, "ru")
    edit_paragraph(page, 0, "Редактор өзгертті.")  # no "Sync translated pages" yet
    assert cells_by_title("ru")["Қайта жарияланған"].state == coverage.OUTDATED


def test_a_live_translation_with_untranslated_segments_is_live_and_partial(ru_en_site):
    home, index = ru_en_site
    page = make_news(index, "Жартылай")
    translate(page, "ru")
    StringTranslation.objects.filter(
        locale=locale("ru"), context__object_id=page.translation_key, context__path="lead"
    ).delete()
    cell = cells_by_title("ru")["Жартылай"]
    assert cell.state == coverage.PARTIAL
    assert cell.percent == int(100 * 6 / 7)


def test_the_source_is_the_default_locale_version_else_the_oldest(ru_en_site):
    home, index = ru_en_site
    ru_index = index.get_translation(locale("ru"))
    ru_only = NewsPage(title="Только по-русски", slug="tolko-po-russki", lead="")
    ru_index.add_child(instance=ru_only)
    ru_only.save_revision().publish()
    _locales, stories = coverage.build_coverage()
    story = next(s for s in stories if s.translation_key == ru_only.translation_key)
    assert story.source_locale.language_code == "ru"
    assert story.cell("ru").state == coverage.SOURCE
    assert story.cell("kk").state == coverage.MISSING


def test_coverage_report_page_filters_counts_and_order(editor, ru_en_site):
    home, index = ru_en_site
    build_every_state(index)

    response = editor.get(COVERAGE_URL)
    assert response.status_code == 200
    titles = [row["story"].source["title"] for row in response.context["rows"]]
    assert titles == ["Аударылған", "Ескірген", "Жоба", "Аударылмаған"]  # newest first
    counts = {row["locale"].language_code: row["states"] for row in response.context["counts"]}
    ru_counts = {item["state"]: item["count"] for item in counts["ru"]}
    assert ru_counts == {
        "source": 0,
        "live": 1,
        "partial": 0,
        "outdated": 1,
        "in_progress": 1,
        "missing": 1,
    }
    en_counts = {item["state"]: item["count"] for item in counts["en"]}
    assert en_counts["missing"] == 4
    content = response.content.decode()
    # The admin speaks the editor's language (kk by default): the heading is translated.
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert translation.gettext("Translation coverage") in content
    assert 'data-state="outdated"' in content

    response = editor.get(COVERAGE_URL, {"locale": "ru", "state": "outdated"})
    rows = response.context["rows"]
    assert [row["story"].source["title"] for row in rows] == ["Ескірген"]
    assert [cell.locale.language_code for cell in rows[0]["cells"]] == ["ru"]

    response = editor.get(COVERAGE_URL, {"state": "in_progress"})
    assert [row["story"].source["title"] for row in response.context["rows"]] == ["Жоба"]

    # Bad input is ignored, never an error.
    for params in ({"locale": "xx", "state": "bogus", "p": "abc"}, {"p": "999"}, {"p": "-1"}):
        response = editor.get(COVERAGE_URL, params)
        assert response.status_code == 200
        assert len(response.context["rows"]) == 4


def test_coverage_report_is_in_the_reports_menu_and_for_editors_only(editor, client, site_tree):
    response = editor.get("/admin/")
    assert COVERAGE_URL in response.content.decode()
    editor.logout()
    response = client.get(COVERAGE_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_coverage_report_paginates(editor, ru_en_site, settings, monkeypatch):
    home, index = ru_en_site
    monkeypatch.setattr(coverage, "PAGE_SIZE", 2)
    for number in range(5):
        make_news(index, f"Жаңалық {number}", date=datetime.date(2024, 5, number + 1))
    first = editor.get(COVERAGE_URL)
    last = editor.get(COVERAGE_URL, {"p": "3"})
    assert len(first.context["rows"]) == 2
    assert [row["story"].source["title"] for row in last.context["rows"]] == ["Жаңалық 0"]


def _report_queries(client):
    client.get(COVERAGE_URL)  # warm-up (content types, menus)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(COVERAGE_URL)
    assert response.status_code == 200
    return len(queries)


def test_coverage_costs_a_constant_number_of_queries(editor, ru_en_site, django_assert_num_queries):
    home, index = ru_en_site
    build_every_state(index)
    with django_assert_num_queries(4):  # locales, pages, translations, segment progress
        coverage.build_coverage()
    few = _report_queries(editor)

    for number in range(8):
        page = make_news(index, f"Тағы {number}")
        if number % 2:
            translate(page, "ru")
        if number % 3 == 0:
            translate(page, "en", publish=False)
    with django_assert_num_queries(4):
        _locales, stories = coverage.build_coverage()
    assert len(stories) == 12
    assert _report_queries(editor) == few
