"""``make bench``: build a dataset, serve it with gunicorn, load it with wrk, report.

    python bench/run.py [--stories 3000] [--duration 10] [--connections 32] [--no-cache]
                        [--no-newsroom] [--newsroom-duration 60] [--scale 300,10000]
                        [--no-long-tail] [--long-tail-duration 30] [--steady-duration 120]
                        [--steady-compare-ttl 600] [--quick]

Single-URL scenarios (a…l, one hot URL each, Wagtail's API v2 and v3 beside ours), then
the newsroom scenario (bench/newsroom.py: Zipf reads over every article URL while the
desk publishes), then the cold long tail (Zipf over every article URL on an empty cache,
against the static file in the same run, then the steady state), then the uncached
service times (one connection per worker) and the flat-cost scale runs. ``--quick``: a
smaller, shorter run (1,000 stories, 5 s per scenario, 15 s phases, scale 300,3000) for
a first look; the figures in docs/benchmarks.md come from full runs.

SQLite file under var/bench/ by default; a fresh PostgreSQL database (bench_newsdesk…)
on the server of ``DATABASE_URL`` when it is set; the Redis cache when ``REDIS_URL`` is
set. Production settings (a SECRET_KEY generated for the run, DEBUG off, manifest static
files) on loopback. Prints one table, writes bench/results/latest.json and appends a
dated row to docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts only bench/ on the path

from bench import newsroom  # noqa: E402
from tests.servers import Gunicorn  # noqa: E402

BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
RESULTS = BENCH / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable

SEARCH_QUERY = "үкімет"

SCENARIOS = [
    ("a", "API v1 list", "/api/v1/news/?locale=ru&page_size=20"),
    (
        "b",
        "Wagtail API v2 list",
        "/api/v2/pages/?type=news.NewsPage&locale=ru&limit=20"
        "&fields=date,lead,image,image_card,topic_links,first_published_at",
    ),
    ("c", "API v1 other", "/api/v1/news/{id}/other/?locale=ru"),
    ("d", "API v1 detail", "/api/v1/news/{id}/?locale=ru"),
    ("e", "API v1 list, If-None-Match (304)", "/api/v1/news/?locale=ru&page_size=20"),
    ("f", "static JSON (whitenoise)", "/static/bench/news-list.json"),
    ("g", "HTML news page, fallback", "/ru/novosti/{fallback_slug}/"),
    ("h", "API v1 search", "/api/v1/search/?q={q}&locale=kk"),
    ("i", "HTML news listing", "/ru/novosti/"),
    ("j", "API v1 resolve, fallback", "/api/v1/resolve/?path=/ru/novosti/{fallback_slug}/"),
    # Wagtail 8.0's API v3 (Django Ninja), enabled in the bench settings only.
    ("k", "Wagtail API v3 list", "/api/v3/pages/?type=news.NewsPage&locale=ru&limit=20"),
    ("l", "Wagtail API v3 detail", "/api/v3/pages/{id}/"),
    # The Latin edition (news.kazakh_latin.edition) beside the Kazakh answers it derives.
    ("m", "HTML news page, kk", "{kk_path}"),
    ("n", "HTML news page, kk-Latn", "{latin_path}"),
    ("o", "API v1 detail, kk", "/api/v1/news/{id}/?locale=kk"),
    ("p", "API v1 detail, kk-Latn", "/api/v1/news/{id}/?locale=kk-Latn"),
]
# Uncached (response cache off, one connection per worker, so p50 is a request's service
# time): every miss path (issue 33's targets), our list and detail beside Wagtail's API v2
# and v3, and the Latin edition's page and detail beside the Kazakh ones.
NO_CACHE_KEYS = "abcdgijklmnop"
# Issue 33: p50 of a miss, ms, one connection per worker.
MISS_TARGETS_MS = {"g": 15, "i": 15, "d": 8, "c": 8, "j": 5}
# Measured at both --scale sizes, cache off: the endpoints whose cost must not grow with
# the number of stories. (a) is the target; the others are reported beside it.
SCALE_KEYS = "acdgij"

WRK_SCRIPT = r"""
local etag = os.getenv("BENCH_IF_NONE_MATCH")
if etag and etag ~= "" then wrk.headers["If-None-Match"] = etag end
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write("BENCH_JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %f, '
    .. '"errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status))
end
"""

# Run inside a Django process: status, size and SQL queries of one request per scenario.
PROBE = r"""
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from news.models import NewsPage

kk = NewsPage.objects.filter(locale__language_code="kk")
translated = kk.filter(slug="zhanalyq-00001").first() or kk.order_by("pk").first()
fallback = kk.filter(slug="zhanalyq-00008").first() or kk.order_by("-pk").first()
from urllib.parse import quote
values = {"id": translated.pk, "fallback_slug": quote(fallback.slug), "q": quote(sys.argv[1])}
from news.kazakh_latin import edition
values["kk_path"] = translated.url
values["latin_path"] = edition.latin_path(translated.url)
out = {"values": values, "probes": {}}
client = Client(HTTP_HOST="127.0.0.1")
for key, path in json.loads(sys.argv[2]).items():
    url = path.format(**values)
    with override_settings(NEWSDESK_RESPONSE_CACHE=False):
        first = client.get(url)  # first use: renditions, lazy caches
        with CaptureQueriesContext(connection) as uncached:
            client.get(url)
        # Count now: the next request_started resets the connection's query log.
        queries_uncached = len(uncached.captured_queries)
    with override_settings(NEWSDESK_RESPONSE_CACHE=True):
        client.get(url)
        with CaptureQueriesContext(connection) as cached:
            second = client.get(url)
        queries_cached = len(cached.captured_queries)
    out["probes"][key] = {
        "url": url,
        "status": first.status_code,
        "bytes": len(first.content),
        "queries_cold": queries_uncached,
        "queries_warm": queries_cached,
        "x_cache_warm": second.get("X-Cache"),
    }
    if key == "a" and first.status_code == 200:
        out["list_body"] = first.content.decode()
print("PROBE_JSON " + json.dumps(out))
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_wrk():
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    log("wrk not found: installing Debian's package")
    apt = ["apt-get", "install", "-y", "-q", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        apt.insert(0, "sudo")
    subprocess.run(apt, check=True)
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk could not be installed")
    return wrk


class Site:
    """One dataset: its database, environment and (when running) its gunicorn."""

    def __init__(self, name, stories, args):
        self.name = name
        self.stories = stories
        self.args = args
        self.server = None
        self.base = None
        VAR.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            # Production settings plus Wagtail's API v3 at /api/v3/ (the peer compared).
            "DJANGO_SETTINGS_MODULE": "site_project.settings.bench",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / f"media-{name}"),
            # The shared on-disk cache of this dataset's workers (without Redis): its own
            # folder, emptied with the dataset, never the repository's var/cache.
            "NEWSDESK_CACHE_DIR": str(VAR / f"cache-{name}"),
            "NEWSDESK_API_RATE": "",
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self._database_url(),
        }

    def _database_url(self):
        base = os.environ.get("DATABASE_URL")
        if not base:
            path = VAR / f"{self.name}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        import psycopg

        parsed = urlparse(base)
        database = f"bench_newsdesk_{self.name}" if self.name != "main" else "bench_newsdesk"
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
        return parsed._replace(path=f"/{database}").geturl()

    @property
    def engine(self):
        return "postgresql" if self.env["DATABASE_URL"].startswith("postgres") else "sqlite"

    def manage(self, *command, capture=False, extra_env=None):
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            check=True,
            text=True,
            capture_output=capture,
        )

    def build(self, search_index=True):
        shutil.rmtree(self.env["MEDIA_ROOT"], ignore_errors=True)
        self.clear_shared_cache()
        log(f"{self.name}: migrate ({self.engine})")
        self.manage("migrate", "--noinput", "-v0")
        log(f"{self.name}: building {self.stories} stories")
        result = subprocess.run(
            [
                PYTHON,
                str(BENCH / "build_dataset.py"),
                "--stories",
                str(self.stories),
                *([] if search_index else ["--no-search-index"]),
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            stdout=subprocess.PIPE,
        )
        self.dataset = json.loads(result.stdout.strip().splitlines()[-1])
        log(f"{self.name}: built {self.dataset}")
        self.clear_shared_cache()

    def clear_shared_cache(self):
        """Empty the dataset's cache: entries of another database (Wagtail's site root
        paths, answers) must not survive. ``REDIS_URL`` must name a Redis database of the
        benchmark's own: it is flushed."""
        if not self.env.get("REDIS_URL"):
            shutil.rmtree(self.env["NEWSDESK_CACHE_DIR"], ignore_errors=True)
            return
        self.manage(
            "shell",
            "-c",
            "from django.core.cache import caches\nfor c in caches.all(): c.clear()",
        )

    def probe(self, scenarios, cache_on):
        code = PROBE
        paths = json.dumps({key: path for key, _label, path in scenarios})
        result = subprocess.run(
            [PYTHON, "-c", "import django; django.setup()\n" + code, SEARCH_QUERY, paths],
            cwd=ROOT,
            env={**self.env, "NEWSDESK_RESPONSE_CACHE": "true" if cache_on else "false"},
            check=True,
            text=True,
            capture_output=True,
        )
        line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE_JSON "))
        self.clear_shared_cache()
        return json.loads(line.removeprefix("PROBE_JSON "))

    def start(self, cache_on, workers, extra_env=None):
        env = {
            **self.env,
            "NEWSDESK_RESPONSE_CACHE": "true" if cache_on else "false",
            **(extra_env or {}),
        }
        self.server = Gunicorn(
            env, workers=workers, timeout=120, extra_args=["--log-level", "warning"]
        )
        self.base = self.server.start()

    def worker_peak_rss_mb(self):
        """Peak resident memory (VmHWM) of the gunicorn workers, in MiB."""
        peaks = []
        for child in Path("/proc").iterdir():
            if not child.name.isdigit():
                continue
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.server.process.pid):
                peaks.append(int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)
        return round(max(peaks), 1) if peaks else None

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None


