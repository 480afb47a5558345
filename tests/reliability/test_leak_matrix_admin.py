"""Leak matrix, staff side: no hidden story reaches a staff member without rights on it.

The admin surfaces of issue 27 (translation memory's panel, its suggestions and their
accept action, pre-fill, the bulk action, the memory and coverage reports, the sync form),
each seen by a user with admin access only, a translator who may edit one Russian page,
and a user with only the global "submit translation" permission. Each hidden story (a
draft, a story unpublished after publication, a live story whose Russian translation is
password-protected) has a Russian translation typed in the editor by a superuser, with a
marker in its title, lead, role and their translations. The marker must appear in no
response, and no hidden text may be copied into the translator's page.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageViewRestriction
from wagtail_localize.models import StringSegment, StringTranslation
from wagtail_localize.operations import TranslationCreator

from news.models import NewsPage
from tests.factories import make_news
from tests.memory.conftest import (  # noqa: F401 - alice is a fixture
    alice,
    edit_segment,
    ru,
    submit,
)
from tests.memory.test_access import publish, staff

KINDS = ["draft", "unpublished", "private_translation"]
ROLES = ["admin only", "translator", "submit only"]
LEAD = "Талғар ауданында жаңа {} ашылды"
MINE_LEAD = "Талғар ауданында екі жаңа {} ашылды"


def quote(role):
    return {"text": "Сөз", "attribution": "Ерлан", "role": role, "source_url": ""}


def marker(kind):
    return "leakmarkstaff" + kind.replace("_", "")


def hidden_story(client, index, kind, user):
    mark = marker(kind)
    role = f"{mark} әкімі"
    page = make_news(
        index,
        f"{mark} жоба",
        lead=LEAD.format(mark),
        body=[("quote", quote(role))],
    )
    translation = submit(client, page, "ru")["ru"]
    for text in (f"{mark} жоба", LEAD.format(mark), role):
        edit_segment(client, translation, text, f"{mark} ru {text}")
    if kind == "draft":
        page.unpublish()
    elif kind == "unpublished":
        publish(translation, user)
        page.unpublish()
        translation.get_target_instance().unpublish()
    else:
        PageViewRestriction.objects.create(
            page=publish(translation, user), restriction_type="password", password="x"
        )
    return page, translation


@pytest.fixture
def staff_world(ru_en_site, client, alice):  # noqa: F811 - fixtures
    _home, index = ru_en_site
    mine = make_news(index, "Менің жаңалығым", lead=MINE_LEAD.format("мектеп"))
    mine_translation = submit(client, mine, "ru")["ru"]
    hidden = {kind: hidden_story(client, index, kind, alice) for kind in KINDS}
    group = Group.objects.create(name="One page")
    GroupPagePermission.objects.create(
        group=group,
        page=mine.get_translation(ru()),
        permission=Permission.objects.get(
            codename="change_page", content_type__app_label="wagtailcore"
        ),
    )
    translator = staff("tina", "wagtail_localize.submit_translation")
    translator.groups.add(group)
    users = {
        "admin only": staff("adam"),
        "translator": translator,
        "submit only": staff("sam", "wagtail_localize.submit_translation"),
    }
    return {
        "index": index,
        "mine": mine,
        "translation": mine_translation,
        "hidden": hidden,
        "users": users,
    }


def surfaces(world, kind):
    """(name, method, url) of every staff surface, aimed at ``kind``'s hidden story."""
    page, translation = world["hidden"][kind]
    mine = world["translation"]
    segment = StringSegment.objects.get(source=mine.source, string__data__startswith="Талғар")
    hidden_texts = StringTranslation.objects.filter(data__startswith=marker(kind))
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "translate_all"])
    rows = [
        ("memory_panel", "get", reverse("newsdesk_memory_panel", args=[mine.id])),
        ("memory_report", "get", reverse("newsdesk_memory_review_report")),
        ("coverage_report", "get", reverse("newsdesk_translation_coverage")),
        ("bulk_confirm", "get", f"{bulk}?id={page.id}"),
        ("bulk_execute", "post", f"{bulk}?id={page.id}"),
        ("sync_form", "get", reverse("newsdesk_update_translations", args=[translation.source_id])),
        ("hidden_panel", "get", reverse("newsdesk_memory_panel", args=[translation.id])),
    ]
    for text in hidden_texts:
        url = reverse("newsdesk_memory_accept", args=[mine.id, segment.id, text.id])
        rows.append((f"accept_{text.id}", "post", url))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_hidden_story_never_reaches_staff_without_rights(staff_world, kind, subtests):
    mark = marker(kind)
    leaks = []
    for role in ROLES:
        client = Client()
        client.force_login(staff_world["users"][role])
        for name, method, url in surfaces(staff_world, kind):
            with subtests.test(role=role, surface=name):
                with TestCase.captureOnCommitCallbacks(execute=True):
                    response = getattr(client, method)(url, follow=True)
                assert response.status_code < 500, (role, name, response.status_code)
                if mark in response.content.decode():
                    leaks.append((role, name))
        # Pre-fill: the translator's own page gets no hidden text, nor a hidden origin.
        with subtests.test(role=role, surface="prefill"):
            other = make_news(
                staff_world["index"],
                f"Тағы бір жаңалық {role}",
                lead=LEAD.format(mark),
                body=[("quote", quote(f"{mark} әкімі"))],
            )
            with TestCase.captureOnCommitCallbacks(execute=True):
                TranslationCreator(staff_world["users"][role], [ru()]).create_translations(other)
            copied = StringTranslation.objects.filter(
                context__object_id=other.translation_key, data__contains=mark
            )
            if copied.exists():
                leaks.append((role, "prefill"))
    # The bulk action created no translation of the hidden story.
    page, _translation = staff_world["hidden"][kind]
    assert NewsPage.objects.filter(translation_key=page.translation_key).count() == 2
    assert leaks == []


def test_staff_matrix_covers_every_pair(staff_world):
    rows = surfaces(staff_world, "draft")
    assert len(rows) >= 8  # seven surfaces and at least one hidden suggestion to accept
    assert len(KINDS) * len(ROLES) == 9
