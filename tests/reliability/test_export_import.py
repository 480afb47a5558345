"""Data safety: export_news / import_news round trip, and reversible migrations."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from news.models import Author, NewsPage, NewsTopic
from tests.factories import AuthorFactory, NewsTopicFactory, make_image, make_news, translate


def export(tmp_path, name):
    out = tmp_path / name
    call_command("export_news", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def every_state_newsroom(site_tree):
    """A newsroom in every state a page can be in, with translations and links."""
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    economy = NewsTopicFactory(name="Экономика", slug="ekonomika")
    translate(economy, "ru", strings={"Экономика": "Экономика (ru)", "ekonomika": "ekonomika-ru"})
    culture = NewsTopicFactory(name="Мәдениет", slug="madeniet")
    photo = make_image("Алматы", width=400, height=300)
    reporter = AuthorFactory(name="Айгүл Сейітова", slug="aigul", bio="Тілші.", image=photo)
    translate(reporter, "ru", strings={"Айгүл Сейітова": "Айгуль Сеитова"})
    first = make_news(index, "Бірінші жаңалық", topics=[economy], image=photo, authors=[reporter])
    first.image_caption = "Қала көрінісі"
    first.image_credit = "ҚазАқпарат"
    first.image_alt = "Алматы көшесі"
    first.byline = "ҚазАқпарат"
    at = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    first.notes = [("note", {"kind": "correction", "at": at, "text": "Күні түзетілді."})]
    first.save_revision().publish()
    second = make_news(
        index,
        "Екінші жаңалық",
        topics=[economy, culture],
        related=[first],
        date=datetime.date(2026, 3, 1),
        body=[
            ("heading", {"text": "Тақырыпша", "level": "h3"}),
            (
                "paragraph",
                f'<p>Қараңыз: <a linktype="page" id="{first.pk}">бірінші</a>.</p>',
            ),
            (
                "quote",
                {
                    "text": "Біз дайынбыз.",
                    "attribution": "Джун Ямада",
                    "role": "Елші",
                    "source_url": "https://example.com/q",
                },
            ),
            ("image", {"image": photo, "caption": "Сурет", "credit": "Автор"}),
        ],
    )
    translate(second, "ru", strings={"Екінші жаңалық": "Вторая новость"})
    translate(first, "ru", publish=False)  # a ru draft of a live kk page
    make_news(index, "Жоба", publish=False)  # never published
    gone = make_news(index, "Алынған")
    gone.unpublish()
    edited = make_news(index, "Өңделген")
    edited.title = "Өңделген (жоба)"
    edited.lead = "Жаңа лид"
    edited.save_revision()  # live page with a newer draft
    later = make_news(index, "Кейінірек", publish=False)
    later.go_live_at = timezone.now() + datetime.timedelta(days=3)
    later.save_revision().publish()  # scheduled
    secret = make_news(index, "Құпия")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="p4ss"
    )
    return index


def test_round_trip_loses_nothing(tmp_path, every_state_newsroom):
    before = export(tmp_path, "before.json")
    # The export covers every state built above.
    assert len(before["news"]) == 7
    assert sum(len(group["translations"]) for group in before["news"]) == 9
    states = {
        item["content"]["title"]: item for group in before["news"] for item in group["translations"]
    }
    assert states["Жоба"]["live"] is False
    assert states["Алынған"]["live"] is False and states["Алынған"]["first_published_at"]
    assert states["Өңделген"]["draft"]["title"] == "Өңделген (жоба)"
    assert states["Кейінірек"]["scheduled_at"]
    assert states["Құпия"]["view_restrictions"][0]["password"] == "p4ss"
    assert states["Вторая новость"]["locale"] == "ru"
    second = states["Екінші жаңалық"]["content"]
    assert (
        "newsdesk-ref=" in second["body"][1]["value"] and ' id="' not in second["body"][1]["value"]
    )
    assert second["body"][3]["value"]["image"]["title"] == "Алматы"
    assert len(second["topics"]) == 2 and len(second["related"]) == 1
    assert before["images"] == [{"file": before["images"][0]["file"], "title": "Алматы"}]
    assert {t["translations"][0]["name"] for t in before["topics"]} == {"Экономика", "Мәдениет"}
    assert "id" not in json.dumps(before["news"][0]["translations"][0]["content"]["topics"])
    first = states["Бірінші жаңалық"]["content"]
    assert (first["byline"], first["image_alt"]) == ("ҚазАқпарат", "Алматы көшесі")
    assert first["notes"][0]["value"]["text"] == "Күні түзетілді."
    assert len(first["authors"]) == 1 and "id" not in json.dumps(first["authors"])
    assert {a["name"] for a in before["authors"][0]["translations"]} == {
        "Айгүл Сейітова",
        "Айгуль Сеитова",
    }

    # Wipe every news page and topic.
    for page in NewsPage.objects.filter(depth=every_state_newsroom.depth + 1).order_by("-depth"):
        Page.objects.get(pk=page.pk).delete()
    NewsTopic.objects.all().delete()
    Author.objects.all().delete()
    assert not NewsPage.objects.exists()

    call_command("import_news", str(tmp_path / "before.json"))
    after = export(tmp_path, "after.json")
    assert after == before

    # And the imported site behaves: live pages serve, drafts and private pages don't.
    # first, second (kk and ru), edited, secret
    assert NewsPage.objects.live().count() == 5
    first = NewsPage.objects.get(title="Бірінші жаңалық")
    second = NewsPage.objects.get(title="Екінші жаңалық")
    assert f'id="{first.pk}"' in second.body.raw_data[1]["value"]
    assert second.related_news.get().related_page == first


def test_import_rejects_foreign_files(tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_news", str(bad))
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_news", str(bad))


@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_to_zero_and_forward_again():
    if connection.vendor != "sqlite":
        pytest.skip("migration round trip is exercised on SQLite")
    apps_to_cycle = ["news", "home"]
    executor = MigrationExecutor(connection)
    leaves = {
        app: [node for node in executor.loader.graph.leaf_nodes() if node[0] == app]
        for app in apps_to_cycle
    }
    executor.migrate([(app, None) for app in apps_to_cycle])
    executor.loader.build_graph()
    tables = connection.introspection.table_names()
    assert not [t for t in tables if t.startswith(("news_", "home_"))]
    executor = MigrationExecutor(connection)
    executor.migrate([node for nodes in leaves.values() for node in nodes])
    executor.loader.build_graph()
    tables = connection.introspection.table_names()
    assert "news_newspage" in tables and "home_homepage" in tables
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