def wrk(wrk_bin, url, args, duration, etag=None):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = {**os.environ, "BENCH_IF_NONE_MATCH": etag or ""}
    command = [
        wrk_bin,
        f"-t{min(args.threads, args.connections)}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        script.name,
        url,
    ]
    try:
        result = subprocess.run(
            command, env=env, text=True, capture_output=True, check=True, timeout=duration + 60
        )
    finally:
        os.unlink(script.name)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return {
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "requests": data["requests"],
        "errors": data["errors"],
        "non_2xx_3xx": data["non_2xx_3xx"],
    }


def fetch_etag(url):
    # Generous timeout: after a wrk run on a slow endpoint, gunicorn still works off the backlog.
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
            return response.headers.get("ETag")
    except (urllib.error.URLError, OSError):
        return None


def measure(site, wrk_bin, scenarios, values, args, cache_on):
    site.start(cache_on, args.workers)
    rows = {}
    try:
        for key, label, path in scenarios:
            url = site.base + path.format(**values)
            etag = None
            if key == "e":
                etag = fetch_etag(url)
                if not etag:
                    log("(e): no ETag on (a): skipped")
                    continue
            # Every worker's first requests load code and fill lazy caches: get them done.
            for _attempt in range(args.workers * 3):
                fetch_etag(url)
            wrk(wrk_bin, url, args, args.warmup, etag)
            rows[key] = {
                "label": label,
                "url": path.format(**values),
                **wrk(wrk_bin, url, args, args.duration, etag),
            }
            log(f"({key}) {label}: {rows[key]['rps']} req/s, p50 {rows[key]['p50_ms']} ms")
        memory = site.worker_peak_rss_mb()
    finally:
        site.stop()
    return rows, memory


