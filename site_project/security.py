"""Security middleware of our own: Content Security Policy and admin login throttling.

Django 5.2 has no built-in CSP, and the policy we need is small and path-dependent,
so a tiny middleware beats a dependency:

* Reader pages (everything outside the admin): ``script-src 'self'``, no inline
  script at all. JSON-LD ``<script type="application/ld+json">`` blocks are data,
  never executed, so they are unaffected.
* The Wagtail and Django admins (``NEWSDESK_CSP_ADMIN_PREFIXES``) still rely on
  inline scripts and styles, so they get a separate, looser policy that allows
  ``'unsafe-inline'`` for scripts and styles, and may frame their own previews.
  Only logged-in editors ever load those pages.

The login throttle counts failed logins per username and client IP in the cache:
after ``NEWSDESK_LOGIN_MAX_FAILURES`` failures within
``NEWSDESK_LOGIN_LOCKOUT_SECONDS``, further POSTs to the admin login URLs answer
429 with a translated message and ``Retry-After`` until the window expires. A
successful login clears the counter.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


# --- Admin login throttle -------------------------------------------------------------


def login_paths():
    default = ("/admin/login/", "/django-admin/login/")
    return tuple(getattr(settings, "NEWSDESK_LOGIN_THROTTLE_PATHS", default))


def _max_failures():
    return getattr(settings, "NEWSDESK_LOGIN_MAX_FAILURES", 5)


def _window():
    return getattr(settings, "NEWSDESK_LOGIN_LOCKOUT_SECONDS", 15 * 60)


def client_ip(request):
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites REMOTE_ADDR (configure the proxy, not this code).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(username, ip):
    digest = hashlib.sha256(f"{(username or '').strip().lower()}\0{ip}".encode()).hexdigest()
    return f"newsdesk:login-failures:{digest}"


def _failures(key):
    entry = cache.get(key)
    if not entry:
        return 0, 0
    return entry


@receiver(user_login_failed, dispatch_uid="newsdesk_login_failed")
def _record_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _key(credentials.get("username"), client_ip(request))
    count, first = _failures(key)
    now = time.time()
    if not count or now - first > _window():
        count, first = 0, now
    count += 1
    cache.set(key, (count, first), timeout=_window())
    if count >= _max_failures():
        logger.warning("admin login throttled after %d failures from %s", count, client_ip(request))


@receiver(user_logged_in, dispatch_uid="newsdesk_login_succeeded")
def _clear_failures(sender, request=None, user=None, **kwargs):
    if request is None or user is None:
        return
    cache.delete(_key(user.get_username(), client_ip(request)))


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


class LoginThrottleMiddleware:
    """Answer 429 to login POSTs for a username and IP that failed too often."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path.startswith(login_paths()):
            username = request.POST.get("username", "")
            count, first = _failures(_key(username, client_ip(request)))
            if count >= _max_failures():
                retry_after = max(1, int(first + _window() - time.time()))
                return throttled_response(retry_after)
        return self.get_response(request)
