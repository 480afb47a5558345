"""A live blog in three languages (news.live), in a real browser against the demo site.

An editor adds an entry in the Kazakh admin's quick form; the Kazakh page a reader has
open shows it within 5 s without a reload, and so does the open Russian page, marked
lang="kk"; a translator syncs and translates it, and the open Russian page shows the
translation.
"""

import re

import pytest
from playwright.sync_api import expect

from home.demo.live import SLUG

from .conftest import login, page_id, shell

pytestmark = pytest.mark.e2e

HEADLINE = "Бөгет жөндеуден өтті"
TEXT = "Инженерлер Қапшағай бөгетінің шлюзін жөндеп бітірді."
HEADLINE_RU = "Плотину отремонтировали"
TEXT_RU = "Инженеры закончили ремонт шлюза Капчагайской плотины."
SHOWN_WITHIN = 5_000  # ms: the page polls every 5 s


def reader(browser, url):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.goto(url)
    expect(page.locator("[data-live-entries] article.live-entry").first).to_be_visible()
    # The script's first poll has answered (its cursor is the page's): ready for news.
    page.wait_for_load_state("networkidle")
    return context, page


def entry(page, text):
    return page.locator("[data-live-entries] article.live-entry", has_text=text)


def test_an_entry_reaches_open_pages_in_every_language(browser, page, live_url, server_env):
    kk_id = page_id(server_env, SLUG, "kk")
    ru_id, ru_url = shell(
        server_env,
        "from news.models import NewsPage; "
        f"kk = NewsPage.objects.get(pk={kk_id}); "
        "ru = NewsPage.objects.get(translation_key=kk.translation_key, "
        "locale__language_code='ru'); print(ru.pk, ru.url)",
    ).split()
    kk_context, kk_reader = reader(browser, f"{live_url}/kk/zhanalyqtar/{SLUG}/")
    ru_context, ru_reader = reader(browser, f"{live_url}{ru_url}")
    try:
        # The editor, in the Kazakh admin, adds an entry with the quick form.
        page.set_extra_http_headers({"Accept-Language": "kk"})
        login(page, live_url)
        page.goto(f"{live_url}/admin/newsdesk/live/{kk_id}/add-entry/")
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        expect(page.locator("form[data-live-add-entry] button[type=submit]")).to_have_text(
            "Жазбаны жариялау"
        )
        page.fill("input[name=headline]", HEADLINE)
        page.fill("textarea[name=text]", TEXT)
        page.locator("form[data-live-add-entry] button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Жазба жарияланды.")

        # Both open pages show it, without a reload; on the Russian one it is Kazakh.
        expect(entry(kk_reader, HEADLINE)).to_be_visible(timeout=SHOWN_WITHIN)
        expect(entry(ru_reader, HEADLINE)).to_be_visible(timeout=SHOWN_WITHIN)
        expect(entry(ru_reader, HEADLINE)).to_have_attribute("lang", "kk")
        expect(ru_reader.locator("html")).to_have_attribute("lang", "ru")
        expect(ru_reader.locator("[data-live-status]")).to_have_text(re.compile(r"\S"))

        # The translator syncs the translations and translates the new entry.
        page.set_extra_http_headers({"Accept-Language": "en"})
        page.goto(f"{live_url}/admin/pages/{kk_id}/edit/")
        page.locator("header .w-dropdown__toggle").first.click()
        page.get_by_role("link", name="Sync translated pages").click()
        expect(page).to_have_url(re.compile(r"/admin/localize/update/\d+/"))
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Successfully updated translations")
        page.goto(f"{live_url}/admin/pages/{ru_id}/edit/")
        for source, translation in ((HEADLINE, HEADLINE_RU), (TEXT, TEXT_RU)):
            segment = page.locator("li.incomplete", has_text=source).first
            segment.get_by_role("button", name="Translate", exact=True).click()
            segment.locator("textarea").fill(translation)
            segment.get_by_role("button", name="Save", exact=True).click()
            expect(page.locator("li.complete", has_text=translation).first).to_be_visible()
        page.get_by_role("button", name=re.compile("Publish in Russian")).click()
        expect(page.locator(".messages")).to_contain_text(re.compile("published", re.I))

        # The open Russian page shows the translation, in Russian, still without a reload.
        translated = entry(ru_reader, HEADLINE_RU)
        expect(translated).to_be_visible(timeout=SHOWN_WITHIN)
        expect(translated).to_have_attribute("lang", "ru")
        expect(entry(ru_reader, HEADLINE)).to_have_count(0)
    finally:
        kk_context.close()
        ru_context.close()