def ratio(rows, top, bottom, field="rps"):
    if top in rows and bottom in rows and rows[bottom][field] and rows[top][field]:
        return round(rows[top][field] / rows[bottom][field], 2)
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Newsdesk benchmark")
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-cache", action="store_true", help="response cache off")
    parser.add_argument(
        "--scale",
        default="300,10000",
        help="two story counts for the flat-cost comparison of (a), cache off; '' skips",
    )
    parser.add_argument(
        "--scale-connections",
        type=int,
        default=2,
        help="connections for the scale comparison (default: one per default worker)",
    )
    parser.add_argument("--only", default="", help="scenario letters to run, e.g. 'abef'")
    parser.add_argument("--no-newsroom", action="store_true", help="skip the newsroom scenario")
    parser.add_argument(
        "--newsroom-duration", type=int, default=60, help="seconds per newsroom phase"
    )
    parser.add_argument("--newsroom-connections", type=int, default=16)
    parser.add_argument(
        "--newsroom-prewarm",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="read every newsroom URL once before the quiet phase",
    )
    parser.add_argument("--no-long-tail", action="store_true", help="skip the cold long tail")
    parser.add_argument(
        "--long-tail-duration", type=int, default=30, help="seconds of the cold long tail"
    )
    parser.add_argument("--long-tail-connections", type=int, default=16)
    parser.add_argument(
        "--steady-duration",
        type=int,
        default=120,
        help="seconds of the long tail after the cold pass (the steady state); 0 skips",
    )
    parser.add_argument(
        "--steady-compare-ttl",
        type=int,
        default=0,
        help="also run the long tail with entries living this many seconds (600: the old "
        "lifetime), for the hit ratios side by side; 0 skips",
    )
    parser.add_argument("--quick", action="store_true", help="a smaller, shorter run")
    parser.add_argument(
        "--results",
        default="latest.json",
        help="file name under bench/results/; '' writes nothing (and no docs row)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        quick = {
            "stories": 1000,
            "duration": 5,
            "warmup": 2,
            "newsroom_duration": 15,
            "newsroom_prewarm": False,
            "scale": "300,3000",
            "long_tail_duration": 15,
            "steady_duration": 30,
        }
        for name, value in quick.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)

    wrk_bin = ensure_wrk()
    cache_on = not args.no_cache
    scenarios = [s for s in SCENARIOS if not args.only or s[0] in args.only]
    started = time.monotonic()

    main_site = Site("main", args.stories, args)
    main_site.build()
    log("collectstatic")
    main_site.manage("collectstatic", "--noinput", "-v0")
    probe = main_site.probe([s for s in SCENARIOS if s[0] != "f"], cache_on)
    values = probe["values"]
    static_dir = Path(main_site.env["STATIC_ROOT"]) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "news-list.json").write_text(probe.get("list_body") or "{}")
    available = {k for k, p in probe["probes"].items() if p["status"] == 200}
    if "a" in available:
        # The static twin of (a): the same bytes, served by whitenoise from STATIC_ROOT.
        available.add("f")
        probe["probes"]["f"] = {
            "url": "/static/bench/news-list.json",
            "status": 200,
            "bytes": probe["probes"]["a"]["bytes"],
            "queries_cold": 0,
            "queries_warm": 0,
        }
    for key, p in probe["probes"].items():
        if p["status"] != 200:
            log(f"({key}) {p['url']} answers {p['status']}: skipped")
    if "a" not in available:
        available.discard("e")
    runnable = [s for s in scenarios if s[0] in available]

    rows, memory = measure(main_site, wrk_bin, runnable, values, args, cache_on)
    newsroom_result = None
    if not args.no_newsroom:
        main_site.start(cache_on, args.workers)
        try:
            newsroom_result = newsroom.run(main_site, wrk_bin, args)
        finally:
            main_site.stop()
    long_tail = None
    if not args.no_long_tail and "f" in available:
        runs = [newsroom.long_tail(main_site, wrk_bin, args, SCENARIOS[5][2])]
        if args.steady_compare_ttl:
            runs.append(
                newsroom.long_tail(
                    main_site, wrk_bin, args, SCENARIOS[5][2], args.steady_compare_ttl
                )
            )
        long_tail = runs
    for key, row in rows.items():
        p = probe["probes"][key]
        row["sql_queries"] = p["queries_warm"] if cache_on else p["queries_cold"]
        row["sql_queries_uncached"] = p["queries_cold"]
        row["bytes"] = p["bytes"]

    scale_args = argparse.Namespace(**{**vars(args), "connections": args.scale_connections})
    no_cache_rows = rows
    if cache_on:
        pair = [s for s in runnable if s[0] in NO_CACHE_KEYS]
        # Uncached lists take long enough that 32 queued connections time out: measure
        # the pair like the scale comparison, one connection per worker.
        no_cache_rows, _memory = measure(main_site, wrk_bin, pair, values, scale_args, False)
        for key, row in no_cache_rows.items():
            row["sql_queries"] = probe["probes"][key]["queries_cold"]
    # Wagtail's API v2 as shipped caches nothing: the baseline (b) is measured with the
    # response cache off (with it on, our middleware would cache /api/v2/ as well).
    baseline = no_cache_rows.get("b")

    scale = {}
    counts = [int(x) for x in args.scale.split(",") if x.strip()] if args.scale else []
    for count in counts:
        if "a" not in available:
            break
        site = Site(f"s{count}", count, args)
        site.build(search_index=False)
        site_values = site.probe([], cache_on=False)["values"]  # this dataset's ids and slugs
        # One connection per worker: p50 is then the cost of a request, not the queue.
        scale[count], _memory = measure(
            site,
            wrk_bin,
            [s for s in SCENARIOS if s[0] in SCALE_KEYS and s[0] in available],
            site_values,
            scale_args,
            False,
        )

    ratios = {
        "a/b": round(rows["a"]["rps"] / baseline["rps"], 2)
        if "a" in rows and baseline and baseline["rps"] and rows["a"]["rps"]
        else None,
        "a/b_both_cached": ratio(rows, "a", "b") if cache_on else None,
        "a/b_no_cache": ratio(no_cache_rows, "a", "b"),
        "e/f": ratio(rows, "e", "f"),
        "a/f": ratio(rows, "a", "f"),
        "a/k_no_cache": ratio(no_cache_rows, "a", "k"),
        "d/l_no_cache": ratio(no_cache_rows, "d", "l"),
    }
    if len(counts) == 2 and all(c in scale for c in counts):
        small, large = sorted(counts)
        for key in SCALE_KEYS:
            rows_small, rows_large = scale[small].get(key), scale[large].get(key)
            if not (rows_small and rows_large):
                continue
            # No completed request (all timed out) gives no p50: no ratio, target missed.
            ratios[f"p50 {key}@{large}/{key}@{small} no-cache"] = (
                round(rows_large["p50_ms"] / rows_small["p50_ms"], 2)
                if rows_large["requests"] and rows_small["requests"]
                else None
            )
    targets = {
        "a/b >= 3 (cached)": ratios["a/b"] is not None and cache_on and ratios["a/b"] >= 3,
        "a/b >= 1.5 (no cache)": ratios["a/b_no_cache"] is not None
        and ratios["a/b_no_cache"] >= 1.5,
        "e/f >= 0.7": ratios["e/f"] is not None and ratios["e/f"] >= 0.7,
        "a/f >= 0.5": ratios["a/f"] is not None and ratios["a/f"] >= 0.5,
        "a/k >= 2.5 (no cache, Wagtail API v3)": ratios["a/k_no_cache"] is not None
        and ratios["a/k_no_cache"] >= 2.5,
    }
    if newsroom_result:
        phases = newsroom_result["phases"]
        ratios["newsroom corrections/quiet"] = newsroom_result["corrections_vs_quiet"]
        targets["newsroom corrections >= 0.9 x quiet"] = (
            newsroom_result["corrections_vs_quiet"] or 0
        ) >= 0.9
        targets["newsroom 0 stale reads"] = all(
            (phase["writes"] or {}).get("stale_reads", 0) == 0 for phase in phases.values()
        )
        if os.environ.get("REDIS_URL"):
            targets["newsroom quiet >= 4 x 540 req/s (Redis)"] = (
                phases["quiet"]["load"]["rps"] >= 4 * 540
            )
    if long_tail:
        ratios["cold long tail/static"] = long_tail[0]["cold_vs_static"]
        targets["cold long tail >= 0.2 x static"] = (long_tail[0]["cold_vs_static"] or 0) >= 0.2
    if not cache_on or no_cache_rows is not rows:
        for key, limit in MISS_TARGETS_MS.items():
            if key in no_cache_rows:
                targets[f"miss {key} p50 <= {limit} ms"] = no_cache_rows[key]["p50_ms"] <= limit
    if f"p50 c@{max(counts, default=0)}/c@{min(counts, default=0)} no-cache" in ratios:
        value = ratios[f"p50 c@{max(counts)}/c@{min(counts)} no-cache"]
        targets["p50 c@large <= 1.2 x c@small (no cache)"] = value is not None and value <= 1.2
    scale_key = next((k for k in ratios if k.startswith("p50 a@")), None)
    if scale_key:
        targets["p50 a@large <= 1.2 x a@small (no cache)"] = (
            ratios[scale_key] is not None and ratios[scale_key] <= 1.2
        )

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": main_site.engine,
        "cache": "redis" if os.environ.get("REDIS_URL") else "diskcache",
        "response_cache": cache_on,
        "stories": args.stories,
        "dataset": main_site.dataset,
        "workers": args.workers,
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": args.duration,
        "scale_connections": args.scale_connections,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "peak_worker_rss_mb": memory,
        "scenarios": rows,
        "newsroom": newsroom_result,
        "long_tail": long_tail,
        "no_cache": no_cache_rows if cache_on else None,
        "scale": {str(count): rows for count, rows in scale.items()},
        "ratios": ratios,
        "targets": targets,
        "skipped": sorted({s[0] for s in scenarios} - set(rows)),
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    print_table(result)
    if not args.results:
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / args.results).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    append_docs(result)


