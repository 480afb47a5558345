"""Translation memory through wagtail-localize's real models and its real views."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail_localize.models import StringTranslation, TranslationSource

from newsdesk_memory import memory
from newsdesk_memory.models import MEMORY_TOOL, MemoryMatch
from tests.factories import make_news
from tests.memory.conftest import (
    ROLE,
    ROLE_RU,
    edit_segment,
    make_user,
    ru,
    segment,
    story,
    submit,
    translated,
)

LEAD_A = "Талғар ауданында жаңа мектеп ашылды"
LEAD_A_RU = "В Талгарском районе открылась новая школа"
LEAD_B = "Талғар ауданында екі жаңа мектеп ашылды"


@pytest.fixture
def known_role(ru_en_site, client, alice):
    """Story A, translated into ru by alice in the editor: the role and the lead."""
    _home, index = ru_en_site
    page = story(index, "Бірінші жаңалық", lead=LEAD_A)
    translation = submit(client, page, "ru")["ru"]
    edit_segment(client, translation, ROLE, ROLE_RU)
    edit_segment(client, translation, LEAD_A, LEAD_A_RU)
    return page, translation


def test_exact_match_is_prefilled_with_provenance(known_role, client, alice):
    page_a, _translation_a = known_role
    index = page_a.get_parent()
    bob = make_user("bob")
    client.force_login(bob)
    page_b = story(index, "Екінші жаңалық", lead=LEAD_B)

    translation = submit(client, page_b, "ru", "en")["ru"]

    filled = translated(translation, ROLE)
    assert filled.data == ROLE_RU
    assert filled.tool_name == MEMORY_TOOL
    assert filled.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL
    match = filled.memory_match
    assert match.origin_repr == "Бірінші жаңалық"
    assert match.origin_translated_by == alice
    assert match.origin_object_id == page_a.translation_key
    assert match.data == ROLE_RU
    # wagtail-localize wrote the new draft after memory: the role is in the ru page.
    ru_page = page_b.get_translation(ru()).get_latest_revision_as_object()
    assert ROLE_RU in str(ru_page.body.raw_data)
    # Nothing was known in English: nothing filled.
    assert not MemoryMatch.objects.filter(string_translation__locale__language_code="en").exists()
    # Listed for review, and the editor says where it came from.
    assert [m.string_translation_id for m in memory.unreviewed_matches(translation)] == [filled.id]
    assert "Translation memory" in filled.get_comment()


def test_panel_shows_provenance_suggestion_and_accepts_it(known_role, client, alice):
    page_a, _ = known_role
    page_b = story(page_a.get_parent(), "Екінші жаңалық", lead=LEAD_B)
    translation = submit(client, page_b, "ru")["ru"]

    # The panel's script rides on wagtail-localize's own editor page.
    ru_page = page_b.get_translation(ru())
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[ru_page.id]))
    assert editor.status_code == 200
    assert b"js-translation-editor" in editor.content
    assert b"data-newsdesk-memory-panel" in editor.content

    panel = client.get(reverse("newsdesk_memory_panel", args=[translation.id]))
    html = panel.content.decode()
    assert panel.status_code == 200
    assert "From memory, not reviewed" in html
    assert "Бірінші жаңалық" in html and "alice" in html
    assert "Suggestion, 8" in html or "Suggestion, 9" in html
    assert LEAD_A_RU in html

    suggestion = StringTranslation.objects.get(data=LEAD_A_RU)
    seg = segment(translation, LEAD_B)
    url = reverse("newsdesk_memory_accept", args=[translation.id, seg.id, suggestion.id])
    response = client.post(url, {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    accepted = translated(translation, LEAD_B)
    assert accepted.data == LEAD_A_RU
    assert accepted.translation_type == "manual" and accepted.tool_name == ""
    assert accepted.last_translated_by == alice

    # Review the memory match in one action; it leaves the review list.
    filled = translated(translation, ROLE)
    client.post(reverse("newsdesk_memory_review", args=[translation.id, filled.id]))
    assert not memory.unreviewed_matches(translation).exists()


def test_similarity_measure_and_threshold():
    assert memory.similarity(LEAD_A, LEAD_B) >= 0.8
    assert memory.similarity(LEAD_A, "Алматыда ауа райы суытады") < 0.8
    assert memory.similarity("Талғар ауданының әкімі", "талғар  ауданының ӘКІМІ") == 1


def test_sync_prefills_new_segments_and_publishing_unreviewed_is_reported(
    known_role, client, alice
):
    page_a, _ = known_role
    page_b = story(page_a.get_parent(), "Үшінші жаңалық", role="Мэр")
    translation = submit(client, page_b, "ru")["ru"]

    # The source gains the known role; the translator syncs (wagtail-localize's view) and
    # publishes the translations in the same step.
    page_b.body = [
        ("paragraph", "<p>Жаңа мәтін.</p>"),
        ("quote", {"text": "Сөз", "attribution": "Ерлан", "role": ROLE, "source_url": ""}),
    ]
    page_b.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(page_b)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.id]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    filled = translated(translation, ROLE)
    assert filled is not None and filled.data == ROLE_RU
    assert filled.memory_match.origin_repr == "Бірінші жаңалық"

    # Published with an unreviewed match: allowed, and reported.
    ru_page = page_b.get_translation(ru())
    assert ru_page.live
    match = MemoryMatch.objects.get(string_translation=filled)
    assert match.published_unreviewed_at is not None
    report = client.get(reverse("newsdesk_memory_review_report"))
    assert report.status_code == 200
    assert "data-published-unreviewed" in report.content.decode()
    assert ROLE_RU in report.content.decode()


def test_most_recent_manual_translation_wins(ru_en_site, client, alice):
    _home, index = ru_en_site
    first = story(index, "Бір")
    edit_segment(client, submit(client, first, "ru")["ru"], ROLE, "глава Талгарского района")
    second = story(index, "Екі")
    t2 = submit(client, second, "ru")["ru"]
    edit_segment(client, t2, ROLE, ROLE_RU)  # the translator corrects the memory copy
    third = story(index, "Үш")
    t3 = submit(client, third, "ru")["ru"]
    assert translated(t3, ROLE).data == ROLE_RU
    assert translated(t3, ROLE).memory_match.origin_repr == "Екі"


def test_machine_output_never_becomes_memory_unless_reviewed(ru_en_site, client, alice):
    _home, index = ru_en_site
    first = story(index, "Машина")
    t1 = submit(client, first, "ru")["ru"]
    seg = segment(t1, ROLE)
    machine = StringTranslation.objects.create(
        translation_of=seg.string,
        locale=ru(),
        context=seg.context,
        data="машинный аким",
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
        tool_name="LibreTranslate",
    )
    second = story(index, "Екінші")
    t2 = submit(client, second, "ru")["ru"]
    assert translated(t2, ROLE) is None  # machine output is not memory
    panel = client.get(reverse("newsdesk_memory_panel", args=[t2.id])).content.decode()
    assert "машинный аким" not in panel  # nor a suggestion

    # A person reviews it (the panel's action): now it is.
    client.post(reverse("newsdesk_memory_review", args=[t1.id, machine.id]))
    third = story(index, "Үшінші")
    t3 = submit(client, third, "ru")["ru"]
    assert translated(t3, ROLE).data == "машинный аким"

    # Changed by the machine again after the review: no longer trusted.
    machine.data = "другой машинный аким"
    machine.save()
    fourth = story(index, "Төртінші")
    t4 = submit(client, fourth, "ru")["ru"]
    # ... and t3's copy of it is itself an unreviewed memory match: nothing to offer.
    assert translated(t4, ROLE) is None


def test_unreviewed_memory_copies_are_not_memory_sources(known_role, client, alice):
    page_a, _ = known_role
    index = page_a.get_parent()
    t2 = submit(client, story(index, "Екі"), "ru")["ru"]
    t3 = submit(client, story(index, "Үш"), "ru")["ru"]
    # Provenance points at the translator's original, not at the unreviewed copy in "Екі".
    assert translated(t2, ROLE).memory_match.origin_repr == "Бірінші жаңалық"
    assert translated(t3, ROLE).memory_match.origin_repr == "Бірінші жаңалық"


def test_other_users_cannot_use_the_panel(known_role, client):
    _page, translation = known_role
    client.logout()
    response = client.get(reverse("newsdesk_memory_panel", args=[translation.id]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert make_news  # factories stay importable


def test_bad_input_is_a_404_never_a_500(known_role, client):
    page_a, translation = known_role
    # (A 404 in the admin is redirected once to the language-prefixed URL, then a 404.)
    panel = client.get(reverse("newsdesk_memory_panel", args=[999999]), follow=True)
    assert panel.status_code == 404
    seg = segment(translation, ROLE)
    machine = StringTranslation.objects.create(
        translation_of=seg.string,
        locale=translation.target_locale,
        context=segment(translation, LEAD_A).context,  # any other context
        data="машина",
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    # Machine output is never offered, so it cannot be accepted either.
    url = reverse("newsdesk_memory_accept", args=[translation.id, seg.id, machine.id])
    assert client.post(url, follow=True).status_code == 404
    assert client.get(url).status_code == 405
    other = StringTranslation.objects.exclude(context__object_id=page_a.translation_key).first()
    if other is not None:
        url = reverse("newsdesk_memory_review", args=[translation.id, other.id])
        assert client.post(url, follow=True).status_code == 404


def test_the_panel_runs_a_constant_number_of_queries(known_role, client):
    page_a, _ = known_role
    index = page_a.get_parent()

    def quotes(n):
        return [
            ("quote", {"text": f"Сөз {i}", "attribution": "Ерлан", "role": ROLE, "source_url": ""})
            for i in range(n)
        ]

    counts = []
    for title, n in (("Бір дәйексөз", 1), ("Бес дәйексөз", 5)):
        page = make_news(index, title, lead=LEAD_B, body=quotes(n))
        translation = submit(client, page, "ru")["ru"]
        url = reverse("newsdesk_memory_panel", args=[translation.id])
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
