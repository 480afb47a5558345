"""axe-core (from npm, injected into the page) on the reader's pages and the admin's.

Reader pages are all ours: no serious or critical violation is allowed. In the Wagtail
admin most markup is Wagtail's own; there we fail only on violations in our markup (our
templates' classes, our translation coverage report) and list Wagtail's in the summary.
The figures per page are printed at the end of the test output.
"""

import re

import pytest

from .conftest import login, page_id, record_axe, run_axe

pytestmark = pytest.mark.e2e

SEED = "bailanystar-men-perspektivalardy-nygaitu"
BLOCKING = {"serious", "critical"}

READER_PAGES = [
    ("home (kk)", "/kk/"),
    ("home (ru)", "/ru/"),
    ("news index (kk)", "/kk/zhanalyqtar/"),
    ("news index (ru, fallback items)", "/ru/новости/"),
    ("news page with fallback (ru, seed)", f"/ru/zhanalyqtar/{SEED}/"),
    ("search (kk, q=Жапония)", "/kk/search/?q=Жапония"),
]

# Markup that comes from our templates, in admin pages (our reader templates render in
# block previews; our coverage report uses these). Everything else there is Wagtail's.
OUR_ADMIN_MARKUP = re.compile(
    r"newsdesk|coverage|article__|news-card|quote__|lang-switcher|notice--fallback"
)


def blocking(violations, only=None):
    found = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = [n for n in violation["nodes"] if only is None or only(n)]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


@pytest.mark.parametrize(("name", "path"), READER_PAGES, ids=[p for _n, p in READER_PAGES])
def test_reader_page_has_no_serious_or_critical_violations(page, live_url, axe_source, name, path):
    response = page.goto(f"{live_url}{path}")
    assert response.status == 200
    violations = run_axe(page, axe_source)
    record_axe(name, violations)
    assert blocking(violations) == [], blocking(violations)


def test_admin_pages_have_no_serious_or_critical_violations_in_our_markup(
    page, live_url, axe_source, server_env
):
    seed_id = page_id(server_env, SEED, "kk")
    login(page, live_url)

    page.goto(f"{live_url}/admin/pages/{seed_id}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_title").input_value()
    violations = run_axe(page, axe_source)

    def ours(node):
        return bool(OUR_ADMIN_MARKUP.search(node["target"] + node["html"]))

    wagtail_only = not blocking(violations, only=ours)
    record_axe(
        "admin: NewsPage edit (seed)",
        violations,
        note="all in Wagtail's own markup" if wagtail_only and violations else "",
    )
    assert blocking(violations, only=ours) == []

    # The translation coverage report is our own admin view, template and all.
    response = page.goto(f"{live_url}/admin/reports/translation-coverage/")
    assert response.status == 200
    report = page.locator("main")
    violations = run_axe(page, axe_source, include="main")
    record_axe("admin: translation coverage report (our view, <main>)", violations)
    assert report.locator("table").count() >= 1
    assert blocking(violations) == [], blocking(violations)
