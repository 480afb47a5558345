"""Headless preview: a signed, expiring token for the draft an editor is previewing.

wagtail-headless-preview (0.9) declares support for Wagtail 7 only and needs a
table of its own, so this is the equivalent in a few lines: when an editor picks
the "Frontend (headless API)" preview mode, ``make_token`` signs
``{page id, revision id, nonce}`` with ``django.core.signing`` (a
TimestampSigner underneath) and keeps the previewed, possibly unsaved content in
the shared cache under the nonce. ``GET /api/v1/preview/?token=…`` returns that
content in the news detail shape until ``NEWSDESK_PREVIEW_MAX_AGE`` seconds have
passed; when the cache has dropped the snapshot it falls back to the revision.
"""

import json
import secrets
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Revision

from news.conf import conf

SALT = "newsdesk.api.preview"  # unchanged since the module moved: issued tokens stay valid
MAX_TOKEN_LENGTH = 500
MODE = "headless"


def _snapshot_key(nonce):
    return f"newsdesk:preview:{nonce}"


def make_token(page):
    """A token for the content of ``page`` as the editor sees it now."""
    nonce = secrets.token_urlsafe(12)
    cache.set(_snapshot_key(nonce), page.to_json(), conf.PREVIEW_MAX_AGE)
    revision_id = page.latest_revision_id if page.pk else None
    return signing.dumps({"p": page.pk, "r": revision_id, "n": nonce}, salt=SALT)


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
    snapshot = cache.get(_snapshot_key(payload.get("n", "")))
    if snapshot is not None:
        model = ContentType.objects.get_for_id(json.loads(snapshot)["content_type"]).model_class()
        if model is not None and issubclass(model, HeadlessPreviewMixin):
            page = model.from_json(snapshot)
            page.pk = json.loads(snapshot).get("pk")
            return page
    revision = Revision.objects.filter(pk=payload.get("r"), object_id=str(payload.get("p"))).first()
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
