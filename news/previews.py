"""Headless preview: a signed, expiring token for the draft an editor is previewing.

wagtail-headless-preview (0.9) declares support for Wagtail 7 only and needs a
table of its own, so this is the equivalent in a few lines: when an editor picks
the "Frontend (headless API)" preview mode, ``make_token`` signs
``{page id, revision id, nonce}`` with ``django.core.signing`` (a
TimestampSigner underneath) and stores the previewed, possibly unsaved content
as a ``PreviewSnapshot`` row under the nonce. ``GET /api/v1/preview/?token=…``
returns that content in the news detail shape until ``NEWSDESK_PREVIEW_MAX_AGE``
seconds have passed; should the snapshot be gone it falls back to the revision. Once
the editor saves or autosaves a newer revision of the page, the token serves that
revision: a frontend's preview pane polling one token (with ``If-None-Match``: the
answer has an ETag) follows the draft.

The snapshot lives in the database, not the cache (Hardening v2 #13): without
Redis the default cache is each worker's own memory, so another gunicorn worker
answered 404 for a page never saved. ``make_token`` deletes a bounded batch of
expired snapshots on every write; ``purge_expired_snapshots()`` does the same
without a bound, for a periodic job should previews be rare and rows linger.

``PreviewSnapshot`` is defined here and exported by ``news.models``.
"""

import json
import secrets
from datetime import timedelta
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Revision

from news.conf import conf

SALT = "newsdesk.api.preview"  # unchanged since the module moved: issued tokens stay valid
MAX_TOKEN_LENGTH = 500
MODE = "headless"


PURGE_BATCH = 100  # expired snapshots deleted per make_token: the write stays cheap


class PreviewSnapshot(models.Model):
    """The content an editor previewed, possibly never saved, under a token's nonce.

    Every worker and app server reads the same row, until ``expires_at``.
    """

    nonce = models.CharField(max_length=32, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    page_id = models.PositiveIntegerField(null=True, blank=True)  # None: never saved
    data = models.JSONField()  # Page.serializable_data(), as Page.to_json() writes it
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "news"

    def __str__(self):
        return f"{self.nonce} (page {self.page_id}, until {self.expires_at:%Y-%m-%d %H:%M:%S})"


def purge_expired_snapshots(limit=None):
    """Delete snapshots past their expiry (at most ``limit``); the number deleted."""
    expired = PreviewSnapshot.objects.filter(expires_at__lte=timezone.now())
    if limit is not None:
        expired = PreviewSnapshot.objects.filter(
            pk__in=list(expired.order_by("expires_at").values_list("pk", flat=True)[:limit])
        )
    deleted, _by_model = expired.delete()
    return deleted


def make_token(page):
    """A token for the content of ``page`` as the editor sees it now."""
    nonce = secrets.token_urlsafe(12)
    now = timezone.now()
    purge_expired_snapshots(limit=PURGE_BATCH)
    PreviewSnapshot.objects.create(
        nonce=nonce,
        content_type=ContentType.objects.get_for_model(page),
        page_id=page.pk,
        data=json.loads(page.to_json()),
        created_at=now,
        expires_at=now + timedelta(seconds=conf.PREVIEW_MAX_AGE),
    )
    revision_id = page.latest_revision_id if page.pk else None
    return signing.dumps({"p": page.pk, "r": revision_id, "n": nonce}, salt=SALT)


def _snapshot_page(payload):
    """``(page, created_at)`` of the token's unexpired snapshot, or None."""
    nonce = payload.get("n")
    if not isinstance(nonce, str) or not nonce:
        return None
    snapshot = PreviewSnapshot.objects.filter(nonce=nonce, expires_at__gt=timezone.now()).first()
    if snapshot is None or snapshot.page_id != payload.get("p"):
        return None
    model = ContentType.objects.get_for_id(snapshot.content_type_id).model_class()
    if model is None or not issubclass(model, HeadlessPreviewMixin):
        return None
    page = model.from_serializable_data(snapshot.data)
    page.pk = snapshot.data.get("pk")
    return page, snapshot.created_at


def _latest_revision(page_id):
    """``(id, created_at)`` of the page's latest revision (an autosave included), or None."""
    return (
        Page.objects.filter(pk=page_id)
        .exclude(latest_revision=None)
        .values_list("latest_revision_id", "latest_revision__created_at")
        .first()
    )


class InvalidToken(Exception):
    pass


def page_for_token(token):
    """The previewed NewsPage (not saved), or raise InvalidToken / LookupError."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken
    try:
        payload = signing.loads(token, salt=SALT, max_age=conf.PREVIEW_MAX_AGE)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise InvalidToken from exc
    if not isinstance(payload, dict):
        raise InvalidToken
    # The draft as it is now: a revision saved (or autosaved: Wagtail overwrites its own
    # latest revision and moves its time) after the token was made is newer than the
    # snapshot, so a frontend polling one token follows the editor's autosaves.
    snapshot = _snapshot_page(payload)
    latest = _latest_revision(payload.get("p"))
    if snapshot is not None and (latest is None or latest[1] <= snapshot[1]):
        return snapshot[0]
    wanted = payload.get("r")
    if latest is not None and (snapshot is not None or not wanted or latest[0] >= wanted):
        wanted = latest[0]
    revision = Revision.objects.filter(pk=wanted, object_id=str(payload.get("p"))).first()
    if revision is None:
        raise LookupError
    page = revision.as_object()
    if not isinstance(page, HeadlessPreviewMixin):
        raise LookupError
    return page


def preview_api_url(request, token):
    return request.build_absolute_uri(reverse("newsdesk_api:preview")) + "?token=" + quote(token)


class HeadlessPreviewMixin:
    """Adds the "Frontend (headless API)" preview mode to a page type.

    With ``NEWSDESK_PREVIEW_URL`` set (e.g. ``https://front.example/preview?token={token}``)
    the preview redirects the editor to the frontend, which calls
    ``/api/v1/preview/?token=…``; without it, the preview panel shows the API link.
    """

    @property
    def preview_modes(self):
        return [*super().preview_modes, (MODE, gettext_lazy("Frontend (headless API)"))]

    def serve_preview(self, request, mode_name):
        if mode_name != MODE:
            return super().serve_preview(request, mode_name)
        token = make_token(self)
        api_url = preview_api_url(request, token)
        if conf.PREVIEW_URL:
            return HttpResponseRedirect(
                conf.PREVIEW_URL.format(token=quote(token), api_url=quote(api_url))
            )
        body = format_html(
            '<!doctype html><html><head><meta charset="utf-8"><title>{}</title></head>'
            '<body><p>{}</p><p><a href="{}" target="_blank" rel="noopener">{}</a></p>'
            "</body></html>",
            _("Headless preview"),
            _(
                "The frontend gets this draft from the API with this link "
                "(valid for %(minutes)s min):"
            )
            % {"minutes": conf.PREVIEW_MAX_AGE // 60},
            api_url,
            api_url,
        )
        response = HttpResponse(body)
        response["Cache-Control"] = "private, no-store"
        return response
