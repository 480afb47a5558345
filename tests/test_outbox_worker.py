"""The outbox through the real task worker: Telegram posts and signed webhooks on loopback.

A throw-away reference site (SQLite file, tasks in the database) publishes and corrects
stories in ``manage.py shell`` processes; ``manage.py newsdesk_worker`` sends what they
left in the outbox to a fake Telegram Bot API and a webhook receiver in this process
(tests/fake_receivers.py), which verifies each signature with the ``standardwebhooks``
library.
"""

import base64
import json
import os
import signal
import time

import pytest
from standardwebhooks.webhooks import Webhook

from tests.fake_receivers import fake_server
from tests.servers import manage, migrated_site, worker

SECRET = "whsec_" + base64.b64encode(b"newsdesk-test-secret-0123456789ab").decode()
TOKEN = "123456:TEST-token"

PUBLISH = """
from tests.factories import make_site, make_news, translate
_home, index = make_site()
story = make_news(index, "Астанада жаңа саябақ ашылды", slug="saiabaq", lead="Тұрғындар қуанды.")
translate(story, "ru", strings={
    "Астанада жаңа саябақ ашылды": "В Астане открылся новый парк",
    "Тұрғындар қуанды.": "Жители рады.",
})
"""

CORRECT = """
from django.utils import timezone
from news.models import NewsPage
page = NewsPage.objects.get(slug="saiabaq", locale__language_code="kk")
page.notes.append(("note", {"kind": "correction", "at": timezone.now(),
                            "text": "Саябақтың аты қате жазылған еді."}))
page.save_revision().publish()
"""


def _environment(tmp_path, telegram_url, webhook_url, **extra):
    env = {
        **migrated_site(tmp_path),
        "TASKS_BACKEND": "database",
        "NEWSDESK_TELEGRAM_CHANNELS": "kk=@news_kk,ru=@news_ru,en=@news_en",
        "NEWSDESK_TELEGRAM_BOT_TOKEN": TOKEN,
        "NEWSDESK_TELEGRAM_API_URL": telegram_url,
        "NEWSDESK_WEBHOOK_URLS": webhook_url + "/hook",
        "NEWSDESK_WEBHOOK_SECRET": SECRET,
        "NEWSDESK_OUTBOX_RETRY_DELAY": "1",
        **extra,
    }
    return env


def _wait(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout}s: {what}")


def _verified_events(receiver):
    """The webhook events received, each verified as the Standard Webhooks library does."""
    events = []
    for _at, path, headers, body in list(receiver.received):
        assert path == "/hook"
        lowered = {key.lower(): value for key, value in headers.items()}
        events.append((lowered["webhook-id"], Webhook(SECRET).verify(body, lowered)))
    return events


def _posts(telegram):
    return [json.loads(body) for _at, _path, _headers, body in list(telegram.received)]


