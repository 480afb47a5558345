"""Autosave in Chromium survives an empty topic row (Wagtail 8's autosave answered 400,
"Autosave is paused", once "Add topic" left a row without a topic; the text was then lost)."""

import pytest
from playwright.sync_api import expect

from .conftest import login, page_id, shell

pytestmark = pytest.mark.e2e

STORY = "zhuzim-onimi-rekordtyq"
LEAD = "Автосақтау бос тақырып жолымен де жұмыс істейді."


def test_autosave_with_an_empty_topic_row_saves_the_text(page, live_url, server_env):
    story_id = page_id(server_env, STORY, "kk")
    login(page, live_url)
    page.goto(f"{live_url}/admin/pages/{story_id}/edit/")
    # The editor's scripts take the form's first snapshot once loaded: changes count after.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2000)

    page.click("#id_topic_links-ADD")  # a new row, no topic chosen
    expect(page.locator("#id_topic_links-TOTAL_FORMS")).not_to_have_value("0")

    def autosave(response):
        return response.request.method == "POST" and response.url.endswith(f"/{story_id}/edit/")

    with page.expect_response(autosave, timeout=30_000) as saved:
        page.click("#id_lead")
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(LEAD)
    response = saved.value
    assert response.status == 200, response.text()[:300]
    assert response.json()["success"] is True
    # What the header shows (innerText: the indicator's other states are hidden templates).
    page.wait_for_function(
        "document.querySelector('#w-autosave-indicator').innerText.trim() === 'Saved'"
    )
    assert "paused" not in page.locator("#w-autosave-indicator").inner_text()

    # The draft holds the text the editor typed.
    lead = shell(
        server_env,
        "from news.models import NewsPage; "
        f"print(NewsPage.objects.get(pk={story_id}).get_latest_revision_as_object().lead)",
    )
    assert lead == LEAD
