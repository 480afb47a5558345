"""The outbox in-process: events, the transaction, retries and backoff, the delivery log.

The worker runs these same code paths in tests/test_outbox_worker.py; here each task is
called directly (``send_delivery.call``) against fake receivers on loopback.
"""

import base64
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook
from wagtail.models import Page

from news.models import NewsPage, OutboxDelivery
from news.outbox import delivery
from news.outbox.changes import changed_urls
from tests.factories import make_news, make_site, translate
from tests.fake_receivers import fake_server

SECRET = "whsec_" + base64.b64encode(b"newsdesk-unit-secret-0123456789a").decode()
CHANNELS = {"kk": "@news_kk", "ru": "@news_ru", "en": "@news_en"}


def _events():
    return list(
        OutboxDelivery.objects.filter(channel="webhook")
        .order_by("created_at")
        .values_list("event", flat=True)
    )


def _correct(page, text="Қате түзетілді."):
    page.notes.append(("note", {"kind": "correction", "at": timezone.now(), "text": text}))
    page.save_revision().publish()


@pytest.mark.django_db
@override_settings(NEWSDESK_WEBHOOKS=[{"url": "http://127.0.0.1:9/hook", "secret": SECRET}])
def test_each_change_to_a_story_is_its_event():
    _home, index = make_site()
    story = make_news(index, "Жаңалық", slug="story")
    assert _events() == ["story.published"]
    story.save_revision().publish()
    assert _events()[-1] == "story.updated"
    _correct(NewsPage.objects.get(pk=story.pk))
    assert _events()[-1] == "story.corrected"
    translate(story, "ru")
    assert _events()[-1] == "translation.published"
    story.unpublish()
    assert _events()[-1] == "story.unpublished"
    NewsPage.objects.get(pk=story.pk).save_revision().publish()
    assert _events()[-1] == "story.published"  # live again
    Page.objects.get(pk=story.pk).delete()
    assert "story.deleted" in _events()
    # Scheduling a story for later is not a publication.
    make_news(
        index, "Кейін", slug="later", live=False, go_live_at=timezone.now() + timedelta(hours=1)
    )
    assert not OutboxDelivery.objects.filter(title="Кейін").exists()


@pytest.mark.django_db
@override_settings(NEWSDESK_WEBHOOKS=[{"url": "http://127.0.0.1:9/hook", "secret": SECRET}])
def test_a_story_published_on_schedule_is_published_once_then_updated():
    import time_machine

    from news.tasks import publish_scheduled_pages

    _home, index = make_site()
    soon = timezone.now() + timedelta(seconds=1)
    story = make_news(index, "Кестемен", slug="scheduled", live=False, go_live_at=soon)
    assert _events() == []
    # No waiting: the clock jumps past go-live and goes on from there (the later publishes
    # must not be dated before the scheduled one).
    with time_machine.travel(soon + timedelta(seconds=1), tick=True):
        publish_scheduled_pages.call()  # Wagtail logs it as "wagtail.publish.scheduled"
        assert _events() == ["story.published"]
        NewsPage.objects.get(pk=story.pk).save_revision().publish()
        assert _events() == ["story.published", "story.updated"]
        # Published without a log entry: still not a new story.
        NewsPage.objects.get(pk=story.pk).save_revision().publish(log_action=False)
        NewsPage.objects.get(pk=story.pk).save_revision().publish(log_action=False)
        assert _events()[-1] == "story.updated"


@pytest.mark.django_db
@override_settings(NEWSDESK_TELEGRAM_CHANNELS=CHANNELS)
def test_deliveries_are_written_in_the_publish_transaction_and_roll_back_with_it():
    _home, index = make_site()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_news(index, "Қайтарылады", slug="rolled-back")
        assert OutboxDelivery.objects.count() == 3  # one per channel, inside the transaction
        raise RuntimeError("the publish fails after the signal")
    assert OutboxDelivery.objects.count() == 0
    make_news(index, "Сақталады", slug="kept")
    assert OutboxDelivery.objects.count() == 3


@pytest.mark.django_db
@override_settings(NEWSDESK_TELEGRAM_CHANNELS=CHANNELS)
def test_editors_can_turn_telegram_off_per_story():
    _home, index = make_site()
    make_news(index, "Telegram-сыз", slug="quiet", telegram_post=False)
    assert not OutboxDelivery.objects.filter(channel="telegram").exists()


