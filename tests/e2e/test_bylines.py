"""Bylines and corrections in a real browser: an editor adds an author, signs and publishes a
story, then appends a correction once it is live; readers see the byline, the author page
and the correction in Kazakh and (as a fallback, the story being Kazakh only) in Russian."""

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import login, page_id, server_today, shell

pytestmark = pytest.mark.e2e

AUTHOR = "Гүлнар Әбенова"
AUTHOR_SLUG = "gulnar-abenova"
ROLE = "Тілші"
AGENCY = "ҚазАқпарат"
TITLE = "Ұзынағашта жаңа кітапхана ашылды"
LEAD = "Кітапханада жиырма мың кітап бар."
CORRECTION = "Алғашқы нұсқада кітап саны он мың деп қате жазылған."


def reader_path(server_env, name, language, **kwargs):
    """A reader URL in ``language``'s own words (news.urls: translated routes)."""
    return shell(
        server_env,
        "from django.urls import reverse; from django.utils import translation; "
        f"translation.activate({language!r}); "
        f"print(reverse({name!r}, kwargs={kwargs!r}))",
    )


def publish(page, live_url, index_id, title):
    """Publish from the editor's footer menu (autosave may already have saved a draft)."""
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()
    expect(page).to_have_url(f"{live_url}/admin/pages/{index_id}/")
    expect(page.locator(".messages")).to_contain_text(
        re.compile(rf"'{re.escape(title)}' (created and published|has been published)")
    )


def test_editor_signs_a_story_and_corrects_it_readers_see_both(browser, page, live_url, server_env):
    index_id = page_id(server_env, "zhanalyqtar", "kk")
    today = server_today(server_env)
    login(page, live_url)

    # 1. A new author (a snippet, in Kazakh).
    page.goto(f"{live_url}/admin/snippets/news/author/add/?locale=kk")
    page.fill("#id_name", AUTHOR)
    page.fill("#id_slug", AUTHOR_SLUG)
    page.fill("#id_role", ROLE)
    page.fill("#id_bio", "Мәдениет тақырыбын жазады.")
    page.locator("button[type=submit]", has_text="Save").first.click()
    expect(page.locator(".messages")).to_contain_text(AUTHOR)

    # 2. A story signed by the author and the agency.
    page.goto(f"{live_url}/admin/pages/{index_id}/add_subpage/")
    expect(page).to_have_url(re.compile(r"/admin/pages/add/news/newspage/\d+/$"))
    page.fill("#id_title", TITLE)
    page.fill("#id_date", today)
    page.fill("#id_lead", LEAD)
    page.click("#id_author_links-ADD")
    author_form = page.locator("#inline_child_author_links-0")
    author_form.locator("button.chooser__choose-button").click()
    modal = page.locator(".modal-content")
    modal.get_by_role("link", name=AUTHOR, exact=True).click()
    expect(modal).to_be_hidden()
    expect(author_form.locator(".chooser__title")).to_have_text(AUTHOR)
    page.fill("#id_byline", AGENCY)
    publish(page, live_url, index_id, TITLE)

    kk_author = reader_path(server_env, "news_author", "kk", slug=AUTHOR_SLUG)
    ru_author = reader_path(server_env, "news_author", "ru", slug=AUTHOR_SLUG)
    assert unquote(kk_author) == f"/kk/авторлар/{AUTHOR_SLUG}/"
    story_id, slug = shell(
        server_env,
        "from news.models import NewsPage; "
        f"p = NewsPage.objects.get(title={TITLE!r}); print(p.pk, p.slug)",
    ).split()
    kk_story = f"{live_url}/kk/zhanalyqtar/{slug}/"
    ru_story = f"{live_url}/ru/новости/{slug}/"  # Kazakh only: served as a fallback

    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    try:
        # 3. Readers: the byline on the article, in Kazakh and in Russian (fallback).
        for url in (kk_story, ru_story):
            assert reader.goto(url).status == 200
            byline = reader.locator(".article .byline")
            expect(byline.get_by_role("link", name=AUTHOR)).to_be_visible()
            expect(byline).to_contain_text(AGENCY)
            expect(reader.locator(".notice--correction")).to_have_count(0)
        expect(reader.locator(".notice--fallback")).to_be_visible()  # the Russian page
        # The Russian reader's author link stays in Russian words, and the page lists the
        # story as a (Kazakh) fallback.
        reader.locator(".article .byline").get_by_role("link", name=AUTHOR).click()
        expect(reader).to_have_url(f"{live_url}{ru_author}")
        expect(reader.locator("h1")).to_have_text(AUTHOR)
        card = reader.locator(".news-card", has_text=TITLE)
        expect(card).to_have_class(re.compile("news-card--fallback"))
        # The listing names the author.
        reader.goto(f"{live_url}/kk/zhanalyqtar/")
        first = reader.locator(".card-list > li").first
        expect(first.locator(".news-card__title")).to_have_text(TITLE)
        expect(first.locator(".news-card__byline")).to_have_text(f"{AUTHOR}, {AGENCY}")
        reader.goto(f"{live_url}{kk_author}")
        expect(reader.locator(".author__role")).to_have_text(ROLE)
        expect(reader.locator(".news-card__title", has_text=TITLE)).to_have_count(1)

        # 4. The editor appends a correction to the live story.
        page.goto(f"{live_url}/admin/pages/{story_id}/edit/")
        page.locator("[data-contentpath=notes] button.c-sf-add-button").last.click()
        option = page.get_by_role("option", name="Editor's note", exact=True)
        if option.count():
            option.click()
        page.select_option("#notes-0-value-kind", "correction")
        page.fill("#notes-0-value-at", f"{today} 12:00")
        page.keyboard.press("Escape")  # close the date picker
        page.fill("#notes-0-value-text", CORRECTION)
        expect(page.locator("input[name=notes-count]")).to_have_value("1")
        publish(page, live_url, index_id, TITLE)

        # 5. Readers see it: flagged at the top, at the end, on the corrections pages.
        for url in (kk_story, ru_story):
            assert reader.goto(url).status == 200
            expect(reader.locator(".notice--correction")).to_be_visible()
            notes = reader.locator("#notes")
            expect(notes.locator(".editors-note--correction")).to_contain_text(CORRECTION)
            expect(reader.locator(".article__updated time")).to_be_visible()
        # On the Russian page the story and its note are in Kazakh, and say so.
        expect(reader.locator('.article__content[lang="kk"] #notes')).to_be_visible()
        expect(reader.locator("#notes-heading")).to_have_attribute("lang", "ru")
        for language in ("kk", "ru"):
            corrections = reader_path(server_env, "news_corrections", language)
            assert reader.goto(f"{live_url}{corrections}").status == 200
            first = reader.locator(".corrections-list__item").first
            expect(first).to_contain_text(CORRECTION)
            expect(first.get_by_role("link", name=TITLE)).to_be_visible()
        assert unquote(corrections) == "/ru/исправления/"
    finally:
        reader_context.close()
