"""Sending the outbox: one task per delivery, retries with exponential backoff.

``send_delivery`` claims its row (an update that only one worker can win, so a duplicate
task or a second worker never sends twice at once), sends it, and records the answer. A
failure is retried ``NEWSDESK_OUTBOX_RETRY_DELAY`` seconds later, then twice, four times
that… (a task enqueued with ``run_after``); after ``NEWSDESK_OUTBOX_MAX_ATTEMPTS`` attempts
the delivery is "failed" and waits for an editor's "send again" in the delivery log.

A worker stopped or killed mid-way leaves rows pending: a claim older than the lease
(``LEASE``) lapses, and ``sweep`` (run by the worker's schedule at start and then
periodically) enqueues every pending row that is due and not claimed. Delivery is at least
once: a worker killed after the receiver answered but before the row was saved sends it
again, with the same ``webhook-id`` (receivers deduplicate on it).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from news.conf import conf

logger = logging.getLogger("news.outbox")

# Longer than one send can take (two network timeouts): a claim older than this has lapsed.
LEASE = timedelta(seconds=30)


def enqueue(ids, run_after=None):
    """Ask the worker to send these deliveries (now, or at ``run_after``)."""
    if run_after is not None and not send_delivery.get_backend().supports_defer:
        return  # the immediate backend (tests, no worker): ``sweep`` sends it when due
    for pk in ids:
        task_ = send_delivery.using(run_after=run_after) if run_after else send_delivery
        task_.enqueue(str(pk))


def backoff(attempts):
    """Seconds before the retry that follows attempt number ``attempts`` (1, 2, …)."""
    return conf.OUTBOX_RETRY_DELAY * 2 ** (attempts - 1)


def _claim(pk, now):
    from news.models import OutboxDelivery

    return OutboxDelivery.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE),
        pk=pk,
        status=OutboxDelivery.PENDING,
        next_attempt_at__lte=now,
    ).update(claimed_at=now)


def _reply_to(row):
    """The message_id of the story's post in the same channel, for a correction's reply."""
    from news.models import OutboxDelivery

    post = (
        OutboxDelivery.objects.filter(
            channel="telegram",
            target=row.target,
            translation_key=row.translation_key,
            event__in=["story.published", "translation.published"],
        )
        .order_by("-created_at")
        .first()
    )
    if post is None:
        return None
    if post.status != OutboxDelivery.SENT:
        # The post is not out yet: reply once it is (a retry), rather than post alone.
        raise RetryLater("the original post has not been sent yet")
    return post.external_id or None


class RetryLater(Exception):
    status = None


def attempt(row):
    """Send ``row`` once; returns (status code, external id). Raises on failure."""
    from news.outbox import telegram, webhooks

    if row.channel == "telegram":
        reply_to = _reply_to(row) if row.payload.get("reply") else None
        return telegram.send(row, reply_to=reply_to)
    return webhooks.send(row), ""


@task()
def send_delivery(pk):
    """Send one outbox delivery, if it is still due and nobody else is sending it."""
    from news.models import OutboxDelivery

    now = timezone.now()
    if not _claim(pk, now):
        return "skipped"
    row = OutboxDelivery.objects.select_related("endpoint").get(pk=pk)
    row.attempts += 1
    try:
        code, external = attempt(row)
    except Exception as error:  # any failure of the receiver or the network: retry
        row.response_code = getattr(error, "status", None)
        row.last_error = str(error)[:2000] or type(error).__name__
        row.claimed_at = None
        if row.attempts >= conf.OUTBOX_MAX_ATTEMPTS:
            row.status = OutboxDelivery.FAILED
            logger.warning("outbox: %s failed after %s attempts", row, row.attempts)
        else:
            row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts))
        row.save()
        if row.status == OutboxDelivery.PENDING:
            enqueue([row.pk], run_after=row.next_attempt_at)
        return row.status
    row.status, row.response_code, row.external_id = OutboxDelivery.SENT, code, external
    row.sent_at, row.last_error, row.claimed_at = timezone.now(), "", None
    row.save()
    return row.status


def sweep(now=None):
    """Enqueue every pending delivery that is due and not claimed; returns how many."""
    from news.models import OutboxDelivery

    now = now or timezone.now()
    ids = list(
        OutboxDelivery.objects.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE),
            status=OutboxDelivery.PENDING,
            next_attempt_at__lte=now,
        ).values_list("pk", flat=True)[:1000]
    )
    enqueue(ids)
    return len(ids)


def resend(row):
    """An editor's "send again": the delivery is pending again, with a fresh count."""
    from news.models import OutboxDelivery

    OutboxDelivery.objects.filter(pk=row.pk).update(
        status=OutboxDelivery.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    pk = row.pk
    transaction.on_commit(lambda: enqueue([pk]))


def prune(now=None):
    """Delete deliveries sent or failed more than ``NEWSDESK_OUTBOX_KEEP_DAYS`` days ago (the
    task worker, news.management.commands.newsdesk_worker); returns how many."""
    from news.models import OutboxDelivery

    if not conf.OUTBOX_KEEP_DAYS:
        return 0
    before = (now or timezone.now()) - timedelta(days=conf.OUTBOX_KEEP_DAYS)
    done = OutboxDelivery.objects.filter(status__in=[OutboxDelivery.SENT, OutboxDelivery.FAILED])
    return done.filter(created_at__lt=before).delete()[0]
