"""Every URL in the README answers on the demo site, as a newcomer who copies it would see.

The demo is ``load_demo``'s (what ``make run`` serves); the README's ``curl`` lines are
requested with their headers and expected status (``# 400`` in the line's comment, else
200 after redirects); the paths in backticks likewise, with ``<lang>`` standing for each
language and ``<slug>`` for a topic of the demo in it. Placeholders a reader fills in
(``…``, ``ID``, ``YYYY/MM``) and WordPress' old URLs, which exist only after an import,
are left out and counted.

Story ids in the README are the ones a fresh ``make run`` gives. A test database on
PostgreSQL does not reset its id sequences between tests, so ids here are shifted by how
far the demo's home page is from its fresh id (3: after Wagtail's root and welcome pages).
"""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from home.models import HomePage
from news.models import NewsTopic

README = Path(__file__).resolve().parents[1] / "README.md"
CURL = re.compile(r"curl (?P<options>[^']*)'http://127\.0\.0\.1:8000(?P<path>/[^']*)'(?P<rest>.*)")
BACKTICKED = re.compile(r"`(/[^`\s]*)`")
# What a reader fills in; and WordPress' old URLs, made by an import only.
PLACEHOLDERS = ("…", "ID", "YYYY", "<kazakh-slug>")
LANGUAGES = ("kk", "ru", "en")


FRESH_HOME_ID = 3
STORY_ID = re.compile(r"(/api/v1/news/)(\d+)/")


def readme_requests(topic_slugs, id_offset=0):
    """(path, headers, expected status) for every URL in the README."""
    text = README.read_text(encoding="utf-8")
    requests = []
    for line in text.splitlines():
        match = CURL.search(line)
        if match:
            headers = {}
            for name, value in re.findall(r"-H '([^:]+): ([^']*)'", match["options"]):
                headers["HTTP_" + name.upper().replace("-", "_")] = value
            code = re.search(r"#\s*(\d{3})\b", match["rest"])
            status = int(code[1]) if code else 200
            path = STORY_ID.sub(lambda m: f"{m[1]}{int(m[2]) + id_offset}/", match["path"])
            requests.append((path, headers, status))
            continue
        for path in BACKTICKED.findall(line):
            if any(mark in path for mark in PLACEHOLDERS):
                continue
            if line.count("`/") > 1 and path == "/atom/":  # "(and `/atom/`)": a suffix
                continue
            for language in LANGUAGES if "<lang>" in path else (None,):
                concrete = path.replace("<lang>", language or "")
                concrete = concrete.replace("<slug>", topic_slugs.get(language, ""))
                requests.append((concrete, {}, 200))
    return requests


@pytest.mark.django_db
def test_every_url_in_the_readme_answers_on_the_demo(client, settings):
    # As `make run` serves it: with the Latin edition (/kk-latn/), off in the test settings.
    settings.NEWSDESK_KAZAKH_LATIN_EDITION = True
    call_command("load_demo", allow_demo_credentials=True, stdout=io.StringIO())
    cache.clear()
    topic_slugs = {
        language: NewsTopic.objects.filter(locale__language_code=language)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
        for language in LANGUAGES
    }
    home = HomePage.objects.get(locale__language_code="kk", depth=2)
    requests = readme_requests(topic_slugs, id_offset=home.pk - FRESH_HOME_ID)
    assert len(requests) >= 30, requests  # the URL table, the API and search examples
    failures = []
    for path, headers, expected in requests:
        response = client.get(path, follow=True, **headers)
        if response.status_code != expected:
            failures.append(f"{path} {headers or ''}: {response.status_code}, not {expected}")
        elif expected == 200 and urlsplit(path).path.startswith("/api/v1/news/"):
            body = response.json()
            # An example that lists nothing shows nothing: each must find stories.
            assert body.get("results", [body]) != [], path
    assert not failures, "\n".join(failures)
