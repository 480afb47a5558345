"""Bylines and corrections in a real browser: an editor adds an author, signs a story and
schedules it; the task worker (started beside gunicorn, as ``make run`` does) publishes it at
its go-live time; the editor then appends a correction to the live story. Readers see nothing
before the go-live time, then the byline, the author page and the correction in Kazakh and
(as a fallback, the story being Kazakh only) in Russian."""

import re
import time
from datetime import datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import login, page_id, shell

pytestmark = pytest.mark.e2e

AUTHOR = "Гүлнар Әбенова"
AUTHOR_SLUG = "gulnar-abenova"
ROLE = "Тілші"
AGENCY = "ҚазАқпарат"
TITLE = "Ұзынағашта жаңа кітапхана ашылды"
LEAD = "Кітапханада жиырма мың кітап бар."
CORRECTION = "Алғашқы нұсқада кітап саны он мың деп қате жазылған."
# Seconds from setting the go-live time to the readers' first look: a save, a page load and
# the "Schedule to publish" request on a busy machine; the story must still be in the future.
# The widget takes whole minutes: the go-live time is the first minute at least this far away.
LEAD_TIME = 15
# How long readers may wait for the worker: its schedule checks at least every 60 s
# (NEWSDESK_SCHEDULE_INTERVAL) and at each go-live time it already knows of.
WORKER_WAIT = 120


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


def settle_autosave(page):
    """Let a pending Wagtail 8 autosave finish: a form submitted while it posts would race
    it (on the create view, both would create the page). Autosave waits 500 ms after a
    change (WAGTAIL_AUTOSAVE_INTERVAL), then shows "Saving…" until the server answers."""
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "document.querySelector('#w-autosave-indicator').innerText.trim() !== 'Saving…'"
    )


def schedule(page, go_live):
    """Set the go-live time in the status panel's "Set publishing schedule" dialog and save."""
    page.click("button[data-side-panel-toggle=status]")
    page.locator("[data-side-panel=status] button[data-a11y-dialog-show]").first.click()
    dialog = page.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()
    field = dialog.locator("input[name=go_live_at]")
    field.fill(go_live)
    # By keyboard: the field's date picker (and the next field's, after a Tab) covers the
    # button, and Escape would close the dialog.
    save = dialog.get_by_role("button", name="Save schedule")
    save.focus()
    expect(field).to_have_value(go_live)  # as the picker left it, on leaving the field
    save.press("Enter")


def test_editor_signs_and_schedules_a_story_and_corrects_it_readers_see_both(
    browser, page, live_url, server_env
):
    index_id = page_id(server_env, "zhanalyqtar", "kk")
    today, zone = shell(
        server_env,
        "from django.utils import timezone; "
        "print(timezone.localdate(), timezone.get_current_timezone_name())",
    ).split()
    kk_author = reader_path(server_env, "news_author", "kk", slug=AUTHOR_SLUG)
    ru_author = reader_path(server_env, "news_author", "ru", slug=AUTHOR_SLUG)
    assert unquote(kk_author) == f"/kk/авторлар/{AUTHOR_SLUG}/"
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
    settle_autosave(page)

    # 3. Scheduled: the go-live time in the schedule dialog, then "Schedule to publish".
    soonest = datetime.now(ZoneInfo(zone)) + timedelta(seconds=LEAD_TIME)
    go_live = soonest.replace(second=0, microsecond=0) + timedelta(minutes=1)
    schedule(page, go_live.strftime("%Y-%m-%d %H:%M"))
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    story_id = re.search(r"/pages/(\d+)/edit/$", page.url)[1]
    slug = page.locator("#id_slug").input_value()
    assert slug
    expect(page.locator("[data-side-panel=status]")).to_contain_text("Go-live:")
    page.locator("footer .w-dropdown__toggle").click()
    scheduling = page.locator("button[name=action-publish]")
    expect(scheduling).to_contain_text("Schedule to publish")
    scheduling.click()
    expect(page).to_have_url(f"{live_url}/admin/pages/{index_id}/")
    expect(page.locator(".messages")).to_contain_text(
        f"Page '{TITLE}' has been scheduled for publishing."
    )

    kk_story = f"{live_url}/kk/zhanalyqtar/{slug}/"
    ru_story = f"{live_url}/ru/новости/{slug}/"  # Kazakh only: served as a fallback

    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    try:
        # 4. Before its go-live time, readers see nothing of it.
        margin = (go_live - datetime.now(ZoneInfo(zone))).total_seconds()
        print(f"readers look {margin:.0f} s before the go-live time")
        assert margin > 0, "the go-live time passed before readers could look"
        assert reader.goto(kk_story).status == 404
        assert reader.goto(f"{live_url}/kk/zhanalyqtar/").status == 200
        expect(reader.locator(".news-card__title", has_text=TITLE)).to_have_count(0)
        # The worker publishes it at its go-live time (or at its next check, within 60 s).
        deadline = time.monotonic() + WORKER_WAIT
        while reader.goto(kk_story).status == 404:
            assert time.monotonic() < deadline, f"not live {WORKER_WAIT} s after scheduling"
            reader.wait_for_timeout(1000)
        live_after = (datetime.now(ZoneInfo(zone)) - go_live).total_seconds()
        print(f"live {live_after:.0f} s after its go-live time")
        assert live_after >= 0

        # 5. Readers: the byline on the article, in Kazakh and in Russian (fallback).
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

        # 6. The editor appends a correction to the live story.
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

        # 7. Readers see it: flagged at the top, at the end, on the corrections pages.
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