@pytest.mark.django_db
def test_failures_are_retried_with_exponential_backoff_then_marked_failed(monkeypatch):
    monkeypatch.setenv("NEWSDESK_TELEGRAM_BOT_TOKEN", "1:secret-token")
    _home, index = make_site()
    with (
        fake_server("telegram") as (api, url),
        override_settings(
            NEWSDESK_TELEGRAM_CHANNELS={"kk": "@news_kk"},
            NEWSDESK_TELEGRAM_API_URL=url,
            NEWSDESK_OUTBOX_RETRY_DELAY=10,
            NEWSDESK_OUTBOX_MAX_ATTEMPTS=3,
        ),
    ):
        make_news(index, "Қайталанады", slug="retried")
        row = OutboxDelivery.objects.get()
        api.statuses = [500, 502, 503]
        waits = []
        for _attempt in range(3):
            before = timezone.now()
            assert delivery.send_delivery.call(str(row.pk)) in ("pending", "failed")
            row.refresh_from_db()
            waits.append(round((row.next_attempt_at - before).total_seconds()))
            # Not due yet: a duplicate task does nothing.
            if row.status == "pending":
                assert delivery.send_delivery.call(str(row.pk)) == "skipped"
            OutboxDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert waits[:2] == [10, 20]
        assert row.status == "failed" and row.attempts == 3
        assert row.response_code == 503
        assert "fake failure" in row.last_error
        assert "secret-token" not in row.last_error
        # "Send again": pending with a fresh count, and this time it goes through.
        delivery.resend(row)
        assert delivery.send_delivery.call(str(row.pk)) == "sent"
        row.refresh_from_db()
        assert (row.status, row.attempts, row.response_code) == ("sent", 1, 200)
        assert row.external_id == str(api.next_message_id)


@pytest.mark.django_db
def test_a_lapsed_claim_is_swept_up_again(monkeypatch):
    monkeypatch.setenv("NEWSDESK_TELEGRAM_BOT_TOKEN", "1:t")
    _home, index = make_site()
    with (
        fake_server("telegram") as (api, url),
        override_settings(
            NEWSDESK_TELEGRAM_CHANNELS={"kk": "@news_kk"}, NEWSDESK_TELEGRAM_API_URL=url
        ),
    ):
        make_news(index, "Жетім", slug="orphan")
        row = OutboxDelivery.objects.get()
        # A worker claimed it and died: nothing sends it until the claim lapses.
        OutboxDelivery.objects.filter(pk=row.pk).update(claimed_at=timezone.now())
        assert delivery.sweep() == 0
        OutboxDelivery.objects.filter(pk=row.pk).update(
            claimed_at=timezone.now() - delivery.LEASE - timedelta(seconds=1)
        )
        assert delivery.sweep() == 1  # the immediate backend sends it at once
        row.refresh_from_db()
        assert row.status == "sent"
        assert len(api.received) == 1


@pytest.mark.django_db
def test_a_webhook_is_signed_and_names_every_changed_url():
    _home, index = make_site()
    with (
        fake_server("webhook") as (receiver, url),
        override_settings(NEWSDESK_WEBHOOKS=[{"url": url + "/hook", "secret": SECRET}]),
    ):
        story = make_news(index, "Тек қазақша", slug="only-kk")
        row = OutboxDelivery.objects.get()
        assert delivery.send_delivery.call(str(row.pk)) == "sent"
    (_at, _path, headers, body) = receiver.received[0]
    headers = {key.lower(): value for key, value in headers.items()}
    event = Webhook(SECRET).verify(body, headers)
    assert headers["webhook-id"] == str(row.pk)
    assert headers["webhook-signature"].startswith("v1,")
    assert event["type"] == "story.published"
    data = event["data"]
    assert data["story"]["id"] == story.pk
    assert data["story"]["languages"] == ["kk"]
    assert data["urls"] == {**changed_urls(story), "cache_tags": data["urls"]["cache_tags"]}
    html = data["urls"]["html"]
    for language in ("kk", "ru", "en"):
        # The story itself and its fallback renderings, the listing, the home page, feeds.
        assert f"http://localhost/{language}/zhanalyqtar/only-kk/" in html
        assert f"http://localhost/{language}/zhanalyqtar/" in html
        assert f"http://localhost/{language}/" in html
        assert f"http://localhost/{language}/news/feed/rss/" in html
        assert f"http://localhost/api/v1/news/{story.pk}/?locale={language}" in data["urls"]["api"]
    # A tampered body fails verification.
    with pytest.raises(Exception):  # noqa: B017 - the library's own error type
        Webhook(SECRET).verify(body.replace(b"only-kk", b"other"), headers)
    assert json.loads(body)["timestamp"]