@pytest.mark.slow
def test_publish_and_correction_reach_telegram_per_language_and_webhooks_signed(tmp_path):
    with (
        fake_server("telegram") as (telegram, telegram_url),
        fake_server("webhook") as (
            receiver,
            webhook_url,
        ),
    ):
        env = _environment(tmp_path, telegram_url, webhook_url)
        telegram.statuses = [500]  # the Bot API fails once: the worker retries
        log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
        with worker(env, output=log):
            manage(env, "shell", "-c", PUBLISH)
            # kk (Kazakh), ru and en (read the Kazakh story), then ru's own translation.
            _wait(lambda: len({p["text"] for p in _posts(telegram)}) >= 4, 60, "4 posts")
            manage(env, "shell", "-c", CORRECT)
            replies = lambda: sum("reply_parameters" in p for p in _posts(telegram))  # noqa: E731
            _wait(lambda: replies() >= 2, 60, "replies")
            _wait(lambda: len(receiver.received) >= 3, 30, "3 webhook events")
            time.sleep(1.5)  # nothing more arrives
        log.close()

    assert all(path == f"/bot{TOKEN}/sendMessage" for _a, path, _h, _b in telegram.received)
    posts = _posts(telegram)
    by_chat = {}
    for post in posts:
        by_chat.setdefault(post["chat_id"], []).append(post)
    # One request failed with 500 and was sent again: the same text twice.
    texts = [p["text"] for p in posts]
    assert len(texts) == len(set(texts)) + 1, texts

    kk = [p for p in by_chat["@news_kk"] if "reply_parameters" not in p]
    assert kk[-1]["text"].startswith("<b>Астанада жаңа саябақ ашылды</b>")
    assert "Тұрғындар қуанды." in kk[-1]["text"]
    assert "/kk/zhanalyqtar/saiabaq/" in kk[-1]["text"]
    ru = {p["text"] for p in by_chat["@news_ru"]}
    # First the Kazakh story, said in Russian; then the Russian translation itself.
    assert any(t.startswith("Эта новость на казахском языке.") for t in ru), ru
    assert any("<b>В Астане открылся новый парк</b>" in t and "Жители рады." in t for t in ru)
    en = [p["text"] for p in by_chat["@news_en"] if "reply_parameters" not in p]
    assert en[-1].startswith("This story is in Kazakh.\n\n<b>Астанада жаңа саябақ ашылды</b>")
    assert "/en/" in en[-1]

    # The correction: a reply to the story's post in kk, and in en (read in Kazakh there).
    replies = [p for p in posts if "reply_parameters" in p]
    assert {p["chat_id"] for p in replies} == {"@news_kk", "@news_en"}
    for reply in replies:
        assert "Саябақтың аты қате жазылған еді." in reply["text"]
        assert reply["reply_parameters"]["message_id"] > 100
    kk_reply = next(p for p in replies if p["chat_id"] == "@news_kk")
    assert kk_reply["text"].startswith("<b>Түзету</b>")

    events = _verified_events(receiver)
    types = [event["type"] for _id, event in events]
    assert types == ["story.published", "translation.published", "story.corrected"], types
    corrected = events[-1][1]["data"]
    assert corrected["story"]["languages"] == ["kk", "ru"]
    html = corrected["urls"]["html"]
    assert any(url.endswith("/kk/zhanalyqtar/saiabaq/") for url in html), html
    # English readers get the Kazakh story under /en/: a fallback rendering that changed.
    assert any(url.endswith("/en/zhanalyqtar/saiabaq/") for url in html), html
    assert any("/api/v1/news/" in url and "locale=en" in url for url in corrected["urls"]["api"])


RESTART = """
from tests.factories import make_site, make_news
_home, index = make_site()
for number in range(3):
    make_news(index, f"Жаңалық {number}", slug=f"story-{number}")
"""


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_and_restarted_loses_nothing(tmp_path):
    with (
        fake_server("telegram") as (telegram, telegram_url),
        fake_server("webhook") as (
            receiver,
            webhook_url,
        ),
    ):
        env = _environment(
            tmp_path,
            telegram_url,
            webhook_url,
            NEWSDESK_TELEGRAM_CHANNELS="kk=@news_kk",
            NEWSDESK_SCHEDULE_INTERVAL="3",
        )
        # Published while no worker runs: everything waits in the outbox.
        manage(env, "shell", "-c", RESTART)
        telegram.delay = 5.0  # the first worker is killed while a post is in flight
        with worker(env) as first:
            _wait(lambda: len(telegram.received) >= 1, 60, "a first request")
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        telegram.delay = 0.0
        with worker(env):
            _wait(
                lambda: (
                    {f"Жаңалық {n}" for n in range(3)}
                    <= {t for p in _posts(telegram) for t in [p["text"].split("</b>")[0][3:]]}
                    and len({i for i, _e in _verified_events(receiver)}) >= 3
                ),
                120,
                "every post and event",
            )
    ids = [event_id for event_id, _event in _verified_events(receiver)]
    assert len(set(ids)) == 3
