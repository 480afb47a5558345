"""Publish webhooks, signed as the Standard Webhooks specification says.

Receivers are the active :class:`news.models.WebhookEndpoint` snippets (admin) and
``NEWSDESK_WEBHOOKS`` (settings; the reference site reads ``NEWSDESK_WEBHOOK_URLS`` and
``NEWSDESK_WEBHOOK_SECRET`` from the environment). Each request carries ``webhook-id``
(the delivery's id, the same on every retry: receivers deduplicate on it),
``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC-SHA256>`` made by the
``standardwebhooks`` library). The body is ``{"type", "timestamp", "data"}``; docs/webhooks.md
describes it and shows receivers verifying it.
"""

import json

import requests
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from news.conf import conf
from news.outbox.changes import changed_urls, story_versions

TIMEOUT = 10
EVENTS = (
    "story.published",
    "story.updated",
    "story.corrected",
    "story.unpublished",
    "story.deleted",
    "translation.published",
    "live.entry.added",
    "live.entry.updated",
    "live.entry.removed",
)


class WebhookError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def _wants(events, event):
    return not events or event in events


def endpoints(event):
    """``[(url, endpoint or None)]`` of the receivers that take ``event``."""
    from news.models import WebhookEndpoint

    found = [
        (endpoint.url, endpoint)
        for endpoint in WebhookEndpoint.objects.filter(active=True)
        if _wants(endpoint.events, event)
    ]
    for item in conf.WEBHOOKS or []:
        if item.get("url") and _wants(item.get("events"), event):
            found.append((item["url"], None))
    return found


def secret_for(delivery):
    """The signing secret of the delivery's receiver (read at send time, never stored twice)."""
    if delivery.endpoint is not None:
        return delivery.endpoint.secret
    for item in conf.WEBHOOKS or []:
        if item.get("url") == delivery.target:
            return item.get("secret", "")
    raise WebhookError("the endpoint is no longer configured")


def event_data(page, event):
    """The payload's ``data``: the story, its languages, and every URL whose content changed."""
    gone = event in ("story.unpublished", "story.deleted")
    versions = story_versions(page, include=False)
    if gone:
        versions.pop(page.locale.language_code, None)
    return {
        "story": {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "locale": page.locale.language_code,
            "title": page.title,
            "languages": sorted(versions),
            "versions": {code: version.pk for code, version in sorted(versions.items())},
        },
        # The cache tags the change purged: named at commit (news.outbox.events).
        "urls": {**changed_urls(page, include=True), "cache_tags": []},
    }


def body(delivery):
    return json.dumps(
        {
            "type": delivery.event,
            "timestamp": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def send(delivery):
    """POST one signed event; returns the HTTP status. Raises WebhookError unless 2xx."""
    content = body(delivery)
    now = timezone.now()
    signature = Webhook(secret_for(delivery)).sign(str(delivery.id), now, content)
    headers = {
        "content-type": "application/json",
        "user-agent": "Newsdesk-Webhooks/1",
        "webhook-id": str(delivery.id),
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    try:
        response = requests.post(
            delivery.target,
            data=content.encode(),
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise WebhookError(f"{type(error).__name__}: {error}"[:500]) from None
    if not 200 <= response.status_code < 300:
        raise WebhookError(response.text[:500], response.status_code)
    return response.status_code