def print_table(result):
    print()
    print(
        f"Newsdesk benchmark — {result['database']}, cache {result['cache']}, response cache "
        f"{'on' if result['response_cache'] else 'off'}, {result['stories']} stories, "
        f"{result['workers']} workers, {result['connections']} connections, "
        f"{result['duration_s']} s per scenario"
    )
    header = (
        f"{'':3}{'scenario':38}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}"
        f"{'non-2xx':>9}{'errors':>8}"
    )
    print(header)
    print("-" * len(header))
    for key, row in result["scenarios"].items():
        label = row["label"]
        if key == "b" and result["response_cache"]:
            label += " [our cache]"
        print(
            f"{key:3}{label[:37]:38}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}"
            f"{row['p99_ms']:>9.2f}{row.get('sql_queries', ''):>6}{row['non_2xx_3xx']:>9}"
            f"{row['errors']:>8}"
        )
    if result.get("no_cache"):
        for key, row in result["no_cache"].items():
            print(
                f"{key:3}{(row['label'] + ' [no cache]')[:37]:38}{row['rps']:>10.0f}"
                f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row.get('sql_queries', ''):>6}"
                f"{row['non_2xx_3xx']:>9}{row['errors']:>8}"
            )
    conns = result["scale_connections"]
    for count, rows in result["scale"].items():
        for key, row in rows.items():
            label = f"{row['label']}, {count} stories [no cache, {conns} conn]"
            print(
                f"{key:3}{label[:37]:38}{row['rps']:>10.0f}"
                f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{'':>6}{row['non_2xx_3xx']:>9}"
                f"{row['errors']:>8}"
            )
    if result.get("newsroom"):
        print_newsroom(result["newsroom"])
    for run in result.get("long_tail") or []:
        print_long_tail(run)
    print(f"peak worker RSS: {result['peak_worker_rss_mb']} MiB")
    print("ratios: " + ", ".join(f"{k} = {v}" for k, v in result["ratios"].items()))
    print(
        "targets: "
        + ", ".join(f"{k}: {'ok' if v else 'MISSED'}" for k, v in result["targets"].items())
    )
    if result["skipped"]:
        print(f"skipped (endpoint missing): {', '.join(result['skipped'])}")


