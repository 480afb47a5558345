"""The Content-Security-Policy as a browser enforces it: nothing the site needs is blocked.

Reader pages run under the strict policy (``script-src 'self'``), the Wagtail admin
under its own looser one. Chromium reports every blocked resource or script on the
console ("Refused to … because it violates the following Content Security Policy
directive"); any such report fails the test.
"""

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

CSP_REPORT = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


def open_and_collect(context, url):
    page = context.new_page()
    reports = []
    page.on("console", lambda m: reports.append(m.text) if CSP_REPORT.search(m.text) else None)
    page.on("pageerror", lambda error: reports.append(f"page error: {error}"))
    response = page.goto(url, wait_until="networkidle")
    return page, response, reports


@pytest.fixture
def strict_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # CSP enforced
    yield context
    context.close()


def test_reader_pages_need_nothing_the_policy_blocks(strict_context, live_url):
    page, response, _ = open_and_collect(strict_context, f"{live_url}/kk/")
    links = page.eval_on_selector_all(
        "a[href^='/kk/']", "els => [...new Set(els.map(e => e.getAttribute('href')))]"
    )
    page.close()
    article = next((href for href in links if href.count("/") >= 4), None)
    urls = ["/kk/", "/ru/", "/en/", "/kk/search/?q=а"] + ([article] if article else [])
    for path in urls:
        page, response, reports = open_and_collect(strict_context, live_url + path)
        assert response.status < 400, (path, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert reports == [], (path, reports)
        page.close()


def test_wagtail_admin_works_under_its_policy(strict_context, live_url):
    page = strict_context.new_page()
    login(page, live_url)
    page.close()
    paths = ["/admin/", "/admin/pages/", "/admin/snippets/", "/admin/images/"]
    page, _response, reports = open_and_collect(strict_context, f"{live_url}/admin/pages/")
    edit_links = page.eval_on_selector_all(
        "a[href*='/edit/']", "els => els.map(e => e.getAttribute('href'))"
    )
    page.close()
    paths += edit_links[:2]
    for path in paths:
        page, response, reports = open_and_collect(strict_context, live_url + path)
        assert response.status < 400, (path, response.status)
        assert "'unsafe-inline'" in response.headers["content-security-policy"]
        assert reports == [], (path, reports)
        page.close()
