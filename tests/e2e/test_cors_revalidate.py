"""A frontend on another origin revalidates with its ETag: Chromium's preflight allows
If-None-Match, the API answers 304, and the script reads ETag, Last-Modified and
Content-Language (exposed by CORS)."""

from urllib.parse import urlsplit

import pytest

from .test_headless import client_url  # noqa: F401 - the other origin's static server

pytestmark = pytest.mark.e2e

REVALIDATE = """async ([api]) => {
  const url = api + "/api/v1/news/?locale=ru";
  const first = await fetch(url);
  const etag = first.headers.get("etag");
  const again = await fetch(url, { headers: { "If-None-Match": etag } });
  return {
    status: first.status,
    etag,
    lastModified: first.headers.get("last-modified"),
    contentLanguage: first.headers.get("content-language"),
    againStatus: again.status,
    againEtag: again.headers.get("etag"),
  };
}"""


def test_another_origin_gets_a_304_and_reads_the_etag(page, live_url, client_url):  # noqa: F811
    assert urlsplit(client_url)[:2] != urlsplit(live_url)[:2], "must be another origin"
    preflights = []
    page.on("request", lambda r: preflights.append(r) if r.method == "OPTIONS" else None)
    page.goto(f"{client_url}/index.html")
    result = page.evaluate(REVALIDATE, [live_url])

    assert result["status"] == 200
    assert result["etag"] and result["etag"].startswith('W/"'), result
    assert result["lastModified"], result
    assert set(result["contentLanguage"].split(", ")) <= {"ru", "kk", "en"}, result
    # The conditional request passed its preflight and came back 304 with the same ETag.
    assert result["againStatus"] == 304, result
    assert result["againEtag"] == result["etag"]
    # Chromium does not always surface the preflight to Playwright; when it does, it is ours.
    for request in preflights:
        assert request.headers.get("access-control-request-headers") == "if-none-match"