def print_long_tail(data):
    ttl = "until purged" if not data["ttl"] else f"{data['ttl']} s"
    print(
        f"cold long tail: Zipf(1.0) over {data['urls']} article URLs, empty cache, no pre-warm, "
        f"{data['connections']} connections, entries live {ttl}"
    )
    header = f"{'':14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'hit ratio':>11}{'5xx':>6}"
    print(header)
    print("-" * len(header))
    for name in ("cold", "static", "steady"):
        load = data.get(name)
        if load:
            print(
                f"{name:14}{load['rps']:>9.0f}{load['p50_ms']:>9.2f}{load['p99_ms']:>9.2f}"
                f"{load['cache_hit_ratio'] or 0:>11.3f}{load['s5xx']:>6}"
            )
    print(f"cold / static (same run): {data['cold_vs_static']}")


def print_newsroom(data):
    print(
        f"newsroom: Zipf(1.0) over {data['urls']} URLs ({data['stories']} stories), one publisher"
    )
    header = (
        f"{'phase':14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'hit ratio':>11}{'publishes':>11}"
        f"{'stale':>7}{'listing lag ms':>16}{'5xx':>6}{'errors':>8}"
    )
    print(header)
    print("-" * len(header))
    for phase, result in data["phases"].items():
        load, writes = result["load"], result["writes"] or {}
        print(
            f"{phase:14}{load['rps']:>9.0f}{load['p50_ms']:>9.2f}{load['p99_ms']:>9.2f}"
            f"{load['cache_hit_ratio'] or 0:>11.3f}{writes.get('publishes', 0):>11}"
            f"{writes.get('stale_reads', 0):>7}{writes.get('listing_lag_ms_max', 0):>16.0f}"
            f"{load['s5xx']:>6}{load['errors']:>8}"
        )
        for problem in writes.get("problems", [])[:5]:
            print(f"    ! {problem}")


