"""The wagtail-newsdesk distribution, installed into a site made with ``wagtail start``.

Builds the sdist and the wheel (``python -m build --no-isolation``: offline, with the
backend from our venv), checks them with twine and lists the wheel. Then, in a fresh
virtual environment, installs the wheel, creates a host with Wagtail's own project
template, adds Newsdesk to it with the snippets of docs/install.md (read from the page,
so the documentation and this test cannot drift apart), migrates, writes two stories
through the models' API and serves the host with ``runserver`` on a free port.

The fresh venv installs only the wheel (``--no-deps --no-index``); its dependencies
(Django, Wagtail, …) come from our venv's site-packages through a ``.pth`` file, so the
test needs no network. Nothing of this repository is on the host's path: the host runs
from a temporary directory, and the first test proves ``news`` is the installed copy.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "install.md"


def run(command, cwd, env=None, timeout=600):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )
    return result.stdout


def snippet(name):
    """The code block that follows ``<!-- snippet: name -->`` in docs/install.md."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(rf"<!-- snippet: {name} -->\s*```python\n(.*?)```", text, re.S)
    assert match, f"docs/install.md has no '{name}' snippet"
    return match.group(1)


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, REPO],
        cwd=tmp_path_factory.mktemp("build-cwd"),
    )
    wheels = list(outdir.glob("wagtail_newsdesk-*.whl"))
    sdists = list(outdir.glob("wagtail_newsdesk-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, list(outdir.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def test_twine_check_passes(dist):
    output = run(
        [sys.executable, "-m", "twine", "check", "--strict", dist["wheel"], dist["sdist"]],
        cwd=REPO,
    )
    assert output.count("PASSED") == 2


def test_wheel_holds_the_plugins_and_nothing_of_the_site(dist):
    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    expected = [
        "news/migrations/0001_initial.py",
        "search/migrations/0001_initial.py",
        "news/templates/news/base.html",
        "news/templates/news/news_page.html",
        "news/templates/news/blocks/quote_block.html",
        "news/templates/news/components/fallback_notice.html",
        "search/templates/search/search.html",
        "news/static/news/newsdesk.css",
        "news/management/commands/import_wordpress.py",
        "search/management/commands/rebuild_search_index.py",
        "kazakh_admin/apps.py",
        "newsdesk_memory/migrations/0001_initial.py",
        "newsdesk_memory/templates/newsdesk_memory/panel.html",
        "newsdesk_memory/static/newsdesk_memory/panel.js",
        "newsdesk_memory/management/commands/measure_memory.py",
    ]
    for language in ("kk", "ru", "en"):
        for app in ("news", "search", "newsdesk_memory"):
            expected += [
                f"{app}/locale/{language}/LC_MESSAGES/django.po",
                f"{app}/locale/{language}/LC_MESSAGES/django.mo",  # compiled at build time
            ]
    expected.append("kazakh_admin/locale/kk/LC_MESSAGES/django.mo")
    missing = [name for name in expected if name not in names]
    assert not missing, missing
    top_level = {name.split("/")[0] for name in names if not name.endswith(".dist-info")}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {
        "news",
        "search",
        "newsdesk_memory",
        "kazakh_admin",
    }
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(dist["wheel"]).read(metadata).decode()
    assert "License-Expression: BSD-3-Clause" in text
    assert "# wagtail-newsdesk" in text  # PACKAGE_README.md as the long description


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(venv):
    """The host's environment: nothing of ours (settings module, database, Redis, paths)."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


CONTENT = """
import json
from wagtail.models import Locale
from home.models import HomePage
from news.models import NewsIndex, NewsPage

en = Locale.objects.get(language_code="en")
kk, _ = Locale.objects.get_or_create(language_code="kk")
Locale.objects.get_or_create(language_code="ru")
home = HomePage.objects.get(locale=en)
index = NewsIndex(title="News", slug="news")
home.add_child(instance=index)
index.save_revision().publish()
story = NewsPage(
    title="The bridge opens",
    lead="The new bridge over the river opens on Monday.",
    body=[
        ("paragraph", "<p>Traffic will flow both ways.</p>"),
        ("quote", {"text": "A bridge for everyone", "attribution": "Aigerim Bekova",
                   "role": "Mayor", "source_url": ""}),
    ],
)
index.add_child(instance=story)
story.save_revision().publish()

kk_home = home.copy_for_translation(kk)
kk_home.save_revision().publish()
kk_index = index.copy_for_translation(kk)
kk_index.save_revision().publish()
kk_story = NewsPage(title="Жаңа мектеп ашылды", lead="Қалада жаңа мектеп ашылды.",
                    body=[("paragraph", "<p>Мектепте 600 оқушы оқиды.</p>")], locale=kk)
kk_index.add_child(instance=kk_story)
kk_story.save_revision().publish()
story.refresh_from_db()
print(json.dumps({"story": story.pk, "story_url": story.get_url(), "kk_story": kk_story.pk}))
"""


@pytest.fixture(scope="module")
def host(dist, tmp_path_factory):
    base = tmp_path_factory.mktemp("host")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=base)
    python = venv / "bin" / "python"
    site_packages = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base
    ).strip()
    # Our venv's packages (Django, Wagtail, …) after the fresh venv's own: the wheel's
    # news/search/kazakh_admin come first. (Our venv holds the project as an editable
    # install, whose finder a .pth-added directory does not load.)
    ours = sysconfig.get_paths()["purelib"]
    Path(site_packages, "zz_newsdesk_dependencies.pth").write_text(ours + "\n")
    env = clean_env(venv)
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", dist["wheel"]], base, env)

    run(
        [python, "-c", "import sys; from wagtail.bin.wagtail import main; main()", "start", "host"],
        base,
        env,
    )
    project = base / "host"
    # docs/install.md, step 1: the template's own search app gives way to Newsdesk's.
    shutil.rmtree(project / "search")
    # Step 2: the settings snippet at the end of settings/base.py.
    settings_file = project / "host" / "settings" / "base.py"
    settings_file.write_text(settings_file.read_text() + "\n" + snippet("settings"))
    # Step 3: urls.py as the page shows it.
    (project / "host" / "urls.py").write_text(snippet("urls"))
    manage = [python, "manage.py"]
    where = run([*manage, "shell", "-c", "import news, search; print(news.__file__)"], project, env)
    assert where.strip().splitlines()[-1].startswith(str(venv)), where
    run([*manage, "check", "--fail-level", "WARNING"], project, env)
    run([*manage, "migrate", "--noinput"], project, env, timeout=900)
    ids = json.loads(run([*manage, "shell", "-c", CONTENT], project, env).strip().splitlines()[-1])

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own arguments
        [str(python), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v1/locales/", timeout=2)  # noqa: S310
            break
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the host did not start:\n{server.stdout.read()}")
            time.sleep(0.3)
    try:
        yield {"url": url, **ids}
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(host, path):
    with urllib.request.urlopen(host["url"] + path, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read().decode()


def test_the_story_page_shows_the_quote(host):
    assert host["story_url"].startswith("/en/news/")
    status, _headers, html = get(host, host["story_url"])
    assert status == 200
    assert "The bridge opens" in html
    assert "A bridge for everyone" in html and "Aigerim Bekova" in html
    assert "news/newsdesk.css" in html  # Newsdesk's neutral base: the host overrides nothing


def test_the_api_lists_with_fallback(host):
    status, headers, body = get(host, "/api/v1/news/?language=en")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    results = {item["id"]: item for item in json.loads(body)["results"]}
    assert results[host["story"]]["is_fallback"] is False
    assert results[host["kk_story"]]["is_fallback"] is True  # no English yet: in Kazakh


def test_the_api_detail_and_other_news(host):
    status, _headers, body = get(host, f"/api/v1/news/{host['story']}/?language=en")
    assert status == 200
    assert json.loads(body)["title"] == "The bridge opens"
    status, _headers, body = get(host, f"/api/v1/news/{host['story']}/other/?language=en")
    assert status == 200
    others = {item["id"]: item for item in json.loads(body)["results"]}
    assert others[host["kk_story"]]["is_fallback"] is True
    assert host["story"] not in others


def test_the_feed_and_the_search_page(host):
    status, headers, body = get(host, "/en/news/feed/rss/")
    assert status == 200 and "xml" in headers["Content-Type"]
    assert "The bridge opens" in body
    status, _headers, html = get(host, "/en/search/?q=bridge")
    assert status == 200
    assert "The bridge opens" in html


def test_an_unknown_story_is_problem_json(host):
    with pytest.raises(urllib.error.HTTPError) as raised:
        get(host, "/api/v1/news/999999/?language=en")
    assert raised.value.code == 404
    assert raised.value.headers["Content-Type"] == "application/problem+json"
