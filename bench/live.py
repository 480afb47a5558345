"""Live blog pollers (news.live): ``python bench/live.py [--pollers 500] [--duration 60]``.

The demo site (``load_demo``: its live blog) under production settings, served by gunicorn
on loopback; ``--pollers`` simulated readers each ask the updates endpoint every 5 s, as
the page's script does (the cursor of their last answer as ``since``, ``If-None-Match``
with its ETag), spread over kk, ru and en; meanwhile an editor adds an entry every 10 s
(news.live.editing.add_entry, in this process, on the same database and shared cache).

Reports: polls answered 304 or from the response cache (``X-Cache: hit``), latency
percentiles, and for every entry and every poller the delay between the entry's commit
and the first answer that carried it. Writes bench/results/live.json; the figures go to
docs/benchmarks.md by hand. Hand-written because the load is a *protocol* (cursor,
ETag, a schedule per client), not one URL: wrk and locust would need a script anyway.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import Gunicorn  # noqa: E402

VAR = ROOT / "var" / "bench" / "live"
RESULTS = ROOT / "bench" / "results"
INTERVAL = 5.0
LANGUAGES = ("kk", "ru", "en")


def environment():
    VAR.mkdir(parents=True, exist_ok=True)
    database = VAR / "live.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(VAR / "cache", ignore_errors=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "NEWSDESK_CACHE_DIR": str(VAR / "cache"),
        "NEWSDESK_API_RATE": "",
        "LOG_LEVEL": "ERROR",
        "TASKS_BACKEND": "immediate",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": os.environ.get("BENCH_LIVE_DATABASE_URL", f"sqlite:///{database}"),
    }


def manage(env, *command):
    manage_py = str(ROOT / "manage.py")
    subprocess.run([sys.executable, manage_py, *command], cwd=ROOT, env=env, check=True)


async def get(port, path, etag):
    """One GET on a fresh connection (gunicorn's sync workers close each one)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
    if etag:
        request += f"If-None-Match: {etag}\r\n"
    writer.write((request + "Connection: close\r\n\r\n").encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        chunks, rest = [], body
        while rest:
            size, _crlf, rest = rest.partition(b"\r\n")
            size = int(size, 16)
            if not size:
                break
            chunks.append(rest[:size])
            rest = rest[size + 2 :]
        body = b"".join(chunks)
    return status, headers, body


class Poller:
    def __init__(self, number, port, page_id):
        self.language = LANGUAGES[number % len(LANGUAGES)]
        self.port, self.page_id = port, page_id
        self.cursor, self.etag = "", None
        self.seen = {}  # entry id -> when first answered
        self.polls = []  # (seconds, status, cache hit)

    async def run(self, start, end):
        await asyncio.sleep(random.uniform(0, INTERVAL))  # noqa: S311 - a spread, not a secret
        tick = time.monotonic()
        while tick < end:
            path = (
                f"/api/v1/news/{self.page_id}/updates/?locale={self.language}&since={self.cursor}"
            )
            began = time.monotonic()
            try:
                status, headers, body = await get(self.port, path, self.etag)
            except (OSError, ValueError, IndexError):
                status, headers, body = 0, {}, b""
            took = time.monotonic() - began
            self.polls.append((took, status, headers.get("x-cache") == "hit"))
            if status == 200:
                data = json.loads(body)
                now = time.time()
                for entry in data["entries"]:
                    self.seen.setdefault(entry["id"], now)
                if data["cursor"] != self.cursor:
                    self.cursor, self.etag = data["cursor"], None
                else:
                    self.etag = headers.get("etag")
            tick += INTERVAL
            await asyncio.sleep(max(0, tick - time.monotonic()))


EDITOR = """
import json, sys, time
import django
django.setup()
from news.live.editing import add_entry
from news.models import NewsPage
page_id, every, count = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
for number in range(1, count + 1):
    time.sleep(every)
    page = NewsPage.objects.get(pk=page_id)
    page, _published = add_entry(page, headline=f"Бенчмарк жазбасы {number}", text="Мәтін.")
    print(json.dumps([page.entries[0].id, time.time()]), flush=True)
"""


def editor(env, page_id, every, count):
    """The editor, in a process of its own (its publishes must not hold the pollers' GIL):
    an entry every ``every`` seconds, ``count`` times; prints ``[id, commit time]`` lines."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", EDITOR, str(page_id), str(every), str(count)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else None


async def main_async(args, port, page_id, env):
    pollers = [Poller(n, port, page_id) for n in range(args.pollers)]
    process = editor(env, page_id, args.every, int(args.duration // args.every))
    start = time.monotonic()
    await asyncio.gather(*(p.run(start, start + args.duration) for p in pollers))
    finished = time.time()
    output, _errors = process.communicate(timeout=60)
    added = [tuple(json.loads(line)) for line in output.splitlines() if line.startswith("[")]
    return pollers, added, finished


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pollers", type=int, default=500)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--every", type=float, default=10, help="seconds between entries")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = environment()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", "--allow-demo-credentials", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    from home.demo.live import SLUG
    from news.models import NewsPage

    page_id = NewsPage.objects.get(slug=SLUG, locale__language_code="kk").pk
    server = Gunicorn(env, workers=args.workers, ready_path="/healthz", quiet=True)
    # The editor's process reads the same settings (database, shared cache).
    base = server.start()
    try:
        port = int(base.rsplit(":", 1)[1])
        pollers, added, finished = asyncio.run(main_async(args, port, page_id, env))
    finally:
        server.stop()
    polls = [poll for poller in pollers for poll in poller.polls]
    cheap = sum(1 for _took, status, hit in polls if status == 304 or hit)
    latencies = [took * 1000 for took, _status, _hit in polls]
    errors = sum(1 for _took, status, _hit in polls if status not in (200, 304))
    # Entries committed two intervals before the end: every poller polled at least once after.
    horizon = finished - 2 * INTERVAL
    delays, missed = [], 0
    for entry_id, at in added:
        if at > horizon:
            continue
        for poller in pollers:
            if entry_id in poller.seen:
                delays.append(poller.seen[entry_id] - at)
            else:
                missed += 1
    result = {
        "pollers": args.pollers,
        "duration_s": args.duration,
        "entries_added": len(added),
        "polls": len(polls),
        "errors": errors,
        "statuses": dict(Counter(str(p[1]) for p in polls)),
        "cheap_share": round(cheap / len(polls), 4) if polls else None,
        "share_304": round(sum(1 for p in polls if p[1] == 304) / len(polls), 4) if polls else None,
        "latency_ms": {
            "p50": round(statistics.median(latencies), 2) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 2) if latencies else None,
            "p99": round(percentile(latencies, 0.99), 2) if latencies else None,
            "max": round(max(latencies), 2) if latencies else None,
        },
        "seen_delay_s": {
            "pairs": len(delays),
            "missed": missed,
            "p50": round(statistics.median(delays), 2) if delays else None,
            "p95": round(percentile(delays, 0.95), 2) if delays else None,
            "max": round(max(delays), 2) if delays else None,
            "within_5s": round(sum(d <= 5 for d in delays) / len(delays), 4) if delays else None,
        },
        "workers": args.workers,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": "redis" if env.get("REDIS_URL") else "disk",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "live.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
