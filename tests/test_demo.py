"""``manage.py load_demo``: a believable, idempotent demo newsroom."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site
from wagtail_localize.models import (
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)

from home.demo import content
from home.models import HomePage
from news.desk import coverage
from news.models import (
    Author,
    NewsIndex,
    NewsPage,
    NewsPageAuthor,
    NewsPageRelated,
    NewsPageTopic,
    NewsTopic,
)
from tests.kazakh_latin.twins import check_latin_twins

SEED = json.loads(
    (Path(__file__).resolve().parent.parent / "home/demo/seed_article.json").read_text("utf-8")
)


def counts():
    return {
        "locales": Locale.objects.count(),
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "pages per locale": sorted(
            Page.objects.values_list("locale__language_code", "live").order_by().distinct()
        ),
        "news pages": NewsPage.objects.count(),
        "revisions": Revision.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "images": get_image_model().objects.count(),
        "topics": NewsTopic.objects.count(),
        "topic links": NewsPageTopic.objects.count(),
        "related": NewsPageRelated.objects.count(),
        "sources": TranslationSource.objects.count(),
        "translations": Translation.objects.count(),
        "string translations": StringTranslation.objects.count(),
        "translation logs": TranslationLog.objects.count(),
        "sites": Site.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def demo_output(db):
    out = io.StringIO()
    # The test settings run with DEBUG off, where load_demo refuses without the flag.
    call_command("load_demo", allow_demo_credentials=True, stdout=out)
    return out.getvalue()


def test_load_demo_builds_the_newsroom_and_is_idempotent(client, demo_output, settings):
    """One test on purpose: each load_demo run takes seconds. What it builds, its schedule,
    a second run that changes nothing, a third that adds what an older demo lacked, and the
    site it serves in every language."""
    first = counts()
    out = io.StringIO()
    call_command("load_demo", allow_demo_credentials=True, stdout=out)
    assert counts() == first
    assert "nothing changed" in out.getvalue()
    # kk + ru + en + draft, and the live blog in three languages (home/demo/live.py)
    assert first["news pages"] == len(content.ARTICLES) + 1 + 6 + 4 + 1 + 3
    assert first["images"] == len(content.ARTICLES) + 1
    assert first["topics"] == 3 * len(content.TOPICS)
    assert first["sites"] == 1

    check_site(demo_output)
    check_seed_article()
    check_translation_states()
    check_bylines_and_notes()
    check_team()
    check_groups()
    check_live_blog()
    check_schedule()

    # A demo loaded before bylines existed gets them on the next run, in every language.
    school = NewsPage.objects.filter(title__contains="Қонаевта 1200").get()
    unsigned = NewsPage.objects.filter(translation_key=school.translation_key)
    NewsPageAuthor.objects.filter(page__in=unsigned).delete()
    unsigned.update(byline="")
    call_command("load_demo", allow_demo_credentials=True, stdout=io.StringIO())
    for page in unsigned:
        assert [link.author.slug for link in page.author_links.all()] == ["aigul-seitova"]
        assert page.get_latest_revision().as_object().author_links.count() == 1

    check_renders_in_every_language(client, settings)


def check_live_blog():
    """One live blog with at least six entries, partly translated into ru and en."""
    from news import live

    blogs = {p.locale.language_code: p for p in NewsPage.objects.filter(live_status="live")}
    assert set(blogs) == {"kk", "ru", "en"}
    assert len(blogs["kk"].entries) >= 6 and blogs["kk"].breaking
    for code, translated in (("ru", 4), ("en", 3)):
        entries = live.entries_for(blogs[code], code)
        assert len(entries) == len(blogs["kk"].entries)
        assert sum(entry.content_language == code for entry in entries) == translated


def check_team():
    """Issue 32 item 7: a glossary of real terms, a named editor, named groups and
    workflow (Kazakh, the site's language), a Translators group with translator rights."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Task, Workflow

    from newsdesk_memory.models import GlossaryTerm

    terms = GlossaryTerm.objects.all()
    assert terms.count() >= 20
    assert all(term.russian and term.english for term in terms)
    assert {"person", "position", "institution", "place"} <= set(
        terms.values_list("kind", flat=True)
    )
    assert GlossaryTerm.objects.get(source="Ақорда").english == "Akorda"

    admin = get_user_model().objects.get(username="admin")
    assert admin.get_full_name() == "Айгерім Сұлтанова"

    assert {"Модераторлар", "Редакторлар", "Аудармашылар"} <= set(
        Group.objects.values_list("name", flat=True)
    )
    assert not Group.objects.filter(name__in=["Moderators", "Editors", "Translators"]).exists()
    assert Workflow.objects.filter(name="Модераторлардың мақұлдауы").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()

    translators = Group.objects.get(name="Аудармашылар")
    codenames = set(translators.permissions.values_list("codename", flat=True))
    assert {"access_admin", "submit_translation"} <= codenames
    page_rights = set(
        GroupPagePermission.objects.filter(group=translators).values_list(
            "permission__codename", flat=True
        )
    )
    assert page_rights == {"change_page"}  # editing their languages' pages, never publishing


def check_groups():
    """The demo's groups are docs/roles.md's roles (home.roles; the permission matrix)."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from home import roles

    for key, codes in roles.GROUPS.items():
        group = roles.find(Group, key, roles.LABELS[key])
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert set(codes) <= held, key
    translators = roles.find(Group, "Translators", roles.LABELS["Translators"])
    trees = GroupPagePermission.objects.filter(group=translators)
    assert sorted(p.page.locale.language_code for p in trees) == ["en", "ru"]


def check_site(demo_output):
    assert "admin" in demo_output and "newsdesk-demo" in demo_output
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("newsdesk-demo")

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.locale.language_code == "kk"
    assert site.hostname == "localhost"
    # Wagtail's "Welcome" page is gone.
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    index = NewsIndex.objects.get(locale__language_code="kk")
    assert index.title == "Жаңалықтар"

    stories = NewsPage.objects.filter(locale__language_code="kk").exclude(title=SEED["title"])
    stories = stories.exclude(live_status="live")  # the live blog: check_live_blog
    assert 20 <= stories.count() <= 25
    assert 6 <= NewsTopic.objects.filter(locale__language_code="kk").count() <= 8
    for story in stories:
        kinds = [block.block_type for block in story.body]
        assert 3 <= len(kinds) <= 8
        assert "quote" in kinds
        assert all(
            block.value["attribution"] and block.value["role"]
            for block in story.body
            if block.block_type == "quote"
        )
        assert story.image is not None
        assert story.topic_links.exists()
    dates = {story.date for story in stories}
    assert len(dates) == stories.count()
    assert NewsPageRelated.objects.filter(page__locale__language_code="kk").count() >= 4


def check_seed_article():
    seed = NewsPage.objects.get(title=SEED["title"])
    assert seed.locale.language_code == "kk"
    assert seed.date == datetime.date(2024, 6, 14)
    assert seed.image is not None
    assert not seed.get_translations().exists()
    quotes = [block.value for block in seed.body if block.block_type == "quote"]
    expected = [block for block in SEED["body"] if block["type"] == "quote"]
    assert [(q["text"], q["attribution"], q["role"]) for q in quotes] == [
        (q["text"], q["attribution"], q["role"]) for q in expected
    ]
    paragraphs = [block for block in seed.body if block.block_type == "paragraph"]
    # Every paragraph of the original, plus the narrative it printed after its third quote
    # ("… жылқы етінің танымалдылығы …"), which readers search for.
    assert len(paragraphs) == len([b for b in SEED["body"] if b["type"] == "paragraph"]) + 1
    assert any("жылқы етінің" in str(block.value) for block in paragraphs)


def check_bylines_and_notes():
    # Every story, in every language, is signed; 3–4 reporters and one agency share them.
    for page in NewsPage.objects.all():
        assert page.author_links.exists() or page.byline, page
    kk = NewsPage.objects.filter(locale__language_code="kk")
    reporters = set(
        NewsPageAuthor.objects.filter(page__in=kk).values_list("author__slug", flat=True)
    )
    assert 3 <= len(reporters) <= 4
    assert set(kk.exclude(byline="").values_list("byline", flat=True)) == {"ҚазАқпарат"}
    assert NewsPage.objects.get(title=SEED["title"]).author_links.exists()
    assert Author.objects.filter(locale__language_code="ru", name="Айгуль Сеитова").exists()
    assert NewsPage.objects.filter(locale__language_code="ru", byline="Казинформ").exists()
    # One correction and one update, translated with their stories.
    kinds = [block.value["kind"] for page in kk for block in page.notes]
    assert sorted(kinds) == ["correction", "update"]
    school_ru = NewsPage.objects.get(slug="в-конаеве-открылась-новая-школа")
    assert school_ru.corrected_at is not None
    assert school_ru.notes[0].value["text"].startswith("В первой версии статьи")


def check_translation_states():
    locales, stories = coverage.build_coverage()
    summary = coverage.summarize(locales, stories)
    assert summary["ru"]["live"] == 5
    assert summary["ru"]["outdated"] == 1
    assert summary["en"]["live"] == 4
    assert summary["en"]["in_progress"] == 1
    assert summary["ru"]["missing"] >= 10 and summary["en"]["missing"] >= 10
    seed = next(story for story in stories if story.source["title"] == SEED["title"])
    assert seed.cell("ru").state == seed.cell("en").state == coverage.MISSING
    # Translated pages carry the translator's Cyrillic slug.
    assert NewsPage.objects.filter(slug="в-конаеве-открылась-новая-школа", live=True).exists()
    # Topics are translated through wagtail-localize too.
    assert NewsTopic.objects.filter(locale__language_code="ru", name="Образование").exists()


def check_renders_in_every_language(client, settings):
    for prefix in ("/kk/", "/ru/", "/en/"):
        response = client.get(prefix)
        assert response.status_code == 200, prefix

    seed = NewsPage.objects.get(title=SEED["title"])
    ru_index = NewsIndex.objects.get(locale__language_code="ru")
    response = client.get(f"{ru_index.url}{seed.slug}/")
    assert response.status_code == 200
    assert response.context["is_fallback"] is True
    assert response.context["page"].pk == seed.pk
    assert SEED["body"][1]["attribution"] in response.content.decode()

    translated = NewsPage.objects.get(slug="в-конаеве-открылась-новая-школа")
    response = client.get(translated.url)
    assert response.status_code == 200
    assert response.context["is_fallback"] is False
    # Every demo image carries its credit and licence (issue 32.5), shown in the figure.
    from news.image_rights import ImageRights

    heroes = set(NewsPage.objects.exclude(image=None).values_list("image_id", flat=True))
    assert heroes and heroes <= set(ImageRights.objects.values_list("image_id", flat=True))
    assert 'rel="license" href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0' in (
        response.content.decode()
    )

    # The Latin edition (/kk-latn/): every Kazakh page has its twin, the seed included.
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = True
    check_latin_twins(client, SEED["title"])


def check_schedule():
    """Issue 32 item 2: the dashboard panel and the report show the demo's schedule."""
    from news.desk import schedule

    admin = get_user_model().objects.get(username="admin")
    items = schedule.schedule(admin)
    kinds = {(item.kind, item.page.slug, item.by) for item in items if item.kind != "waiting"}
    assert kinds == {
        ("go_live", "qolonershiler-zharmenkesi", "Айгерім Сұлтанова"),
        ("expiry", "sel-qaupine-qarsy-bogetter", "Айгерім Сұлтанова"),
    }
    assert {item.language for item in items if item.kind == "waiting"} >= {"en"}
