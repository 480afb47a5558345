"""From a change to a story to pending deliveries, in the change's own transaction.

Wagtail sends ``page_published`` and ``page_unpublished`` while it publishes or
unpublishes, inside the caller's transaction; a story's deletion sends ``pre_delete``
inside the deletion's. The receivers here write one :class:`news.models.OutboxDelivery`
per receiver there, and ask the worker to send them once the transaction commits.
"""

import uuid

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published, page_unpublished

from news import cache_keys, tagged_cache
from news.conf import conf
from news.outbox import delivery, telegram, webhooks

# Wagtail's log actions: by an editor, and by ``publish_scheduled`` (go-live and expiry).
PUBLISH_ACTIONS = ["wagtail.publish", "wagtail.publish.scheduled"]
UNPUBLISH_ACTIONS = ["wagtail.unpublish", "wagtail.unpublish.scheduled"]


def classify(page):
    """The event a publication of ``page`` (a story version, already saved live) is.

    Called from ``page_published``, which Wagtail sends before it logs this publication:
    the newest publish/unpublish log entry is the previous one. None published before, or
    it was unpublished since: a publication (of the story, or of a translation when another
    version was published first). Else a correction when its latest correction is newer
    than the one the previous published revision carried, else an update.
    """
    previous = (
        PageLogEntry.objects.filter(page=page, action__in=PUBLISH_ACTIONS + UNPUBLISH_ACTIONS)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if previous is None and page.first_published_at != page.last_published_at:
        return "story.updated"  # published before without a log entry (log_action=False)
    if previous is None or previous.action in UNPUBLISH_ACTIONS:
        earlier = (
            Page.objects.filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .filter(first_published_at__lt=page.first_published_at)
        )
        return "translation.published" if earlier.exists() else "story.published"
    before = previous.revision.content.get("corrected_at") if previous.revision else None
    now = page.corrected_at.isoformat() if page.corrected_at else None
    if now and (before is None or _parse(before) < page.corrected_at):
        return "story.corrected"
    return "story.updated"


def _parse(value):
    from django.utils.dateparse import parse_datetime
    from django.utils.timezone import is_naive, make_aware

    at = parse_datetime(value)
    return make_aware(at) if at is not None and is_naive(at) else at


def entry_changes(page):
    """``[(event, entry id)]``: the live entries this save of ``page`` added, changed or removed.

    Compared with the stamps the page had in the database before this save
    (news.live_blocks: each entry's content digest).
    """
    before = getattr(page, "_live_stamps_before", None)
    if before is None or not getattr(page, "is_live_blog", False):
        return []
    now = page.live_stamps or {}
    changes = [("live.entry.added", key) for key in now if key not in before]
    changes += [
        ("live.entry.updated", key)
        for key in now
        if key in before and before[key][0] != now[key][0]
    ]
    changes += [("live.entry.removed", key) for key in before if key not in now]
    return changes


def entry_data(page, entry_id):
    """The ``entry`` of a live entry event: its id, anchor, headline and URL."""
    from news.live import anchor

    headline = next(
        (
            block.value.get("headline") or ""
            for block in page.entries or []
            if block.id == entry_id and block.block_type == "entry"
        ),
        None,
    )
    url = page.get_full_url()
    return {
        "id": entry_id,
        "anchor": anchor(entry_id),
        "headline": headline,
        "url": f"{url}#{anchor(entry_id)}" if url and headline is not None else None,
    }


def record(page, event, entry_id=None):
    """Write the deliveries of ``event`` on ``page``; enqueue them on commit. Returns them.

    ``entry_id``: a live entry's event (``live.entry.*``), webhooks only.
    """
    from news.models import OutboxDelivery

    common = {
        "event": event,
        "page_id": page.pk,
        "translation_key": page.translation_key,
        "language": page.locale.language_code,
        "title": page.title[:255],
    }
    rows = [
        OutboxDelivery(id=uuid.uuid4(), channel="telegram", target=chat, payload=payload, **common)
        for chat, _language, payload in (
            telegram.deliveries(page, event) if entry_id is None else ()
        )
    ]
    receivers = webhooks.endpoints(event)
    if receivers:
        data = webhooks.event_data(page, event)
        if entry_id is not None:
            data["entry"] = entry_data(page, entry_id)
        rows += [
            OutboxDelivery(
                id=uuid.uuid4(),
                channel="webhook",
                target=url,
                endpoint=endpoint,
                payload=data,
                **common,
            )
            for url, endpoint in receivers
        ]
    if rows:
        OutboxDelivery.objects.bulk_create(rows)
        if receivers:
            hooks = [row.id for row in rows if row.channel == "webhook"]
            tagged_cache.when_purged(lambda tags: _name_cache_tags(hooks, data, tags))
        ids = [str(row.id) for row in rows]
        transaction.on_commit(lambda: delivery.enqueue(ids))
    return rows


def _name_cache_tags(ids, data, tags):
    """The webhooks' payload names the cache tags the change purged, as the CDN got them."""
    from news.models import OutboxDelivery

    data["urls"]["cache_tags"] = cache_keys.public_tags(tags)
    OutboxDelivery.objects.filter(pk__in=ids).update(payload=data)


def _is_story(instance):
    from news.models import NewsPage

    return isinstance(instance, NewsPage)


def _anyone_listening():
    """Whether any channel or endpoint is configured (one query): else nothing to write."""
    from news.models import WebhookEndpoint

    return bool(
        telegram.channels() or conf.WEBHOOKS or WebhookEndpoint.objects.filter(active=True).exists()
    )


def on_published(sender, instance, **kwargs):
    # Wagtail also sends it when it schedules a revision for later: not live yet.
    if _is_story(instance) and instance.live and _anyone_listening():
        record(instance, classify(instance))
        for event, entry_id in entry_changes(instance):
            record(instance, event, entry_id)


def on_unpublished(sender, instance, **kwargs):
    if _is_story(instance) and _anyone_listening():
        record(instance, "story.unpublished")


def on_deleted(sender, instance, **kwargs):
    if instance.live and instance.first_published_at and _anyone_listening():
        record(instance, "story.deleted")


def connect():
    """Connect the receivers (news.apps.NewsConfig.ready)."""
    from news.models import NewsPage

    page_published.connect(on_published, dispatch_uid="newsdesk_outbox_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="newsdesk_outbox_unpublished")
    pre_delete.connect(on_deleted, sender=NewsPage, dispatch_uid="newsdesk_outbox_deleted")
