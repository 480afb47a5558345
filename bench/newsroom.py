"""The newsroom scenario of ``make bench``: a long tail of readers while the desk publishes.

Readers (wrk, 16 connections by default) pick URLs with Zipf(1.0) popularity over every
URL a reader or a headless frontend asks for: each story's Kazakh and Russian pages (the
Russian page is the fallback URL when the story is not translated), its API detail and
its API "other news", plus the home pages, the HTML news listings and the API lists of
both languages, which rank first. Stories rank newest first. wrk draws the URLs itself
(a Lua script with the cumulative weights and a binary search), so the load generator
costs what wrk costs: one draw per request, measured in the ``--zipf-check`` run.

Three phases on the same server, one after the other:

* ``quiet``: reads only;
* ``corrections``: a correction every 10 s (the lead of a story drawn with the same
  Zipf popularity is corrected and published through Wagtail's revision API);
* ``breaking``: a new story every 30 s and, 15 s later, a Russian translation of a
  Kazakh-only story among the newest published through wagtail-localize.

After each publish returns, the publisher reads at once, once, every URL of the
changed story and the listings it belongs on (its first page): a read that does not
show the change is a *stale read*. Listings that lag are then polled until they show
it, and the lag is reported (the bound docs/benchmarks.md defends). The cache hit ratio
is the share of answers that carried ``X-Cache: hit``.

Run by bench/run.py (``--newsroom``); ``python bench/newsroom.py --publisher …`` is the
publisher process it starts.
"""

import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

PHASES = ("quiet", "corrections", "breaking")
CORRECTION_EVERY = 10.0
NEW_STORY_EVERY = 30.0
TRANSLATION_OFFSET = 15.0  # translations at 15 s, 45 s, …: between the new stories
LISTING_LAG_LIMIT = 30.0

WRK_ZIPF = r"""
local paths, cumulative = {}, {}
local exponent = tonumber(os.getenv("ZIPF_S") or "1.0")
local total = 0
for line in io.lines(os.getenv("ZIPF_PATHS")) do
  local rank = #paths + 1
  paths[rank] = line
  total = total + 1 / (rank ^ exponent)
  cumulative[rank] = total
end
local function draw()
  local target = math.random() * total
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < target then low = middle + 1 else high = middle end
  end
  return paths[low]
end
request = function()
  -- The header the pre-warm and the freshness checks send (http_get): the same variants.
  return wrk.format("GET", draw(), {["Accept-Language"] = "kk"})
end
counts = {}
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + #threads)
  counts = {s2 = 0, s3 = 0, s4 = 0, s5 = 0, hit = 0, miss = 0}
end
response = function(status, headers, body)
  local class = "s" .. tostring(status):sub(1, 1)
  counts[class] = (counts[class] or 0) + 1
  local cache = headers["X-Cache"] or headers["x-cache"]
  if cache == "hit" then counts.hit = counts.hit + 1
  elseif cache == "miss" then counts.miss = counts.miss + 1 end
end
done = function(summary, latency, requests)
  local totals = {s2 = 0, s3 = 0, s4 = 0, s5 = 0, hit = 0, miss = 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for key, _ in pairs(totals) do totals[key] = totals[key] + (c[key] or 0) end
  end
  io.write(string.format(
    'ZIPF_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"errors": %d, "s2xx": %d, "s3xx": %d, "s4xx": %d, "s5xx": %d, "hit": %d, "miss": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    totals.s2, totals.s3, totals.s4, totals.s5, totals.hit, totals.miss))
end
"""

# Run inside the site's Django: the stories newest first, with their URLs.
STORIES = r"""
import json
from django.utils.encoding import iri_to_uri as quote
from news import i18n
from news.models import NewsPage
from news.queries import LISTING_ORDER

rows = []
kk = NewsPage.objects.live().filter(locale__language_code="kk").order_by(*LISTING_ORDER)
ru = {
    p.translation_key: p
    for p in NewsPage.objects.live().filter(locale__language_code="ru").defer_streamfields()
}
for page in kk.defer_streamfields():
    kk_url = page.get_url(None)
    translation = ru.get(page.translation_key)
    ru_url = translation.get_url(None) if translation else i18n.swap_language_prefix(kk_url, "ru")
    rows.append({"id": page.pk, "kk": quote(kk_url), "ru": quote(ru_url)})
print("STORIES_JSON " + json.dumps(rows))
"""

LISTINGS = [
    "/kk/",
    "/ru/",
    "/api/v1/news/?locale=kk",
    "/api/v1/news/?locale=ru",
]


def log(message):
    print(f"[newsroom] {message}", file=sys.stderr, flush=True)


