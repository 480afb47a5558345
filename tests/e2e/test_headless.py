"""A headless frontend on another origin reads the API from the browser (CORS) and renders it."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e

CLIENT_DIR = Path(__file__).resolve().parent / "headless_client"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def client_url(client_origin):
    """The client's static files, served by http.server on the CORS-allowed origin."""
    parts = urlsplit(client_origin)
    handler = functools.partial(QuietHandler, directory=str(CLIENT_DIR))
    server = ThreadingHTTPServer((parts.hostname, parts.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield client_origin
    server.shutdown()
    server.server_close()


def test_headless_client_on_another_origin_renders_the_russian_list(page, live_url, client_url):
    assert urlsplit(client_url)[:2] != urlsplit(live_url)[:2], "must be another origin"
    api_calls = []
    page.on("response", lambda r: api_calls.append(r) if "/api/v1/news/" in r.url else None)

    page.goto(f"{client_url}/index.html?api={quote(live_url, safe=':/')}")
    expect(page.locator("body")).to_have_attribute("data-state", "loaded")

    # The browser really made a cross-origin call, and the API allowed this origin.
    assert len(api_calls) == 1
    assert api_calls[0].status == 200
    assert api_calls[0].headers["access-control-allow-origin"] == client_url

    expected = page.request.get(f"{live_url}/api/v1/news/?locale=ru").json()
    results = expected["results"]
    assert results, "the demo has Russian news"
    items = page.locator("#news > li")
    expect(items).to_have_count(len(results))
    expect(page.locator("#news .title")).to_have_text([item["title"] for item in results])
    expect(page.locator("#status")).to_contain_text(str(expected["count"]))

    fallbacks = [n for n, item in enumerate(results) if item["is_fallback"]]
    assert fallbacks, "the first page of ru news includes a story only in Kazakh"
    for n, item in enumerate(results):
        row = items.nth(n)
        expect(row).to_have_attribute("data-fallback", "true" if item["is_fallback"] else "false")
        if item["is_fallback"]:
            expect(row.locator(".marker")).to_have_text(f"({item['locale']})")
            expect(row.locator(".title")).to_have_attribute("lang", item["locale"])
            assert item["locale"] != "ru" and item["fallback_notice"]
        else:
            expect(row.locator(".marker")).to_have_count(0)
            assert item["locale"] == "ru"
    screenshot(page, "headless")


def test_an_origin_not_in_cors_allowed_origins_is_refused(page, live_url, client_url):
    # The same page from "localhost" instead of "127.0.0.1": another origin, not allowed.
    other = client_url.replace("127.0.0.1", "localhost")
    page.goto(f"{other}/index.html?api={quote(live_url, safe=':/')}")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.locator("#news > li")).to_have_count(0)
