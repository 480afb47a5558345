"""Faults under load: PostgreSQL restarted and Redis stopped while readers keep coming.

Usage (it restarts the machine's PostgreSQL cluster and stops Redis for a few seconds:
run it when nobody else needs them)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/faults.py [--phase-seconds 15] [--connections 32]

A fresh database and gunicorn (production settings, Redis cache configured, health-
checked persistent connections, ``connect_timeout``, gunicorn ``--timeout``) serve a
dataset while wrk loads it and a prober asks ``/readyz`` and the API every 100 ms:

1. PostgreSQL is restarted (``pg_ctlcluster … restart``): we measure how long requests
   fail and how long after the restart the app answers again by itself;
2. Redis is shut down (``redis-cli shutdown nosave``): the API must keep answering 200
   (cache errors are tolerated) while ``/readyz`` reports the cache; then Redis is started
   again and ``/readyz`` must turn 200.

No request may hang past its timeout. PostgreSQL and Redis are always started again at
the end, even when the run fails. The summary is printed as JSON.
"""

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_publish import Stack, http_get, log, run_wrk  # noqa: E402

PG_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart"]
PG_START = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "start"]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
PROBE_TIMEOUT = 15  # seconds: a probe slower than this counts as a hang


def pg_ready():
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def redis_ready():
    result = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() == "PONG"


def ensure_services():
    """Start PostgreSQL and Redis again if they are down (always called at the end)."""
    if not pg_ready():
        log("PostgreSQL down: starting it")
        subprocess.run(PG_START, check=False)
        for _ in range(60):
            if pg_ready():
                break
            time.sleep(0.5)
    if not redis_ready():
        log("Redis down: starting it")
        subprocess.run(REDIS_START, check=False)
        for _ in range(40):
            if redis_ready():
                break
            time.sleep(0.25)


class Prober(threading.Thread):
    """Every 100 ms: /readyz and one API read (a new page number each time, so uncached)."""

    def __init__(self, base, detail_path):
        super().__init__(daemon=True)
        self.base, self.detail_path = base, detail_path
        self.samples = []  # (t, kind, status, seconds)
        self.stopping = threading.Event()

    def run(self):
        turn = 0
        while not self.stopping.is_set():
            turn += 1
            now = time.monotonic()
            status, _body, seconds = http_get(self.base + "/readyz", timeout=PROBE_TIMEOUT)
            self.samples.append((now, "readyz", status, seconds))
            page = turn % 5 + 1
            status, _body, seconds = http_get(
                f"{self.base}/api/v1/news/?locale=kk&page={page}&page_size={10 + turn % 7}",
                timeout=PROBE_TIMEOUT,
            )
            self.samples.append((time.monotonic(), "api", status, seconds))
            status, _body, seconds = http_get(self.base + self.detail_path, timeout=PROBE_TIMEOUT)
            self.samples.append((time.monotonic(), "detail", status, seconds))
            time.sleep(0.1)

    def window(self, start, end, kind):
        return [s for s in self.samples if start <= s[0] <= end and s[1] == kind]


def outage(samples, since):
    """(first failure, last failure, first success after the last failure) after ``since``."""
    after = [s for s in samples if s[0] >= since]
    failures = [s for s in after if s[2] != 200]
    if not failures:
        return None, None, None
    last_failure = failures[-1][0]
    recovered = next((s[0] for s in after if s[0] > last_failure and s[2] == 200), None)
    return failures[0][0], last_failure, recovered


