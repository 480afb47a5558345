"""Production security: CSP without inline script, security headers, login lockout,
and ``check --deploy`` with the production settings."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tests.factories import make_news

BASE_DIR = Path(__file__).resolve().parents[2]
LOGIN_URL = "/admin/login/"


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class ScriptAudit(HTMLParser):
    """Collect inline scripts (other than JSON data blocks) and inline event handlers."""

    DATA_TYPES = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.inline_scripts = []
        self.handlers = []
        self.javascript_urls = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.javascript_urls.append((tag, name, value))
        if tag == "script" and not attrs.get("src"):
            if (attrs.get("type") or "").lower() not in self.DATA_TYPES:
                self._in_script = True
                self.inline_scripts.append("")

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def audit(html):
    parser = ScriptAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def article(site_tree):
    home, index = site_tree
    return make_news(index, "Қауіпсіздік тексерісі")


@pytest.mark.django_db
def test_reader_pages_have_a_strict_csp_and_no_inline_script(client, site_tree, article):
    home, index = site_tree
    for url in (home.url, index.url, article.url, "/kk/search/?q=test"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"]
        found = audit(response.content.decode())
        assert found.inline_scripts == [], (url, found.inline_scripts)
        assert found.handlers == [], (url, found.handlers)
        assert found.javascript_urls == [], (url, found.javascript_urls)


@pytest.mark.django_db
def test_admin_gets_its_own_looser_policy(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail frames its own previews


@pytest.mark.django_db
def test_api_and_health_carry_the_reader_policy(client):
    response = client.get("/healthz")
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


# --- Login throttle ---------------------------------------------------------------------


@pytest.fixture
def editor_user(db):
    return get_user_model().objects.create_superuser("editor", "e@example.com", "right-password")


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_admin_login_throttled_after_five_failures(client, editor_user):
    for _ in range(4):
        response = attempt(client, "editor", "wrong")
        assert response.status_code == 200  # the form again, with an error
    # django-axes answers the fifth failure itself with the lockout.
    blocked = attempt(client, "editor", "wrong")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert int(blocked["Retry-After"]) <= 15 * 60
    # In the site's default language (no Accept-Language): kk unless configured otherwise.
    with translation.override(django_settings.LANGUAGE_CODE):
        assert translation.gettext("Too many failed login attempts") in blocked.content.decode()
    # Even the right password waits: the lock sits in front of authentication.
    assert attempt(client, "editor", "right-password").status_code == 429
    # django-axes (Hardening v2 #1) locks the username from every address, and the
    # address for every username; another username from another address still tries.
    assert attempt(client, "editor", "right-password", ip="10.0.0.2").status_code == 429
    assert attempt(client, "someone-else", "wrong").status_code == 429
    assert attempt(client, "someone-else", "wrong", ip="10.0.0.2").status_code == 200


def test_throttle_message_is_translated(client, editor_user, settings):
    for _ in range(5):
        attempt(client, "editor", "wrong")
    response = client.post(
        LOGIN_URL,
        {"username": "editor", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 429
    assert b"<h1>" in response.content
    assert b"<script" not in response.content


def test_successful_login_clears_the_counter(client, editor_user):
    for _ in range(4):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-password").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
    assert attempt(client, "editor", "right-password").status_code == 302


def test_throttle_counts_case_insensitively(client, editor_user):
    for name in ("editor", "EDITOR", "Editor", "eDitor", "editoR"):
        attempt(client, name, "wrong")
    assert attempt(client, "editor", "wrong").status_code == 429


# --- check --deploy ----------------------------------------------------------------------


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        # Our own deploy checks (site_project/checks.py) want both, as .ci/run sets them.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "WAGTAILADMIN_BASE_URL": "https://example.com",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not re.search(r"security\.[WE]\d+", output), output


@pytest.mark.slow
def test_production_refuses_a_weak_secret_key():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": "short",
        "ALLOWED_HOSTS": "example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- API rate limit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_api_anonymous_rate_limit_answers_429_with_retry_after(client, site_tree, settings):
    settings.NEWSDESK_API_RATE = "3/min"
    settings.NEWSDESK_RESPONSE_CACHE = False  # every request reaches the throttle
    statuses = [client.get("/api/v1/news/", REMOTE_ADDR="10.1.1.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get("/api/v1/news/", REMOTE_ADDR="10.1.1.1")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 61
    assert limited["Content-Type"].startswith("application/problem+json")
    assert limited.json()["status"] == 429
    # Another client is not affected.
    assert client.get("/api/v1/news/", REMOTE_ADDR="10.1.1.2").status_code == 200
