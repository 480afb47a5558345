"""The editor's journey: write an article in the admin, preview it, publish it, see it live."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, page_id, screenshot, server_today

pytestmark = pytest.mark.e2e

TITLE = "Қонаевта жаңа саябақ ашылды"
LEAD = "Қала тұрғындары жаңа саябақта демалады."
HEADING = "Саябақта не бар"
PARAGRAPH = "Саябақта балалар алаңы, велосипед жолы және үш фонтан бар."
QUOTE = "Саябақ барлық тұрғындарға арналған"
SPEAKER = "Ерлан Сейітов"
ROLE = "Қонаев қаласының әкімі"
TOPIC = "Мәдениет"


def add_block(page, label):
    """Append a block of type ``label`` at the end of the body StreamField."""
    page.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def test_editor_writes_previews_and_publishes_an_article(browser, page, live_url, server_env):
    index_id = page_id(server_env, "zhanalyqtar", "kk")
    today = server_today(server_env)
    login(page, live_url)

    page.goto(f"{live_url}/admin/pages/{index_id}/add_subpage/")
    # The Kazakh news index only takes news pages: Wagtail goes straight to the form.
    expect(page).to_have_url(re.compile(r"/admin/pages/add/news/newspage/\d+/$"))
    expect(page.get_by_role("heading", name="New: News page")).to_be_visible()

    page.fill("#id_title", TITLE)
    page.fill("#id_date", today)
    page.fill("#id_lead", LEAD)

    # StreamField: heading, paragraph (Draftail rich text), quote with speaker and role.
    add_block(page, "Heading")
    page.fill("#body-0-value-text", HEADING)
    add_block(page, "Paragraph")
    page.locator("[data-contentpath=body] .public-DraftEditor-content").first.click()
    page.keyboard.type(PARAGRAPH)
    add_block(page, "Quote")
    page.fill("#body-2-value-text", QUOTE)
    page.fill("#body-2-value-attribution", SPEAKER)
    page.fill("#body-2-value-role", ROLE)
    expect(page.locator("input[name=body-count]")).to_have_value("3")

    # Topics: an InlinePanel whose form has a snippet chooser.
    page.click("#id_topic_links-ADD")
    topic_form = page.locator("#inline_child_topic_links-0")
    topic_form.locator("button.chooser__choose-button").click()
    modal = page.locator(".modal-content")
    modal.get_by_role("link", name=TOPIC, exact=True).click()
    expect(modal).to_be_hidden()
    expect(topic_form.locator(".chooser__title")).to_have_text(TOPIC)

    # Hero image: the image chooser, whose grid shows the demo's images.
    page.locator("[data-contentpath=image] button.chooser__choose-button").click()
    modal.locator("a.image-choice").first.click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_image")).not_to_have_value("")
    image_title = page.locator("[data-contentpath=image] .chooser__title").inner_text()
    assert image_title.startswith("Newsdesk demo: ")

    # Preview panel: the draft rendered by the reader templates, quote included.
    page.click("button[data-side-panel-toggle=preview]")
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator(".article__title")).to_have_text(TITLE, timeout=15_000)
    expect(preview.locator(".quote blockquote")).to_have_text(QUOTE)
    expect(preview.locator(".quote__speaker")).to_have_text(SPEAKER)
    expect(preview.locator(".quote__role")).to_have_text(ROLE)
    page.click("button[data-side-panel-toggle=preview]")  # close the panel

    # Publish (in the footer's "More actions" menu).
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()
    expect(page).to_have_url(f"{live_url}/admin/pages/{index_id}/")
    # "created and published", or "has been published" once autosave made it a draft.
    expect(page.locator(".messages")).to_contain_text(
        re.compile(rf"'{re.escape(TITLE)}' (created and published|has been published)")
    )

    # An anonymous reader, with no admin session (and so through the response cache).
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    try:
        response = reader.goto(f"{live_url}/kk/zhanalyqtar/")
        assert response.status == 200
        first = reader.locator(".card-list > li").first
        expect(first.locator(".news-card__title")).to_have_text(TITLE)
        expect(first.locator(".news-card__date time")).to_have_attribute("datetime", today)
        expect(first.locator(".news-card__lead")).to_have_text(LEAD)
        expect(first.locator(".news-card__marker")).to_have_count(0)

        response = reader.goto(f"{live_url}/kk/zhanalyqtar/talgarda-alma-festivali-otti/")
        assert response.status == 200
        other = reader.locator(".other-news")
        expect(other.locator(".news-card__title", has_text=TITLE)).to_have_count(1)

        other.get_by_role("link", name=TITLE).click()
        expect(reader).to_have_url(re.compile(r"/kk/zhanalyqtar/[^/]+/$"))
        expect(reader.locator(".article__title")).to_have_text(TITLE)
        expect(reader.locator(".article__body h2")).to_have_text(HEADING)
        expect(reader.locator(".article__body")).to_contain_text(PARAGRAPH)
        expect(reader.locator(".quote blockquote")).to_have_text(QUOTE)
        expect(reader.locator(".topics")).to_contain_text(TOPIC)
        expect(reader.locator(".article__hero img")).to_be_visible()
        expect(reader.locator(".notice--fallback")).to_have_count(0)
    finally:
        reader_context.close()

    # Final state, for the docs: the published article in the editor, preview panel open.
    page.goto(f"{live_url}/admin/pages/{index_id}/")
    page.get_by_role("link", name=TITLE, exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.click("button[data-side-panel-toggle=preview]")
    expect(preview.locator(".quote blockquote")).to_have_text(QUOTE, timeout=15_000)
    screenshot(page, "editor")
