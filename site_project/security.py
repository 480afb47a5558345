"""Security middleware of our own: Content Security Policy; the login lockout's hooks, and
the same lockout for page passwords.

Django 5.2 has no built-in CSP, and the policy we need is small and path-dependent,
so a tiny middleware beats a dependency:

* Reader pages (everything outside the admin): ``script-src 'self'``, no inline
  script at all. JSON-LD ``<script type="application/ld+json">`` blocks are data,
  never executed, so they are unaffected.
* The Wagtail and Django admins (``NEWSDESK_CSP_ADMIN_PREFIXES``) still rely on
  inline scripts and styles, so they get a separate, looser policy that allows
  ``'unsafe-inline'`` for scripts and styles, and may frame their own previews.
  Only logged-in editors ever load those pages.

The admin login lockout is django-axes (database handler; see the AXES_* settings):
this module only gives it the username as the login form normalises it and a
translated 429 page. (Hardening v2 #1 replaced a hand-written cache throttle that
normalised no usernames, locked no address and forgot its counts on cache eviction.)
"""

import logging
import unicodedata

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import views as wagtail_views

logger = logging.getLogger(__name__)

READER_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Responsive embed wrappers from oEmbed providers carry style attributes.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # Embeds (YouTube, Vimeo, …) are iframes from their providers.
    "frame-src": ["'self'", "https:"],
    "media-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ADMIN_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "media-src": ["'self'", "blob:", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _serialise(policy, extra=None):
    merged = {name: list(values) for name, values in policy.items()}
    for name, values in (extra or {}).items():
        merged.setdefault(name, [])
        merged[name] += [v for v in values if v not in merged[name]]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in merged.items())


def admin_prefixes():
    return tuple(getattr(settings, "NEWSDESK_CSP_ADMIN_PREFIXES", ("/admin/", "/django-admin/")))


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` (strict for readers, looser for the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response
        extra = getattr(settings, "NEWSDESK_CSP_EXTRA", {})
        self.reader_header = _serialise(READER_POLICY, extra)
        self.admin_header = _serialise(ADMIN_POLICY, extra)
        # Wagtail renders a preview through this middleware chain with a dummy request for
        # the page's own URL (``request.is_preview``), and frames it in the admin's preview
        # panel: the reader policy, except that the admin (same origin) may frame it.
        self.preview_header = _serialise({**READER_POLICY, "frame-ancestors": ["'self'"]}, extra)
        self.header_name = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "NEWSDESK_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header_name not in response:
            if request.path.startswith(admin_prefixes()):
                response[self.header_name] = self.admin_header
            elif getattr(request, "is_preview", False):
                response[self.header_name] = self.preview_header
            else:
                response[self.header_name] = self.reader_header
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- Admin login lockout (django-axes) -------------------------------------------------
# django-axes counts failed logins in the database (every worker sees the same count, and
# no cache eviction forgets it) and locks by username and, separately, by client address
# (settings: AXES_*). These two functions are ours: the username as Django's login form
# and the user lookup see it, and the 429 page in the reader's language.


def login_username(request, credentials=None):
    """The username Axes counts: NFKC-normalised (as the login form does) and casefolded.

    Without this, ``ｅditor`` (fullwidth e) or ``EDITOR`` would each get their own count,
    though the form normalises them to the account ``editor``.
    """
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(value or "")).strip().casefold()


def throttled_response(retry_after):
    minutes = max(1, round(retry_after / 60))
    title = _("Too many failed login attempts")
    message = _("Please wait %(minutes)d minutes before trying again.") % {"minutes": minutes}
    body = format_html(
        '<!doctype html><html><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        title,
        title,
        message,
    )
    response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(int(retry_after))
    response["Cache-Control"] = "no-store"
    return response


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429, ``Retry-After`` and a translated page."""
    cool_off = get_cool_off(request)
    retry_after = cool_off.total_seconds() if cool_off else 15 * 60
    logger.warning("admin login locked out (%s)", request.path)
    return throttled_response(max(1, int(retry_after)))


# --- Page passwords (Wagtail's password-restricted pages) ------------------------------
# The same lockout as logins (issue 27): each wrong password is a failed "login" of the
# name ``page-password:<page id>``, so django-axes locks that page's form after
# NEWSDESK_LOGIN_MAX_FAILURES wrong guesses from anyone (per page), and the client address
# after as many failures of any kind (per address), for NEWSDESK_LOGIN_LOCKOUT_SECONDS.


def page_password_credentials(page_id):
    return {"username": f"page-password:{page_id}"}


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page-password form (same URL and name), behind django-axes's lockout."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    credentials = page_password_credentials(page_id)
    AxesProxyHandler.update_request(request)
    if not AxesProxyHandler.is_allowed(request, credentials):
        logger.warning("page password form locked out (page %s)", page_id)
        return lockout_response(request, credentials=credentials)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 302:  # Wagtail redirects only when the password is right
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, credentials=credentials)
    return response