RUN_LOG_HEADER = (
    "| date | db | cache | resp. cache | stories | workers×conn | a | b | c | d | e | f | g | h "
    "| i | j | SQL a (uncached) | RSS MiB | a/b | a/b no-cache | e/f | a/f "
    "| p50 10k/300, no cache: a (c d g i j) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    "---|\n"
)


def append_docs(result):
    """Append one row to the run log at the end of docs/benchmarks.md."""
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    if not DOCS.exists():
        DOCS.write_text(
            "# Benchmarks\n\n## Run log\n\n"
            "One row per `make bench` run (bench/run.py): req/s (p50 ms) per scenario.\n\n"
            + RUN_LOG_HEADER
        )
    rows = result["scenarios"]

    def cell(key):
        row = rows.get(key)
        return f"{row['rps']:.0f} ({row['p50_ms']:.1f})" if row else "—"

    ratios = result["ratios"]
    scale = {k.split("@")[0].removeprefix("p50 "): v for k, v in ratios.items() if "@" in k}
    others = " ".join(str(scale.get(key, "—")) for key in SCALE_KEYS[1:])
    scale_cell = f"{scale.get('a', '—')} ({others})" if scale else "—"
    sql_a = (
        f"{rows['a']['sql_queries']} ({rows['a']['sql_queries_uncached']})" if "a" in rows else "—"
    )
    line = (
        f"| {result['date'][:16].replace('T', ' ')} | {result['database']} | {result['cache']} "
        f"| {'on' if result['response_cache'] else 'off'} | {result['stories']} "
        f"| {result['workers']}×{result['connections']} | "
        + " | ".join(cell(k) for k in "abcdefghij")
        + f" | {sql_a} | {result['peak_worker_rss_mb']} | {ratios['a/b']} "
        f"| {ratios['a/b_no_cache']} | {ratios['e/f']} | {ratios['a/f']} | {scale_cell} |\n"
    )
    with DOCS.open("a") as handle:
        handle.write(line)


if __name__ == "__main__":
    main()