def http_get(url, timeout=30):
    """(status, body bytes, headers); never raises for HTTP or socket errors."""
    request = urllib.request.Request(url, headers={"Accept-Language": "kk"})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers
    except (OSError, urllib.error.URLError) as error:
        return None, str(error).encode(), {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def stories(site):
    result = site.manage("shell", "-c", STORIES, capture=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("STORIES_JSON "))
    return json.loads(line.removeprefix("STORIES_JSON "))


def index_paths(site):
    """The HTML news listings of kk and ru (their slugs come from the dataset)."""
    code = (
        "from django.utils.encoding import iri_to_uri\n"
        "from news.queries import news_index_url\n"
        "print('INDEX_JSON ' + __import__('json').dumps("
        "{c: iri_to_uri(news_index_url(c)) for c in ('kk', 'ru')}))"
    )
    result = site.manage("shell", "-c", code, capture=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("INDEX_JSON "))
    return dict(json.loads(line.removeprefix("INDEX_JSON ")))


def read_paths(rows, indexes):
    """Every URL readers ask for, most popular first (listings, then stories newest first)."""
    paths = [*LISTINGS[:2], indexes["kk"], indexes["ru"], *LISTINGS[2:]]
    for row in rows:
        paths += [
            row["kk"],
            row["ru"],
            f"/api/v1/news/{row['id']}/?locale=ru",
            f"/api/v1/news/{row['id']}/other/?locale=ru",
        ]
    return paths


def run_wrk(wrk_bin, base, paths, duration, connections, threads=2):
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "zipf.lua"
        script.write_text(WRK_ZIPF)
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        result = subprocess.run(
            [
                wrk_bin,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                base,
            ],
            env={**os.environ, "ZIPF_PATHS": str(path_file)},
            text=True,
            capture_output=True,
            timeout=duration + 120,
            check=False,
        )
    line = next((x for x in result.stdout.splitlines() if x.startswith("ZIPF_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("ZIPF_JSON "))
    seconds = data["duration_us"] / 1e6
    answered = data["hit"] + data["miss"]
    return {
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "requests": data["requests"],
        "errors": data["errors"],
        "s2xx": data["s2xx"],
        "s3xx": data["s3xx"],
        "s4xx": data["s4xx"],
        "s5xx": data["s5xx"],
        "cache_hit_ratio": round(data["hit"] / answered, 3) if answered else None,
    }


def zipf_draw(count, rng, exponent=1.0):
    """One rank in 0..count-1 with Zipf popularity (the same law the readers follow)."""
    weights = getattr(zipf_draw, "_weights", {}).get(count)
    if weights is None:
        weights = [1 / (rank**exponent) for rank in range(1, count + 1)]
        zipf_draw._weights = {count: weights}
    return rng.choices(range(count), weights=weights)[0]


def run_phase(site, wrk_bin, paths, phase, args):
    """One phase: wrk for ``args.newsroom_duration`` seconds, with its publisher."""
    publisher = out = None
    if phase != "quiet":
        out = Path(tempfile.mkstemp(prefix=f"newsroom-{phase}-", suffix=".json")[1])
        publisher = subprocess.Popen(
            [
                PYTHON,
                str(Path(__file__).resolve()),
                "--publisher",
                site.base,
                phase,
                str(args.newsroom_duration),
                str(out),
            ],
            cwd=ROOT,
            env={**site.env, "PYTHONPATH": str(ROOT)},
        )
    load = run_wrk(wrk_bin, site.base, paths, args.newsroom_duration, args.newsroom_connections)
    writes = None
    if publisher is not None:
        publisher.wait(timeout=180)
        writes = json.loads(out.read_text())
        out.unlink(missing_ok=True)
    return {"load": load, "writes": writes}


def run(site, wrk_bin, args):
    """The three phases against a running server; returns the results by phase."""
    rows = stories(site)
    indexes = index_paths(site)
    paths = read_paths(rows, indexes)
    log(f"{len(paths)} URLs ({len(rows)} stories); warm-up")
    # Every worker's first requests load code and make renditions: not the load.
    for path in paths[:40]:
        http_get(site.base + path, timeout=180)
    if args.newsroom_prewarm:
        # Every URL read once, so that "quiet" measures a warm cache (a site that has been
        # up for a while), not the first pass over a long tail.
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.newsroom_connections) as pool:
            list(pool.map(lambda path: http_get(site.base + path, timeout=180), paths))
        log(f"pre-warmed {len(paths)} URLs in {time.monotonic() - started:.0f} s")
    run_wrk(wrk_bin, site.base, paths, min(10, args.newsroom_duration), args.newsroom_connections)
    results = {"urls": len(paths), "stories": len(rows), "phases": {}}
    for phase in PHASES:
        results["phases"][phase] = run_phase(site, wrk_bin, paths, phase, args)
        load = results["phases"][phase]["load"]
        writes = results["phases"][phase]["writes"] or {}
        log(
            f"{phase}: {load['rps']} req/s, p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms, "
            f"hit ratio {load['cache_hit_ratio']}, stale {writes.get('stale_reads', 0)}"
        )
    quiet = results["phases"]["quiet"]["load"]["rps"]
    corrections = results["phases"]["corrections"]["load"]["rps"]
    results["corrections_vs_quiet"] = round(corrections / quiet, 2) if quiet else None
    return results


def article_paths(rows):
    """Every article URL: each story's Kazakh and Russian page (the fallback URL when it is
    not translated), newest first."""
    return [path for row in rows for path in (row["kk"], row["ru"])]


def long_tail(site, wrk_bin, args, static_path, ttl=None):
    """The cold long tail (issue 33): the static file, then Zipf over every article URL on a
    server whose cache is empty (no pre-warm), with the same connections, then
    (``--steady-duration``) the same Zipf for longer: the hit ratio in steady state.

    ``ttl``: ``NEWSDESK_RESPONSE_CACHE_TTL`` of this run (None: the settings' default, 0,
    entries live until purged). Starts and stops its own server.
    """
    rows = stories(site)
    paths = article_paths(rows)
    site.clear_shared_cache()
    site.start(
        True,
        args.workers,
        extra_env=None if ttl is None else {"NEWSDESK_RESPONSE_CACHE_TTL": str(ttl)},
    )
    connections = args.long_tail_connections
    try:
        # Load each worker's code on a page outside the tail; no article is read first.
        for _attempt in range(args.workers * 3):
            http_get(site.base + "/healthz", timeout=180)
        # The static file first: after the cold pass, gunicorn still works off its backlog.
        static = run_wrk(wrk_bin, site.base, [static_path], args.long_tail_duration, connections)
        cold = run_wrk(wrk_bin, site.base, paths, args.long_tail_duration, connections)
        steady = None
        if args.steady_duration:
            steady = run_wrk(wrk_bin, site.base, paths, args.steady_duration, connections)
    finally:
        site.stop()
    result = {
        "urls": len(paths),
        "connections": connections,
        "ttl": ttl,
        "cold": cold,
        "static": static,
        "cold_vs_static": round(cold["rps"] / static["rps"], 3) if static["rps"] else None,
        "steady": steady,
    }
    log(
        f"long tail (ttl {ttl}): cold {cold['rps']} req/s (hit ratio {cold['cache_hit_ratio']}), "
        f"static {static['rps']} req/s, ratio {result['cold_vs_static']}"
        + (
            f"; steady {steady['rps']} req/s (hit ratio {steady['cache_hit_ratio']})"
            if steady
            else ""
        )
    )
    return result


# --- the publisher ----------------------------------------------------------------------


def publisher_main(base, phase, duration, out_path):
    """Publish on the phase's schedule; after each publish, read the change back at once."""
    import django

    django.setup()
    import datetime

    from django.utils import timezone
    from django.utils.encoding import iri_to_uri

    from news import i18n
    from news.models import NewsIndex, NewsPage
    from news.queries import LISTING_ORDER, news_index_url
    from tests.factories import translate

    html_listings = [iri_to_uri(news_index_url("kk")), iri_to_uri(news_index_url("ru"))]

    rng = random.Random(1)  # noqa: S311 - a benchmark's dice
    index = NewsIndex.objects.get(locale__language_code="kk")
    kk_stories = list(
        NewsPage.objects.live()
        .filter(locale__language_code="kk")
        .order_by(*LISTING_ORDER)
        .values_list("pk", flat=True)
    )
    stats = {
        "publishes": 0,
        "reads_checked": 0,
        "stale_reads": 0,
        "listing_reads_checked": 0,
        "listing_lag_reads": 0,
        "listing_lag_ms_max": 0.0,
        "publish_ms": [],
        "problems": [],
    }

    def shows(path, text):
        status, body, _headers = http_get(base + path)
        return status == 200 and text.encode() in body, status

    def check_story(paths, text, what):
        """The changed story's own URLs: every first read must show the change."""
        for path in paths:
            stats["reads_checked"] += 1
            ok, status = shows(path, text)
            if not ok:
                stats["stale_reads"] += 1
                stats["problems"].append(f"stale after {what}: {path} ({status})")

    def check_listings(paths, text, what):
        """Listings: first reads count; then poll until each shows the change (the lag)."""
        started = time.monotonic()
        pending = list(paths)
        first = True
        late = False
        while pending:
            still = []
            for path in pending:
                if first:
                    stats["listing_reads_checked"] += 1
                ok, _status = shows(path, text)
                if not ok:
                    if first:
                        stats["listing_lag_reads"] += 1
                        late = True
                    still.append(path)
            pending, first = still, False
            lag = (time.monotonic() - started) * 1000
            if pending and lag > LISTING_LAG_LIMIT * 1000:
                stats["problems"].append(f"listing never showed {what}: {pending}")
                break
            if pending:
                time.sleep(0.1)
        if late:  # listings that did not show the change at once: how long until they did
            stats["listing_lag_ms_max"] = max(
                stats["listing_lag_ms_max"], round((time.monotonic() - started) * 1000, 1)
            )

    def url_of(page, language):
        return iri_to_uri(i18n.swap_language_prefix(page.get_url(None), language))

    def publish(page):
        started = time.monotonic()
        page.save_revision().publish()
        stats["publish_ms"].append(round((time.monotonic() - started) * 1000, 1))
        stats["publishes"] += 1

    def correction(step):
        page = NewsPage.objects.get(pk=kk_stories[zipf_draw(len(kk_stories), rng)])
        marker = f"fix-{step}-{rng.randrange(10**6)}"
        page.lead = f"{page.lead.split(' [')[0]} [{marker}]"
        publish(page)
        paths = [url_of(page, "kk"), f"/api/v1/news/{page.pk}/?locale=kk"]
        if not NewsPage.objects.filter(
            translation_key=page.translation_key, locale__language_code="ru", live=True
        ).exists():
            paths += [url_of(page, "ru"), f"/api/v1/news/{page.pk}/?locale=ru"]
        check_story(paths, marker, f"correction of {page.pk}")
        if page.pk in kk_stories[:10]:  # on the first page of the Kazakh listings
            check_listings(["/api/v1/news/?locale=kk"], marker, f"correction of {page.pk}")

    def new_story(step):
        marker = f"breaking-{step}-{rng.randrange(10**6)}"
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # always the newest
        page = NewsPage(title=f"{marker} жаңалық", lead=f"{marker}: лид", date=tomorrow)
        page.live = False
        index.add_child(instance=page)
        publish(page)
        page.refresh_from_db()
        kk_stories.insert(0, page.pk)
        check_story(
            [url_of(page, "kk"), url_of(page, "ru"), f"/api/v1/news/{page.pk}/?locale=ru"],
            marker,
            f"new story {page.pk}",
        )
        check_listings(
            ["/kk/", "/ru/", *html_listings, "/api/v1/news/?locale=kk", "/api/v1/news/?locale=ru"],
            marker,
            f"new story {page.pk}",
        )

    def translation(step):
        for pk in kk_stories[:50]:
            source = NewsPage.objects.get(pk=pk)
            if not NewsPage.objects.filter(
                translation_key=source.translation_key, locale__language_code="ru"
            ).exists():
                break
        else:
            stats["problems"].append("no untranslated story among the newest 50")
            return
        marker = f"translated-{step}-{rng.randrange(10**6)}"
        started = time.monotonic()
        ru = translate(source, "ru", strings={source.title: f"{marker} {source.title}"})
        stats["publish_ms"].append(round((time.monotonic() - started) * 1000, 1))
        stats["publishes"] += 1
        check_story(
            [iri_to_uri(ru.get_url(None)), f"/api/v1/news/{source.pk}/?locale=ru"],
            marker,
            f"translation of {source.pk}",
        )
        if pk in kk_stories[:10]:
            check_listings(
                ["/ru/", html_listings[1], "/api/v1/news/?locale=ru"],
                marker,
                f"translation of {pk}",
            )

    if phase == "corrections":
        schedule = [(at, correction) for at in _ticks(duration, CORRECTION_EVERY, 5.0)]
    else:
        schedule = sorted(
            [(at, new_story) for at in _ticks(duration, NEW_STORY_EVERY, 5.0)]
            + [
                (at, translation)
                for at in _ticks(duration, NEW_STORY_EVERY, 5.0 + TRANSLATION_OFFSET)
            ],
            key=lambda item: item[0],
        )
    started = time.monotonic()
    for step, (at, action) in enumerate(schedule):
        time.sleep(max(0.0, at - (time.monotonic() - started)))
        try:
            action(step)
        except Exception as error:  # noqa: BLE001 - report, keep the schedule
            stats["problems"].append(f"{action.__name__} failed: {error!r}")
    publish_ms = sorted(stats.pop("publish_ms"))
    stats["publish_ms_p50"] = publish_ms[len(publish_ms) // 2] if publish_ms else None
    stats["problems"] = stats["problems"][:20]
    Path(out_path).write_text(json.dumps(stats, ensure_ascii=False))


def _ticks(duration, every, first):
    at, ticks = first, []
    while at < duration - 2:
        ticks.append(at)
        at += every
    return ticks


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--publisher":
        sys.path.insert(0, str(ROOT))
        publisher_main(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5])