@pytest.mark.django_db
def test_the_delivery_log_shows_who_may_see_and_resend(client, django_user_model):
    _home, index = make_site()
    with override_settings(NEWSDESK_TELEGRAM_CHANNELS={"kk": "@news_kk"}):
        make_news(index, "Журналда", slug="logged")
    row = OutboxDelivery.objects.get()
    OutboxDelivery.objects.filter(pk=row.pk).update(status="failed", attempts=8)
    log_url = "/admin/reports/notifications/"
    again_url = f"/admin/reports/notifications/{row.pk}/send-again/"

    access = Permission.objects.get(codename="access_admin")
    editors = Group.objects.create(name="Outbox readers")
    editors.permissions.add(access)
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(editors)
    client.force_login(editor)
    assert client.get(log_url).status_code in (302, 403)  # no view permission

    editors.permissions.add(Permission.objects.get(codename="view_outboxdelivery"))
    editor = django_user_model.objects.get(pk=editor.pk)
    client.force_login(editor)
    page = client.get(log_url)
    assert page.status_code == 200
    assert "Журналда" in page.content.decode()
    assert again_url not in page.content.decode()  # no "send again" without change
    assert client.post(again_url).status_code in (302, 403)
    assert OutboxDelivery.objects.get(pk=row.pk).status == "failed"

    editors.permissions.add(Permission.objects.get(codename="change_outboxdelivery"))
    client.force_login(django_user_model.objects.get(pk=editor.pk))
    assert again_url in client.get(log_url + "?status=failed").content.decode()
    assert client.get(again_url).status_code == 405
    response = client.post(again_url)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)


@pytest.mark.django_db
def test_the_delivery_log_speaks_kazakh(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(user)
    page = client.get("/admin/reports/notifications/", HTTP_ACCEPT_LANGUAGE="kk")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Хабарламалар" in text and "Әзірге хабарлама жоқ." in text


def test_the_reference_site_reads_channels_and_webhooks_from_the_environment(tmp_path):
    from tests.servers import manage, site_environment

    env = {
        **site_environment(tmp_path),
        "NEWSDESK_TELEGRAM_CHANNELS": "kk=@news_kk, ru=-100123",
        "NEWSDESK_WEBHOOK_URLS": "https://a.example/hook,https://b.example/hook",
        "NEWSDESK_WEBHOOK_SECRET": SECRET,
    }
    show = (
        "from django.conf import settings; import json; print(json.dumps("
        "[settings.NEWSDESK_TELEGRAM_CHANNELS, settings.NEWSDESK_WEBHOOKS]))"
    )
    channels, hooks = json.loads(manage(env, "shell", "-c", show).strip().splitlines()[-1])
    assert channels == {"kk": "@news_kk", "ru": "-100123"}
    assert hooks == [
        {"url": "https://a.example/hook", "secret": SECRET},
        {"url": "https://b.example/hook", "secret": SECRET},
    ]
    for bad in (
        {"NEWSDESK_TELEGRAM_CHANNELS": "@news_kk"},
        {"NEWSDESK_TELEGRAM_CHANNELS": "xx=@news"},
        {"NEWSDESK_WEBHOOK_SECRET": "not-a-secret"},
    ):
        with pytest.raises(RuntimeError, match="ImproperlyConfigured"):
            manage({**env, **bad}, "check")


@pytest.mark.django_db(transaction=True)
def test_a_webhook_names_the_cache_tags_the_publish_purged():
    """The payload's cache tags are the ones the tagged cache purged on commit (public form)."""
    from news import cache_keys, tagged_cache

    _home, index = make_site()
    story = make_news(index, "Тек қазақша", slug="only-kk")
    purges = []

    def seen(sender, tags, **kwargs):
        purges.append(tags)

    tagged_cache.purged.connect(seen)
    try:
        with override_settings(NEWSDESK_WEBHOOKS=[{"url": "http://127.0.0.1:9/hook"}]):
            story.title = "Түзетілді"
            story.save_revision().publish()
    finally:
        tagged_cache.purged.disconnect(seen)
    assert len(purges) == 1  # one purge for the publish
    row = OutboxDelivery.objects.get(channel="webhook")
    tags = row.payload["urls"]["cache_tags"]
    assert tags == cache_keys.public_tags(purges[0])
    assert cache_keys.public(cache_keys.story(story.translation_key)) in tags
