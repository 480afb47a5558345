"""A real Varnish (with the xkey vmod) in front of gunicorn, purged by cache key on publish.

deploy/varnish/newsdesk.vcl is started on loopback in front of two gunicorn workers with
production settings. Publishing through the product (``save_revision().publish()`` in a
``manage.py shell`` of its own) must purge, at Varnish, the changed story's URLs and the
listings it is on, and leave the other listing pages and unrelated articles cached.
Varnish hits are read from its response headers (``X-Varnish`` carries two transaction
ids on a hit; the VCL adds ``X-Varnish-Cache``).
"""

import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port, gunicorn, manage, migrated_site

pytestmark = pytest.mark.slow  # varnishd, gunicorn and manage.py subprocesses

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "newsdesk.vcl"
VARNISHD = "/usr/sbin/varnishd"
XKEY = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")


def _ensure_varnish():
    if Path(VARNISHD).exists() and (XKEY.exists() or not XKEY.parent.exists()):
        return
    # Debian's packages, as tests/e2e installs Chromium.
    subprocess.run(["apt-get", "install", "-y", "-q", "varnish", "varnish-modules"], check=True)


SETUP = """
from datetime import date, timedelta
from tests.factories import NewsTopicFactory, make_site, make_news
_home, index = make_site()
topic = NewsTopicFactory(name="Саясат", slug="sayasat")
for n in range(15):
    make_news(index, f"Жаңалық {n}", slug=f"story-{n}", date=date(2026, 1, 1) + timedelta(days=n))
print(index.url)
"""

CORRECTION = """
from news.models import NewsPage
page = NewsPage.objects.get(slug="story-0")
page.title = "Жаңалық 0 (түзетілді)"
page.save_revision().publish()
"""

NEW_STORY = """
from datetime import date
from news.models import NewsIndex
from tests.factories import make_news
make_news(NewsIndex.objects.get(), "Шұғыл жаңалық", slug="breaking", date=date(2026, 3, 1))
"""


@pytest.fixture
def site(tmp_path):
    _ensure_varnish()
    varnish_port = free_port()
    env = migrated_site(tmp_path, NEWSDESK_VARNISH_URL=f"http://127.0.0.1:{varnish_port}")
    # The stories are made before Varnish starts: without its URL, whose purges would each
    # wait out their retries on a port nobody listens on yet (tasks run inline here).
    quiet = {key: value for key, value in env.items() if key != "NEWSDESK_VARNISH_URL"}
    index_url = manage(quiet, "shell", "-c", SETUP).strip().splitlines()[-1]
    with gunicorn(env, workers=2) as base:
        app_port = base.rsplit(":", 1)[1]
        vcl = tmp_path / "newsdesk.vcl"
        vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
        process = subprocess.Popen(  # noqa: S603 - our own VCL on loopback
            [
                VARNISHD,
                "-F",
                "-j",
                "none",
                "-n",
                str(tmp_path / "varnish"),
                "-a",
                f"127.0.0.1:{varnish_port}",
                "-T",
                "none",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"http://127.0.0.1:{varnish_port}/healthz", process)
            yield env, f"http://127.0.0.1:{varnish_port}", index_url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"varnishd exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError("varnishd did not answer")


def _fetch(base, path):
    """(status, Varnish hit?, body) of ``path`` through Varnish."""
    request = urllib.request.Request(base + path, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            ids = response.headers.get("X-Varnish", "").split()
            hit = len(ids) == 2
            assert hit == (response.headers.get("X-Varnish-Cache") == "hit")
            return response.status, hit, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, False, ""


def _warm(base, paths):
    for path in paths:
        status, _hit, _body = _fetch(base, path)
        assert status == 200, path
        status, hit, _body = _fetch(base, path)
        assert hit, f"{path} is not cached by Varnish"


def test_a_publish_purges_exactly_the_affected_urls_at_varnish(site):
    env, base, index_url = site
    old = f"{index_url}story-0/"
    ru_old = "/ru/" + old.split("/", 2)[2]  # the Kazakh story under the Russian prefix
    newest, other = f"{index_url}story-14/", f"{index_url}story-7/"
    page_1, page_2 = index_url, index_url + "?page=2"
    api_list = "/api/v1/news/?locale=kk&page_size=10"
    status, _hit, body = _fetch(base, "/api/v1/news/?locale=kk&page_size=20")
    old_id = re.search(r'"id":\s*(\d+)[^{}]*"slug":\s*"story-0"', body).group(1)
    api_old = f"/api/v1/news/{old_id}/?locale=kk"
    _warm(base, [old, ru_old, api_old, page_1, page_2, newest, other, api_list])

    manage(env, "shell", "-c", CORRECTION)

    # The changed story's URLs, and the listing page that shows it: purged and fresh.
    for path in (old, ru_old, api_old, page_2):
        status, hit, body = _fetch(base, path)
        assert (status, hit) == (200, False), path
        assert "Жаңалық 0 (түзетілді)" in body, path
    # The listing page it is not on, unrelated articles and the API list: still cached.
    for path in (page_1, newest, other, api_list):
        status, hit, body = _fetch(base, path)
        assert (status, hit) == (200, True), path
        assert "түзетілді" not in body, path

    # A new story: every listing of its language is purged; articles refresh softly.
    manage(env, "shell", "-c", NEW_STORY)
    for path in (page_1, page_2, api_list):
        status, hit, body = _fetch(base, path)
        assert (status, hit) == (200, False), path
    assert "Шұғыл жаңалық" in _fetch(base, page_1)[2]
    assert "Шұғыл жаңалық" in _fetch(base, api_list)[2]
    status, _hit, body = _fetch(base, f"{index_url}breaking/")
    assert status == 200
    assert "Шұғыл жаңалық" in body