def summarise(samples):
    statuses = {}
    for sample in samples:
        statuses[str(sample[2])] = statuses.get(str(sample[2]), 0) + 1
    slowest = max((s[3] for s in samples), default=0.0)
    return {
        "requests": len(samples),
        "statuses": statuses,
        "slowest_s": round(slowest, 2),
        "hangs": sum(1 for s in samples if s[3] >= PROBE_TIMEOUT or s[2] is None),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase-seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--gunicorn-timeout", type=int, default=30)
    args = parser.parse_args(argv)

    ensure_services()
    stack = Stack(
        "faults",
        redis=True,
        workers=args.workers,
        timeout=args.gunicorn_timeout,
        stories=args.stories,
    )
    # The anonymous rate limit lives in the cache: keep it on (very high) so that the
    # Redis outage exercises it too.
    stack.env["NEWSDESK_API_RATE"] = "1000000/min"
    result = {"postgres_version": PG_VERSION, "gunicorn_timeout_s": args.gunicorn_timeout}
    load_result = {}
    try:
        stack.build()
        stack.start()
        paths = stack.read_paths()
        detail_path = next(p for p in paths if "/other/" not in p and p.count("/") == 5)
        duration = 4 * args.phase_seconds
        prober = Prober(stack.base, detail_path)
        prober.start()

        def load():
            load_result.update(run_wrk(stack.base, paths, duration, args.connections))

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        time.sleep(args.phase_seconds / 2)

        # 1. PostgreSQL restart ---------------------------------------------------------
        log("restarting PostgreSQL")
        pg_started = time.monotonic()
        restart = subprocess.run(PG_RESTART, capture_output=True, text=True, check=False)
        pg_done = time.monotonic()
        result["pg_restart_command_s"] = round(pg_done - pg_started, 2)
        result["pg_restart_returncode"] = restart.returncode
        time.sleep(args.phase_seconds)
        first, last, recovered = outage([s for s in prober.samples if s[1] != "readyz"], pg_started)
        ready_first, ready_last, ready_recovered = outage(
            [s for s in prober.samples if s[1] == "readyz"], pg_started
        )
        result["postgres_restart"] = {
            "failed_requests_window_s": round(last - first, 2) if first else 0.0,
            "recovered_s_after_restart_began": (
                round(recovered - pg_started, 2) if recovered else (0.0 if not first else None)
            ),
            "recovered_s_after_restart_returned": (
                round(max(0.0, recovered - pg_done), 2)
                if recovered
                else (0.0 if not first else None)
            ),
            "readyz_recovered_s_after_restart_returned": (
                round(max(0.0, ready_recovered - pg_done), 2)
                if ready_recovered
                else (0.0 if not ready_first else None)
            ),
            "probes": summarise(prober.window(pg_started, time.monotonic(), "api")),
        }

        # 2. Redis stopped ---------------------------------------------------------------
        log("stopping Redis")
        redis_stopped = time.monotonic()
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )
        time.sleep(args.phase_seconds / 2)
        redis_down_end = time.monotonic()
        log("starting Redis again")
        subprocess.run(REDIS_START, check=False)
        redis_started = time.monotonic()
        time.sleep(args.phase_seconds / 2)
        _f, _l, readyz_back = outage([s for s in prober.samples if s[1] == "readyz"], redis_stopped)
        down_api = prober.window(redis_stopped, redis_down_end, "api") + prober.window(
            redis_stopped, redis_down_end, "detail"
        )
        down_ready = prober.window(redis_stopped, redis_down_end, "readyz")
        result["redis_stopped"] = {
            "down_s": round(redis_down_end - redis_stopped, 2),
            "api_while_down": summarise(down_api),
            "readyz_while_down": summarise(down_ready),
            "readyz_recovered_s_after_redis_start": (
                round(max(0.0, readyz_back - redis_started), 2) if readyz_back else None
            ),
            "api_after_restart": summarise(
                prober.window(redis_started, time.monotonic(), "api")
                + prober.window(redis_started, time.monotonic(), "detail")
            ),
        }
        loader.join(timeout=duration + 90)
        prober.stopping.set()
        prober.join(timeout=PROBE_TIMEOUT + 5)
        result["load"] = load_result
        result["all_probes"] = summarise(prober.samples)
    finally:
        ensure_services()
        stack.destroy()
    print(json.dumps(result, indent=2))
    redis = result.get("redis_stopped", {})
    pg = result.get("postgres_restart", {})
    ok = (
        result.get("all_probes", {}).get("hangs", 1) == 0
        and redis.get("api_while_down", {}).get("statuses", {}).keys() <= {"200"}
        and redis.get("readyz_recovered_s_after_redis_start") is not None
        and pg.get("recovered_s_after_restart_returned") is not None
        and load_result.get("timeouts", 1) == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
