"""In a real browser, hostile content stored in a story executes nothing.

A story full of script tags, event handlers and javascript: links is stored
directly through Python (as an import or a script would, bypassing the editor's
own cleaning), then Chromium opens every page that shows it. Any alert() or
confirm() dialog, any write to ``window.__xss`` or a Content-Security-Policy
violation on a reader page fails the test. Each page is opened twice: with the
site's CSP enforced, and with CSP bypassed, to prove that escaping alone already
prevents execution (the CSP is a second wall, not the only one).
"""

import json

import pytest

from tests.e2e.conftest import manage

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__xss=1;alert('xss-script')</script>",
    "<img src=x onerror=\"window.__xss=2;alert('xss-img')\">",
    "\"'><svg onload=\"window.__xss=3;alert('xss-svg')\"></svg>",
    "</script><script>window.__xss=4;alert('xss-break')</script>",
]
HOSTILE = " ".join(PAYLOADS)

CREATE = r"""
import json
from news.models import NewsIndex, NewsTopic
from tests.factories import make_news
from wagtail.models import Locale

hostile = json.loads(HOSTILE_JSON)
JS_LINK = "javascript:window.__xss=5;alert('xss-link')"
index = NewsIndex.objects.get(locale__language_code="kk")
kk = Locale.objects.get(language_code="kk")
topic = NewsTopic.objects.create(name=("Тақырып " + hostile)[:100], slug="xss-topic", locale=kk)
page = make_news(
    index,
    ("XSS " + hostile)[:255],
    slug="xss-story",
    topics=[topic],
    lead="Лид " + hostile,
    image_caption=("Сурет " + hostile)[:500],
    seo_title=("SEO " + hostile)[:255],
    search_description="Сипаттама " + hostile,
    body=[
        ("heading", {"text": ("Тақырыпша " + hostile)[:255], "level": "h2"}),
        ("paragraph", "<p>Мәтін " + hostile + '<a href="' + JS_LINK + '">сілтеме</a></p>'),
        ("quote", {
            "text": "Дәйексөз " + hostile,
            "attribution": ("Спикер " + hostile)[:255],
            "role": ("Лауазым " + hostile)[:255],
            "source_url": "javascript:window.__xss=6;alert('xss-source')",
        }),
    ],
)
print(json.dumps({"url": page.url, "id": page.pk}))
"""


@pytest.fixture(scope="module")
def hostile_story(server_env, live_url):
    code = CREATE.replace("HOSTILE_JSON", repr(json.dumps(HOSTILE)))
    output = manage(server_env, "shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def visit(browser, url, *, bypass_csp):
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    response = page.goto(url, wait_until="load")
    # Click every link and button whose href could carry javascript: (none may).
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    page.wait_for_timeout(300)
    flag = page.evaluate("() => window.__xss || null")
    context.close()
    return response.status, dialogs, violations, flag, hrefs


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp-on", "csp-bypassed"])
def test_hostile_story_executes_nothing(browser, live_url, hostile_story, bypass_csp):
    pages = [
        hostile_story["url"],
        "/ru/" + hostile_story["url"].split("/", 2)[2],  # the fallback in ru
        "/kk/search/?q=XSS",
        "/kk/search/?q=" + "%3Cscript%3Ewindow.__xss%3D7%3Balert(1)%3C%2Fscript%3E",
        "/kk/",
    ]
    for path in pages:
        url = path if path.startswith("http") else f"{live_url}{path}"
        status, dialogs, violations, flag, hrefs = visit(browser, url, bypass_csp=bypass_csp)
        assert status < 500, (url, status)
        assert dialogs == [], (url, dialogs)
        assert flag is None, (url, flag)
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], url
        if not bypass_csp:
            # No inline script was even attempted on a reader page.
            assert violations == [], (url, violations)
