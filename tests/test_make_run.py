"""``make run`` as a newcomer meets it: one command, the worker beside the web server, a Site
record that names the address it serves, and output that says what the demo built.

``make -n`` shows the commands without running them; the settings and commands they rely on
are exercised for real below.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from tests.factories import make_site

ROOT = Path(__file__).resolve().parents[1]


def _make_dry_run(*args):
    done = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


@pytest.mark.slow  # a subprocess
def test_make_run_starts_the_worker_and_names_its_own_port_in_the_site():
    commands = _make_dry_run("run", "PORT=8123")
    load_demo = next(line for line in commands.splitlines() if "load_demo" in line)
    assert "NEWSDESK_SITE_HOSTNAME=127.0.0.1" in load_demo
    assert "NEWSDESK_SITE_PORT=8123" in load_demo
    # The worker and the web server in one recipe: Ctrl-C (or the server exiting) stops both.
    assert "newsdesk_worker" in commands
    assert "runserver 127.0.0.1:8123" in commands
    assert "trap 'kill $worker" in commands


def _settings_in_subprocess(module, **env):
    code = (
        "from django.conf import settings;"
        "print(settings.NEWSDESK_SITE_HOSTNAME, settings.NEWSDESK_SITE_PORT)"
    )
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSDESK_SITE_", "WAGTAILADMIN_BASE_URL"))
    }
    environ.update({"DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": "x" * 50, **env})
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    hostname, port = done.stdout.split()
    return hostname, int(port)


@pytest.mark.slow  # a subprocess
def test_production_reads_the_sites_address_from_its_configuration():
    production = "site_project.settings.production"
    assert _settings_in_subprocess(
        production, NEWSDESK_SITE_HOSTNAME="news.example.kz", NEWSDESK_SITE_PORT="443"
    ) == ("news.example.kz", 443)
    # Else the admin's public URL names it.
    assert _settings_in_subprocess(
        production, WAGTAILADMIN_BASE_URL="https://newsdesk.example"
    ) == ("newsdesk.example", 443)
    assert _settings_in_subprocess(production, WAGTAILADMIN_BASE_URL="http://10.0.0.5:8080/") == (
        "10.0.0.5",
        8080,
    )


@pytest.mark.django_db
@override_settings(NEWSDESK_SITE_HOSTNAME="127.0.0.1", NEWSDESK_SITE_PORT=8123)
def test_configure_site_points_the_default_site_at_the_configured_address():
    make_site()  # a Site on localhost:80
    out = io.StringIO()
    call_command("configure_site", stdout=out)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert site.root_url == "http://127.0.0.1:8123"
    assert "now serves http://127.0.0.1:8123/" in out.getvalue()
    out = io.StringIO()
    call_command("configure_site", stdout=out)
    assert "already serves" in out.getvalue()


@pytest.mark.django_db
@override_settings(NEWSDESK_SITE_HOSTNAME="127.0.0.1", NEWSDESK_SITE_PORT=8123)
def test_load_demo_serves_the_configured_address_and_says_what_it_built(client):
    out = io.StringIO()
    call_command("load_demo", allow_demo_credentials=True, stdout=out)
    text = out.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    # Absolute URLs readers and the admin's preview get name that address.
    html = client.get("/kk/").content.decode()
    assert 'rel="canonical" href="http://127.0.0.1:8123/kk/"' in html
    assert "http://localhost/" not in html
    # A few plain lines, not one per object, and none without context.
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) <= 10, text
    assert "Demo newsroom loaded" in text
    assert "Kazakh news stories" in text and "Russian:" in text and "English:" in text
    assert "edited the source" not in text
    assert "Created " not in text
    assert "http://127.0.0.1:8123/admin/" in text


@pytest.mark.slow  # a subprocess
def test_django_messages_reach_the_console_once():
    """runserver's "Watching for file changes" was printed twice (two handlers)."""
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_project.settings.dev", "DEBUG": "1"}
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert (done.stdout + done.stderr).count("Watching for file changes") == 1
