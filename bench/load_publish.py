"""Load with concurrent publishing: readers pour in while editors publish, edit and unpublish.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load_publish.py [--duration 60] [--connections 64] [--redis]

What it does, on loopback only:

1. creates a fresh PostgreSQL database, migrates it, collects static files and builds a
   dataset (bench/build_dataset.py, 300 stories by default);
2. serves it with gunicorn and the production settings (``--redis`` adds the Redis cache);
3. runs wrk (``--duration`` seconds, ``--connections`` connections) over the API list,
   detail and "other news" endpoints and HTML pages, while a publisher process, once a
   second, publishes a new story, edits one or unpublishes one (in turn) through
   Wagtail's own revision API;
4. after every write the publisher reads the API and the HTML page back at once and
   checks that they show the change (read-your-writes across gunicorn workers: no stale
   cached answer);
5. prints a JSON summary and exits non-zero on any 5xx, socket error, or stale read.

The database is dropped at the end unless ``--keep`` is given.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/load_publish.py` puts only bench/ on the path

from tests.servers import Gunicorn  # noqa: E402

BENCH = ROOT / "bench"
PYTHON = sys.executable

WRK_LUA = r"""
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS_FILE")) do paths[#paths + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
classes = {}  -- global: the main state reads it with thread:get()
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  classes = {["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0}
end
response = function(status, headers, body)
  local class = tostring(status):sub(1, 1)
  classes[class] = (classes[class] or 0) + 1
end
done = function(summary, latency, requests)
  local totals = {["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0}
  for _, thread in ipairs(threads) do
    for _, class in ipairs({"2", "3", "4", "5"}) do
      totals[class] = totals[class] + (thread:get("classes")[class] or 0)
    end
  end
  io.write(string.format(
    'LOAD_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
    .. '"timeouts": %d, "non_2xx_3xx": %d, "s2xx": %d, "s3xx": %d, "s4xx": %d, "s5xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status,
    totals["2"], totals["3"], totals["4"], totals["5"]))
end
"""


def log(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def ensure_wrk():
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk")


def http_get(url, timeout=10):
    """(status, body bytes, seconds); never raises for HTTP or socket errors."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started
    except (OSError, urllib.error.URLError) as error:
        return None, str(error).encode(), time.monotonic() - started


class Stack:
    """A fresh PostgreSQL database with a dataset, served by gunicorn on loopback."""

    def __init__(self, name, *, redis=False, workers=4, timeout=30, stories=300):
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        if not base.startswith("postgres"):
            raise SystemExit("DATABASE_URL must point at PostgreSQL")
        self.parsed = urlparse(base)
        self.database = f"newsdesk_{name}_{os.getpid()}"
        self.admin_url = self.parsed._replace(path="/postgres").geturl()
        self.workdir = Path(tempfile.mkdtemp(prefix=f"newsdesk-{name}-"))
        self.workers, self.timeout, self.stories = workers, timeout, stories
        self.server = None
        self.base = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "NEWSDESK_API_RATE": "",
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
            "DB_CONNECT_TIMEOUT": "3",
            "DATABASE_URL": self.parsed._replace(path=f"/{self.database}").geturl(),
        }
        if redis:
            # A database number of its own, so other users of this Redis are not touched.
            self.env["REDIS_URL"] = "redis://127.0.0.1:6379/9"
        else:
            self.env.pop("REDIS_URL", None)

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def manage(self, *command, capture=False):
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            capture_output=capture,
        )

    def build(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.database}"')
        log(f"database {self.database}: migrate, collectstatic, {self.stories} stories")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        subprocess.run(
            [
                PYTHON,
                str(BENCH / "build_dataset.py"),
                "--stories",
                str(self.stories),
                "--quiet",
                "--no-search-index",
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        self.server = Gunicorn(
            self.env,
            workers=self.workers,
            timeout=self.timeout,
            extra_args=["--graceful-timeout", "10", "--log-level", "warning"],
        )
        self.base = self.server.start()

    def read_paths(self):
        """The URLs readers hit: list, detail, other, HTML (translated and fallback)."""
        # The first answer makes every image rendition: give it time.
        status, body, _ = http_get(f"{self.base}/api/v1/news/?locale=ru&page_size=20", 180)
        if status != 200:
            raise RuntimeError(f"list answered {status}: {body[:300]!r}")
        items = json.loads(body)["results"]
        paths = [
            "/api/v1/news/?locale=ru&page_size=20",
            "/api/v1/news/?locale=kk&page_size=20",
            "/api/v1/news/?locale=en&page=2",
        ]
        for item in items[:6]:
            paths.append(f"/api/v1/news/{item['id']}/?locale=ru")
            paths.append(f"/api/v1/news/{item['id']}/other/?locale=ru")
            paths.append(urlparse(item["url"]).path)
        fallback = [item for item in items if item.get("is_fallback")]
        for item in fallback[:2]:
            paths.append(urlparse(item["url"]).path)
        paths += ["/kk/", "/ru/"]
        for path in paths:  # warm up: renditions and first-use work are not the load
            status, body, _ = http_get(self.base + path, timeout=180)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        return paths

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def destroy(self):
        self.stop()
        try:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        except Exception as error:  # noqa: BLE001 - cleanup must not hide the result
            log(f"could not drop {self.database}: {error}")
        shutil.rmtree(self.workdir, ignore_errors=True)


def run_wrk(base, paths, duration, connections, threads=2):
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "load.lua"
        script.write_text(WRK_LUA)
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        result = subprocess.run(
            [
                ensure_wrk(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base,
            ],
            env={**os.environ, "LOAD_PATHS_FILE": str(path_file)},
            text=True,
            capture_output=True,
            timeout=duration + 60,
            check=False,
        )
    line = next((x for x in result.stdout.splitlines() if x.startswith("LOAD_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("LOAD_JSON "))
    seconds = data["duration_us"] / 1e6
    data["rps"] = round(data["requests"] / seconds, 1) if seconds else 0.0
    data["socket_errors"] = (
        data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"]
    )
    for key in ("p50_us", "p99_us", "max_us"):
        data[key.replace("_us", "_ms")] = round(data.pop(key) / 1000, 1)
    return data


# --- the publisher ----------------------------------------------------------------------


def publisher_main(base, duration, out_path):
    """Publish / edit / unpublish once a second; read back after every write."""
    import django

    django.setup()
    import datetime

    from django.utils import timezone

    from news.models import NewsIndex, NewsPage

    index = NewsIndex.objects.get(locale__language_code="kk")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # always newest
    mine = []
    stats = {"publish": 0, "edit": 0, "unpublish": 0, "checks": 0, "stale": 0, "lag_ms": []}
    problems = []

    def wait_for(description, predicate, limit=5.0):
        """Read until ``predicate`` holds; a first read that fails is a stale read."""
        stats["checks"] += 1
        started = time.monotonic()
        first = True
        while True:
            ok, detail = predicate()
            if ok:
                stats["lag_ms"].append(round((time.monotonic() - started) * 1000, 1))
                return
            if first:
                stats["stale"] += 1
                problems.append(f"stale read after {description}: {detail}")
                first = False
            if time.monotonic() - started > limit:
                problems.append(f"never consistent after {description}: {detail}")
                return
            time.sleep(0.05)

    def detail(page_id):
        status, body, _ = http_get(f"{base}/api/v1/news/{page_id}/?locale=kk")
        return status, (json.loads(body) if status == 200 else None)

    def newest():
        status, body, _ = http_get(f"{base}/api/v1/news/?locale=kk&page_size=5")
        return json.loads(body)["results"] if status == 200 else []

    def html_has(url, text):
        status, body, _ = http_get(base + urlparse(url).path)
        return status == 200 and text.encode() in body, status

    started = time.monotonic()
    step = 0
    while time.monotonic() - started < duration:
        tick = time.monotonic()
        action = ["publish", "edit", "publish", "unpublish"][step % 4] if mine else "publish"
        step += 1
        if action == "publish":
            title = f"Шұғыл жаңалық {step} {secrets.token_hex(3)}"
            page = NewsPage(title=title, lead=f"{title}: лид", date=tomorrow, live=False)
            index.add_child(instance=page)
            page.save_revision().publish()
            page.refresh_from_db()
            mine.append(page.pk)

            def published(page=page, title=title):
                status, data = detail(page.pk)
                top = [item["id"] for item in newest()]
                ok = status == 200 and data["title"] == title and page.pk in top
                return ok, f"detail {status}, top {top[:3]}"

            wait_for(f"publish {page.pk}", published)
            wait_for(f"publish {page.pk} (HTML)", lambda p=page, t=title: html_has(p.url, t))
        elif action == "edit":
            page = NewsPage.objects.get(pk=mine[-1])
            title = f"{page.title.split(' (')[0]} (жаңартылды {step})"
            page.title = title
            page.save_revision().publish()

            def edited(page=page, title=title):
                status, data = detail(page.pk)
                titles = {item["id"]: item["title"] for item in newest()}
                ok = status == 200 and data["title"] == title and titles.get(page.pk) == title
                return ok, f"detail {status} {data and data['title']!r}"

            wait_for(f"edit {page.pk}", edited)
        else:
            page = NewsPage.objects.get(pk=mine.pop(0))
            page.unpublish()

            def unpublished(page=page):
                status, _data = detail(page.pk)
                top = [item["id"] for item in newest()]
                return status == 404 and page.pk not in top, f"detail {status}, top {top[:3]}"

            wait_for(f"unpublish {page.pk}", unpublished)
        stats[action] += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))

    lags = sorted(stats.pop("lag_ms"))
    stats["readback_ms_p50"] = lags[len(lags) // 2] if lags else None
    stats["readback_ms_max"] = lags[-1] if lags else None
    stats["problems"] = problems[:20]
    Path(out_path).write_text(json.dumps(stats))


def start_publisher(stack, duration):
    out = stack.workdir / "publisher.json"
    process = subprocess.Popen(
        [PYTHON, str(Path(__file__).resolve()), "--publisher", stack.base, str(duration), str(out)],
        cwd=ROOT,
        env={**stack.env, "PYTHONPATH": str(ROOT)},
    )
    return process, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--redis", action="store_true", help="use the Redis cache")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    stack = Stack("load", redis=args.redis, workers=args.workers, stories=args.stories)
    try:
        stack.build()
        stack.start()
        paths = stack.read_paths()
        log(f"gunicorn at {stack.base}; {len(paths)} read paths; publisher starts")
        publisher, publisher_out = start_publisher(stack, args.duration)
        load = run_wrk(stack.base, paths, args.duration, args.connections)
        publisher.wait(timeout=120)
        writes = json.loads(publisher_out.read_text())
        summary = {
            "database": "postgresql",
            "cache": "redis" if args.redis else "local memory (per worker) + DB version",
            "workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "read_paths": len(paths),
            "load": load,
            "writes": writes,
        }
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        ok = (
            load["s5xx"] == 0
            and load["socket_errors"] == 0
            and writes["stale"] == 0
            and not writes["problems"]
        )
        return 0 if ok else 1
    finally:
        if args.keep:
            stack.stop()
        else:
            stack.destroy()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--publisher":
        sys.path.insert(0, str(ROOT))
        publisher_main(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(main())
