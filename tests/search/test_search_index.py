"""The index follows publishing, unpublishing, translating and deleting; rebuild command."""

import io

from django.core.management import call_command
from wagtail.models import PageViewRestriction

from search import index
from search.models import SearchEntry
from search.query import search_news
from tests.factories import make_news, translate


def found(q, language="kk"):
    return [page.pk for page in search_news(q, language)]


def test_publish_indexes_and_republish_reindexes(site_tree):
    _home, index_page = site_tree
    page = make_news(index_page, "Жапония елшісі", lead="Кездесу")
    entry = SearchEntry.objects.get(page=page)
    assert entry.language == "kk"
    assert " жапония " in entry.title_terms
    assert found("Жапонияға") == [page.pk]

    page.title = "Қытай елшісі"
    page.body = []
    page.save_revision().publish()
    assert found("Жапония") == []
    assert found("Қытайда") == [page.pk]


def test_draft_changes_are_not_searchable(site_tree):
    _home, index_page = site_tree
    page = make_news(index_page, "Жапония")
    page.title = "Құпия жоба"
    page.save_revision()  # a draft, not published
    assert found("Құпия") == []
    assert found("Жапония") == [page.pk]


def test_unpublished_and_never_published_pages_are_not_found(site_tree):
    _home, index_page = site_tree
    draft = make_news(index_page, "Жапония жобасы", publish=False)
    assert not SearchEntry.objects.filter(page=draft).exists()
    page = make_news(index_page, "Жапония туралы")
    assert found("Жапония") == [page.pk]
    page.unpublish()
    assert not SearchEntry.objects.filter(page=page).exists()
    assert found("Жапония") == []


def test_private_pages_are_not_found_even_when_indexed(site_tree):
    _home, index_page = site_tree
    page = make_news(index_page, "Жапония құпиясы")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert SearchEntry.objects.filter(page=page).exists()
    assert found("Жапония") == []
    # A restriction on an ancestor hides the page too.
    PageViewRestriction.objects.all().delete()
    PageViewRestriction.objects.create(
        page=index_page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert found("Жапония") == []


def test_deleting_a_page_deletes_its_entry(site_tree):
    _home, index_page = site_tree
    page = make_news(index_page, "Жапония")
    page.delete()
    assert not SearchEntry.objects.exists()


def test_translation_publish_indexes_the_translation(site_tree):
    home, index_page = site_tree
    translate(home, "ru")
    translate(index_page, "ru")
    page = make_news(index_page, "Жапония", lead="Кездесу")
    # Before the translation: the Russian reader finds the Kazakh version (fallback).
    assert found("Жапония", "ru") == [page.pk]
    ru = translate(
        page,
        "ru",
        strings={
            "Жапония": "Япония",
            "Жапония мәтіні.": "О Японии.",
            "Кездесу": "Встреча",
            "Сөз": "Слово",
            "Джун Ямада": "Дзюн Ямада",
            "Елші": "Посол",
        },
    )
    entry = SearchEntry.objects.get(page=ru)
    assert entry.language == "ru"
    # The Russian reader now gets the Russian version, found with Russian words.
    assert found("Японии", "ru") == [ru.pk]
    assert found("Жапония", "ru") == []
    assert found("Жапония", "kk") == [page.pk]
    # One result per story.
    assert found("Японией", "ru") == [ru.pk]


def test_rebuild_command_with_progress(site_tree):
    _home, index_page = site_tree
    pages = [make_news(index_page, f"Жапония {n}") for n in range(3)]
    make_news(index_page, "Жоба", publish=False)
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(page=index_page, translation_key=index_page.translation_key)
    assert found("Жапония") == []
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=stdout, stderr=stderr)
    assert "Indexed 3 news pages." in stdout.getvalue()
    assert "[##############################] 3/3" in stderr.getvalue()
    assert set(SearchEntry.objects.values_list("page_id", flat=True)) == {p.pk for p in pages}
    assert sorted(found("Жапония")) == sorted(p.pk for p in pages)
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", verbosity=0, stdout=stdout, stderr=stderr)
    assert stdout.getvalue() == stderr.getvalue() == ""
    assert SearchEntry.objects.count() == 3


def test_rebuild_function_batches(site_tree, monkeypatch):
    _home, index_page = site_tree
    for n in range(5):
        make_news(index_page, f"Жаңалық {n}")
    monkeypatch.setattr(index, "BATCH_SIZE", 2)
    calls = []
    assert index.rebuild(progress=lambda done, total: calls.append((done, total))) == 5
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_indexed_text_covers_lead_quotes_and_captions(site_tree):
    _home, index_page = site_tree
    page = make_news(
        index_page,
        "Кездесу",
        lead="Қысқаша мазмұн",
        image_caption="Суреттің жазуы",
        body=[
            ("heading", {"text": "Тақырыпша", "level": "h2"}),
            ("paragraph", "<p>Бірінші<b>абзац</b></p><p>екінші</p>"),
            ("quote", {"text": "Сөз", "attribution": "Джун Ямада", "role": "Елші"}),
        ],
    )
    entry = SearchEntry.objects.get(page=page)
    for word in ("Қысқаша", "Тақырыпша", "екінші", "Ямада", "Елші"):
        assert word in entry.text
    # The caption is searched, but a snippet never quotes it (entry.text is the story's).
    assert "жазуы" not in entry.text
    assert found("жазуы") == [page.pk]
    assert found("Ямадамен") == [page.pk]
    assert found("абзац") == [page.pk]
