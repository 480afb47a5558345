"""Translation memory in the browser: a new story reuses a known role.

The translator starts a Russian translation in wagtail-localize's own editor, finds the
role pre-filled from memory and marked, accepts a suggestion for the near-identical
lead in one click, sees the glossary terms of each segment, and publishes.
"""

import json
import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import login, screenshot, shell

pytestmark = pytest.mark.e2e

ROLE = "Талғар ауданының әкімі"
ROLE_RU = "аким Талгарского района"
LEAD_KNOWN = "Талғар ауданында жаңа мектеп ашылды"
LEAD_KNOWN_RU = "В Талгарском районе открылась новая школа"
LEAD_NEW = "Талғар ауданында екі жаңа мектеп ашылды"
QUOTE = "Мектептер уақытында ашылады."
QUOTE_RU = "Школы откроются вовремя."
SPEAKER = "Ерлан Нұрланов"
SPEAKER_RU = "Ерлан Нурланов"
TITLE_NEW = "Талғарда екі мектеп ашылды"
TITLE_NEW_RU = "В Талгаре открылись две школы"
PARAGRAPH_NEW = "Талғарда екі мектеп ашылды туралы толығырақ."

SETUP = f"""
import json
from django.contrib.auth import get_user_model
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from news.models import NewsIndex, NewsPage
from newsdesk_memory.models import GlossaryTerm

kk, ru = Locale.objects.get(language_code="kk"), Locale.objects.get(language_code="ru")
index = NewsIndex.objects.get(locale=kk)
admin = get_user_model().objects.get(username="admin")

def story(title, slug, lead):
    page = NewsPage(title=title, slug=slug, lead=lead, body=[
        ("paragraph", "<p>" + title + " туралы толығырақ.</p>"),
        ("quote", {{"text": {QUOTE!r}, "attribution": {SPEAKER!r},
                    "role": {ROLE!r}, "source_url": ""}}),
    ])
    index.add_child(instance=page)
    page.save_revision().publish()
    return page

known = story("Талғарда мектеп ашылды", "memory-known", {LEAD_KNOWN!r})
TranslationCreator(admin, [ru]).create_translations(known)
source = TranslationSource.objects.get_for_instance(known)
for text, value in {{{ROLE!r}: {ROLE_RU!r}, {LEAD_KNOWN!r}: {LEAD_KNOWN_RU!r},
                    {QUOTE!r}: {QUOTE_RU!r}, {SPEAKER!r}: {SPEAKER_RU!r}}}.items():
    segment = StringSegment.objects.get(source=source, string__data=text)
    StringTranslation.objects.update_or_create(
        translation_of=segment.string, locale=ru, context=segment.context,
        defaults={{"data": value, "translation_type": "manual", "tool_name": "",
                  "last_translated_by": admin}},
    )
GlossaryTerm.objects.get_or_create(source="Талғар ауданы", defaults={{
    "russian": "Талгарский район", "english": "Talgar District", "kind": "place",
    "note": "аудан → район"}})
new = story({TITLE_NEW!r}, "memory-new", {LEAD_NEW!r})
print(json.dumps({{"new": new.pk}}))
"""


def test_translator_gets_memory_a_suggestion_and_glossary_terms(
    browser, page, live_url, server_env
):
    ids = json.loads(shell(server_env, SETUP))
    login(page, live_url)

    # "Translate this page" into Russian, as in wagtail-localize.
    page.goto(f"{live_url}/admin/localize/submit/page/{ids['new']}/")
    page.get_by_label("Russian").check()
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    editor_url = page.url

    # The known role is pre-filled and marked, in the editor and in the memory panel.
    role = page.locator("li.complete", has_text=ROLE_RU)
    expect(role.first).to_be_visible()
    expect(role.first).to_contain_text("Translation memory")
    panel = page.locator("[data-newsdesk-memory]")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-memory-match]")).to_have_count(3)  # role, speaker, quote
    match = panel.locator("[data-memory-match]", has_text=ROLE_RU)
    expect(match).to_contain_text("From memory, not reviewed")
    expect(match).to_contain_text(ROLE_RU)
    expect(match).to_contain_text("Талғарда мектеп ашылды")  # where it came from
    expect(panel.locator("[data-memory-unreviewed]")).to_contain_text("You may publish")

    # Glossary terms, segment by segment.
    terms = panel.locator('[data-glossary-term="Талғар ауданы"]')
    expect(terms.first).to_contain_text("Талгарский район")
    assert terms.count() >= 2  # the lead and the role both name the district

    # The near-identical lead: one click accepts the suggestion.
    suggestion = panel.locator("[data-memory-suggestion]", has_text=LEAD_KNOWN_RU)
    expect(suggestion).to_contain_text(re.compile(r"\d+% similar"))
    screenshot(page, "translation-memory")
    suggestion.get_by_role("button", name="Accept suggestion").click()
    expect(page).to_have_url(editor_url)
    expect(page.locator(".messages")).to_contain_text("Suggestion accepted")
    expect(page.locator("li.complete", has_text=LEAD_KNOWN_RU).first).to_be_visible()
    expect(page.locator("[data-memory-suggestion]", has_text=LEAD_KNOWN_RU)).to_have_count(0)

    # The translator types the title; the paragraph is left untranslated.
    title = page.locator("li.incomplete", has_text=TITLE_NEW).first
    title.get_by_role("button", name="Translate", exact=True).click()
    title.locator("textarea").fill(TITLE_NEW_RU)
    title.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("li.complete", has_text=TITLE_NEW_RU).first).to_be_visible()

    # Publish with the memory match unreviewed: allowed.
    page.get_by_role("button", name="Publish in Russian").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("published", re.I))

    url = shell(
        server_env,
        "from news.models import NewsPage; "
        "p = NewsPage.objects.get(slug__isnull=False, translation_key="
        f"NewsPage.objects.get(pk={ids['new']}).translation_key, locale__language_code='ru'); "
        "print(p.live, p.full_url)",
    )
    live, full_url = url.split(" ", 1)
    # The path only (the Site's host name is not the test server's), percent-encoded.
    path = quote(urlsplit(full_url).path, safe="/%")
    assert live == "True"
    assert path.startswith("/ru/"), url
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    try:
        assert reader.goto(f"{live_url}{path}").status == 200
        content = reader.locator(".article__content")
        expect(content).to_have_attribute("lang", "ru")
        expect(reader.locator(".article__title")).to_have_text(TITLE_NEW_RU)
        expect(reader.locator(".article__lead")).to_have_text(LEAD_KNOWN_RU)
        expect(reader.locator(".quote__role")).to_have_text(ROLE_RU)
        expect(reader.locator(".quote__speaker")).to_have_text(SPEAKER_RU)
        # The one untranslated segment keeps its language (helper 18b's part).
        kazakh = content.locator('[lang="kk"]')
        expect(kazakh).to_have_count(1)
        expect(kazakh).to_have_text(PARAGRAPH_NEW)
    finally:
        reader_context.close()

    # The report lists the match as published unreviewed.
    page.goto(f"{live_url}/admin/reports/translation-memory/")
    row = page.locator("[data-pending-match]", has_text=ROLE_RU)
    expect(row.locator("[data-published-unreviewed]")).to_be_visible()
