"""The miss paths in process: service time per request and the top of a profile.

    python bench/profile.py [--stories 3000] [--reuse] [--requests 40] [--warm 0]
                            [--profile g,i] [--top 15] [--sort tottime]

Builds a dataset as ``make bench`` does (bench/run.py's ``Site``: SQLite under
var/bench/, or a fresh PostgreSQL ``bench_newsdesk_prof`` when ``DATABASE_URL`` is set),
then, in one Django process with the bench settings and the response cache off, asks
each miss path (HTML article with fallback, HTML listing, API detail, API "other news",
resolve) ``--requests`` times, each story a different one (a long tail: no story twice,
so no per-story memo helps), and prints p50/mean in milliseconds, the p50 of the
process's CPU time (the service time on a machine shared with other work: SQLite runs in
the process; PostgreSQL's own time is not in it) and the SQL count.
``--profile`` names the scenarios to profile with cProfile (top ``--top`` entries).
``--reuse`` keeps the dataset of the previous run (same ``--stories``).

Hand-written: pyinstrument is not installed here; cProfile is in the standard library.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIOS = {
    "g": "/ru/novosti/{slug}/",
    "i": "/ru/novosti/?page={page}",
    "d": "/api/v1/news/{id}/?locale=ru",
    "c": "/api/v1/news/{id}/other/?locale=ru",
    "j": "/api/v1/resolve/?path=/ru/novosti/{slug}/",
}
LABELS = {
    "g": "HTML article (ru, kk fallback)",
    "i": "HTML listing (ru)",
    "d": "API detail",
    "c": "API other news",
    "j": "resolve (fallback)",
}

INNER = r"""
import cProfile, io, json, pstats, statistics, sys, time
from urllib.parse import quote
import django
django.setup()
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from news.models import NewsPage

args = json.loads(sys.argv[1])
kk = list(
    NewsPage.objects.filter(locale__language_code="kk").order_by("-pk")
    .values_list("pk", "slug", "translation_key")[: (args["requests"] + args["warm"]) * 3 + 10]
)
ru_keys = set(
    NewsPage.objects.filter(locale__language_code="ru").values_list("translation_key", flat=True)
)
fallback = [row for row in kk if row[2] not in ru_keys]
client = Client(HTTP_HOST="127.0.0.1")
if args["cache_on"]:  # nothing kept from an earlier run: each measured URL is a miss
    from django.core.cache import caches
    for cache in caches.all():
        cache.clear()
# First use: code, renditions, lazy caches (not measured).
for row in fallback[:2]:
    for path in args["scenarios"].values():
        client.get(path.format(slug=quote(row[1]), id=row[0], page=1))
# --warm: other stories first, as a worker that has served for a while (the SQL kept per
# query shape, news.prepared), none of them measured.
for n, row in enumerate(fallback[2 + args["requests"] : 2 + args["requests"] + args["warm"]]):
    for path in args["scenarios"].values():
        client.get(path.format(slug=quote(row[1]), id=row[0], page=6 + n))
out = {}
for key, path in args["scenarios"].items():
    times, cpus, queries, statuses = [], [], [], set()
    profiler = cProfile.Profile() if key in args["profile"] else None
    for n, row in enumerate(fallback[2 : 2 + args["requests"]]):
        url = path.format(slug=quote(row[1]), id=row[0], page=1 + n % 5)
        with CaptureQueriesContext(connection) as captured:
            if profiler:
                profiler.enable()
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            if profiler:
                profiler.disable()
        queries.append(len(captured.captured_queries))
        statuses.add(response.status_code)
    top = None
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats(args["sort"]).print_stats(args["top"])
        if args.get("callers"):
            stats.print_callers(args["callers"])
        top = stream.getvalue()
    out[key] = {
        "p50_ms": round(statistics.median(times), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "min_ms": round(min(times), 2),
        "cpu_p50_ms": round(statistics.median(cpus), 2),
        "sql": max(queries),
        "statuses": sorted(statuses),
        "profile": top,
    }
print("PROFILE_JSON " + json.dumps(out))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--warm", type=int, default=0, help="stories asked first, unmeasured (steady state)"
    )
    parser.add_argument("--only", default="gidcj")
    parser.add_argument("--profile", default="", help="scenario letters to profile")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--cache-on", action="store_true", help="response cache on (each URL once)")
    parser.add_argument("--callers", default="", help="callers of the functions matching this")
    args = parser.parse_args(argv)

    from bench.run import Site

    site = Site.__new__(Site)
    site.name, site.stories, site.args, site.server, site.base = (
        "prof",
        args.stories,
        args,
        None,
        None,
    )
    engine = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    stamp = ROOT / "var" / "bench" / f"prof-{engine}-{args.stories}.json"
    if args.reuse and stamp.exists():
        site.env = json.loads(stamp.read_text())
    else:
        Site.__init__(site, "prof", args.stories, args)
        site.build(search_index=False)
        site.manage("collectstatic", "--noinput", "-v0")
        stamp.write_text(json.dumps(site.env))
    # A miss with the response cache off (the bench's uncached scenarios), or, with
    # --cache-on, a miss of the response cache as a reader meets it: every story asked
    # once, the shared fragments and memos warm from the stories asked before.
    env = {**site.env, "NEWSDESK_RESPONSE_CACHE": "true" if args.cache_on else "false"}
    payload = {
        "requests": args.requests,
        "warm": args.warm,
        "scenarios": {k: v for k, v in SCENARIOS.items() if k in args.only},
        "profile": args.profile,
        "top": args.top,
        "sort": args.sort,
        "callers": args.callers,
        "cache_on": args.cache_on,
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", INNER, json.dumps(payload)],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
    )
    if result.returncode:
        sys.exit(result.stderr[-3000:])
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROFILE_JSON "))
    data = json.loads(line.removeprefix("PROFILE_JSON "))
    cache = "on, each URL once" if args.cache_on else "off"
    print(f"{engine}, {args.stories} stories, response cache {cache}, {args.requests} stories each")
    print(f"{'':3}{'miss path':34}{'p50 ms':>9}{'mean ms':>9}{'min ms':>9}{'CPU p50':>9}{'SQL':>5}")
    for key, row in data.items():
        print(
            f"{key:3}{LABELS[key]:34}{row['p50_ms']:>9.2f}{row['mean_ms']:>9.2f}"
            f"{row['min_ms']:>9.2f}{row['cpu_p50_ms']:>9.2f}{row['sql']:>5}  {row['statuses']}"
        )
    for key, row in data.items():
        if row["profile"]:
            print(f"\n--- profile of ({key}) {LABELS[key]} ---")
            print(row["profile"])
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
