"""Publish → webhook delivery time, through the real task worker, on loopback.

Usage::

    .venv/bin/python bench/webhooks.py [--stories 50] [--gap 0.2]

A throw-away reference site (SQLite, tasks in the database) and ``manage.py
newsdesk_worker`` (its default 1 s poll interval); a ``manage.py shell`` process publishes
``--stories`` stories, ``--gap`` seconds apart, noting when each publication committed; a
webhook receiver in this process (tests/fake_receivers.py) notes when each signed event
arrives. Printed as JSON: p50, p95 and max of arrival − commit, and how many were lost.
Target (issue 28): p95 ≤ 2 s.
"""

import argparse
import base64
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_receivers import fake_server  # noqa: E402
from tests.servers import manage, site_environment, worker  # noqa: E402

SECRET = "whsec_" + base64.b64encode(b"newsdesk-bench-secret-0123456789").decode()

PUBLISH = """
import json, time
from tests.factories import make_site, make_news
_home, index = make_site()
for number in range({stories}):
    page = make_news(index, f"Bench {{number}}", slug=f"bench-{{number}}")
    print(json.dumps({{"id": page.pk, "at": time.time()}}), flush=True)
    time.sleep({gap})
"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, fake_server("webhook") as (receiver, url):
        env = {
            **site_environment(directory),
            "TASKS_BACKEND": "database",
            "NEWSDESK_WEBHOOK_URLS": url + "/hook",
            "NEWSDESK_WEBHOOK_SECRET": SECRET,
        }
        manage(env, "migrate", "--noinput", "-v0")
        with worker(env):
            time.sleep(3)  # the worker has started
            out = manage(env, "shell", "-c", PUBLISH.format(stories=args.stories, gap=args.gap))
            published = {}
            for line in out.splitlines():
                if line.startswith("{"):
                    row = json.loads(line)
                    published[row["id"]] = row["at"]
            deadline = time.time() + 30
            while time.time() < deadline and len(receiver.received) < len(published):
                time.sleep(0.1)
        arrived = {}
        for at, _path, _headers, body in receiver.received:
            story = json.loads(body)["data"]["story"]["id"]
            arrived.setdefault(story, at)
    latencies = [arrived[pk] - at for pk, at in published.items() if pk in arrived]
    print(
        json.dumps(
            {
                "stories": len(published),
                "delivered": len(latencies),
                "lost": len(published) - len(latencies),
                "p50_s": round(statistics.median(latencies), 3) if latencies else None,
                "p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
                "max_s": round(max(latencies), 3) if latencies else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
