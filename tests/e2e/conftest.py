"""Real-browser tests: Debian's Chromium driven by Playwright against a real server.

The server is gunicorn serving the project on loopback, on a fresh SQLite file built by
``migrate`` and ``load_demo`` — the same site a newcomer gets from ``make run``.
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.servers import free_port, gunicorn, worker

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Assertions wait up to 15 s for the page to get there (Playwright's default is 5 s): the
# machine may be busy, and every wait ends as soon as the condition holds.
expect.set_options(timeout=15_000)


def _ensure_chromium():
    if Path(CHROMIUM).exists():
        return
    # Debian's package, never a browser download from anywhere else.
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True)


def _ensure_axe():
    axe = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        npm = shutil.which("npm")
        if npm is None:
            subprocess.run(["apt-get", "install", "-y", "-q", "npm"], check=True)
            npm = shutil.which("npm")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-save"], cwd=E2E_DIR, check=True
        )
    return axe


# Developer shortcut: E2E_LIVE_URL=http://127.0.0.1:8000 (plus the server's DATABASE_URL,
# MEDIA_ROOT and DJANGO_SETTINGS_MODULE exported, and E2E_CLIENT_PORT in its
# CORS_ALLOWED_ORIGINS) runs the tests against a server you already started, skipping the
# ~1 min of migrate + load_demo. The tests change the demo content: reload it afterwards.
REUSE_URL = os.environ.get("E2E_LIVE_URL", "").rstrip("/")


@pytest.fixture(scope="session")
def client_origin():
    """Origin of the headless-client page: another origin than the site (CORS).

    Chosen before the server starts, so that its CORS_ALLOWED_ORIGINS can name it.
    """
    port = int(os.environ.get("E2E_CLIENT_PORT") or free_port())
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def server_env(tmp_path_factory, client_origin):
    if REUSE_URL:
        return {**os.environ, "PYTHONUNBUFFERED": "1"}
    work = tmp_path_factory.mktemp("e2e-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        # Its own cache folder: never `make run`'s var/cache (issue 26 #8).
        "NEWSDESK_CACHE_DIR": str(work / "cache"),
        "DEBUG": "true",
        "CORS_ALLOWED_ORIGINS": client_origin,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT)
    return env


def _warm_up(base):
    """Load each part of the app in both workers: a cold worker's first API or admin request
    (lazy imports, URLconf) can take seconds on a busy machine, longer than an assertion waits.
    """
    for path in ("/kk/", "/api/v1/news/?locale=ru", "/admin/login/", "/ru/") * 3:
        try:
            with urllib.request.urlopen(base + path, timeout=30):  # noqa: S310
                pass
        except OSError:
            pass


@pytest.fixture(scope="session")
def live_url(server_env):
    """Base URL of gunicorn serving the demo site on loopback, with the task worker beside it
    (as ``make run``: scheduled stories go live, queued tasks run)."""
    if REUSE_URL:
        yield REUSE_URL
        return
    with gunicorn(server_env, workers=2, ready_path="/kk/") as base, worker(server_env):
        _warm_up(base)
        yield base


def manage(server_env, *args, stdin=None):
    """Run a management command (or ``shell -c``) against the e2e site's database."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=server_env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; our DB work here is
    # synchronous. Set only when a browser starts: conftest is imported by every run,
    # and the variable must not reach `check --deploy` in the other tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


FAILURES = ROOT / "var" / "e2e-failures"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None and not page.is_closed():
            # What the browser showed when the test failed (var/ is gitignored).
            FAILURES.mkdir(parents=True, exist_ok=True)
            path = FAILURES / f"{item.name}.png"
            try:
                page.screenshot(path=str(path))
                report.sections.append(("e2e", f"screenshot of the failure: {path}"))
            except Exception as error:  # noqa: BLE001 - a screenshot must not hide the failure
                report.sections.append(("e2e", f"no screenshot: {error}"))
            console = getattr(page, "console_log", [])
            if console:
                report.sections.append(("browser console", "\n".join(console[-30:])))
    return report


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.console_log = []
    page.on("console", lambda message: page.console_log.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.console_log.append(f"pageerror: {error}"))
    page.on(
        "response",
        lambda response: page.console_log.append(f"{response.status} {response.url}"),
    )
    page.on(
        "requestfailed",
        lambda request: page.console_log.append(f"failed: {request.url} {request.failure}"),
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    return _ensure_axe().read_text()


def run_axe(page, axe_source, include=None):
    """axe-core's violations on the current page, as a list of dicts.

    Each has the rule ``id``, ``impact``, ``help``, ``count`` (nodes) and ``nodes``
    (up to 5, each ``{"target": css selector, "html": the element's opening markup}``).
    """
    page.add_script_tag(content=axe_source)
    context = json.dumps(include) if include else "document"
    return page.evaluate(
        f"""async () => {{
            const result = await axe.run({context}, {{resultTypes: ['violations']}});
            return result.violations.map(v => ({{
                id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                nodes: v.nodes.slice(0, 5).map(n => ({{
                    target: n.target.join(' '), html: n.html.slice(0, 300)
                }}))
            }}));
        }}"""
    )


# Figures of every axe run in this session, printed at the end of the test output.
AXE_FIGURES = []
IMPACTS = ("critical", "serious", "moderate", "minor")


def record_axe(name, violations, note=""):
    """Keep ``violations`` of page ``name`` for the summary; return its counts by impact."""
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += violation["count"]
    AXE_FIGURES.append((name, counts, violations, note))
    return counts


def pytest_terminal_summary(terminalreporter):
    if not AXE_FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("axe-core violations per page (nodes by impact)")
    for name, counts, violations, note in AXE_FIGURES:
        figures = ", ".join(f"{impact} {counts[impact]}" for impact in IMPACTS)
        write(f"{name}: {figures}{f'  ({note})' if note else ''}")
        for violation in violations:
            write(
                f"    {violation['impact']}: {violation['id']} x{violation['count']}"
                f" - {violation['help']}"
            )


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def login(page, live_url, username="admin", password="newsdesk-demo"):  # noqa: S107
    page.goto(f"{live_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/admin/**")


def shell(server_env, code):
    """Run Python ``code`` in ``manage.py shell`` on the e2e site; its last stdout line."""
    lines = manage(server_env, "shell", "--no-imports", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


def page_id(server_env, slug, language):
    """The id of the page with ``slug`` in ``language`` (for admin URLs)."""
    return int(
        shell(
            server_env,
            "from wagtail.models import Page; "
            f"print(Page.objects.get(slug={slug!r}, locale__language_code={language!r}).pk)",
        )
    )


def server_today(server_env):
    """Today in the site's time zone (what the admin's date field defaults to), ISO format."""
    return shell(server_env, "from django.utils import timezone; print(timezone.localdate())")
