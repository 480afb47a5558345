"""The desk's schedule in Chromium (issue 32 item 2): the dashboard panel and Reports →
Schedule list the demo's scheduled update and expiry and its translations waiting, in
Kazakh, with who scheduled them; screenshots for docs/screenshots/."""

import pytest
from playwright.sync_api import expect

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

EDITOR = "Айгерім Сұлтанова"


def test_the_dashboard_and_the_report_show_the_demos_schedule(page, live_url):
    page.set_extra_http_headers({"Accept-Language": "kk"})  # the demo admin has no preference
    login(page, live_url)
    page.goto(f"{live_url}/admin/")
    panel = page.locator("[data-schedule-panel]")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_have_text("Жоспар")
    expect(panel.locator("[data-schedule-kind=go_live]")).to_contain_text(EDITOR)
    expect(panel.locator("[data-schedule-kind=expiry]")).to_contain_text(EDITOR)
    expect(
        panel.locator("[data-schedule-language=en] [data-schedule-kind=waiting]")
    ).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(page, "admin-kk-schedule-panel")

    page.get_by_role("link", name="Толық жоспар").click()
    expect(page.locator("[data-schedule-report]")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Жоспар")
    for kind in ("go_live", "expiry", "waiting"):
        expect(
            page.locator(f"[data-schedule-report] [data-schedule-kind={kind}]").first
        ).to_be_visible()
    screenshot(page, "admin-kk-schedule-report")
