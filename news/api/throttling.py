"""Anonymous rate limiting: a fixed-window counter in the cache (one or two cache calls).

DRF's SimpleRateThrottle stores a list of timestamps per client and rewrites it
on every request; a counter per window is enough for abuse protection and stays
cheap on Redis. The rate is read from ``settings.NEWSDESK_API_RATE`` on each
request ("600/min", "20/s", "10000/hour"; empty turns it off), so tests and
deployments can change it without touching code.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from news.conf import conf

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"600/min"`` -> ``(600, 60)``; None when the rate is empty or malformed."""
    if not rate:
        return None
    number, _sep, period = str(rate).partition("/")
    try:
        count = int(number)
    except ValueError:
        return None
    seconds = PERIODS.get(period.strip()[:1].lower())
    if count < 1 or seconds is None:
        return None
    return count, seconds


class AnonymousRateThrottle(BaseThrottle):
    def __init__(self):
        self.wait_seconds = None

    def allow_request(self, request, view):
        rate = parse_rate(conf.API_RATE)
        if rate is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        client = request.META.get("REMOTE_ADDR", "") or "unknown"
        key = f"newsdesk:throttle:{client}:{period}:{window}"
        # Its own cache alias (NEWSDESK_THROTTLE_CACHE): cached answers never evict it.
        alias = conf.THROTTLE_CACHE
        cache = caches[alias if alias in settings.CACHES else "default"]
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, period + 1)
            count = 1
        if count is None:
            # The cache is down (django-redis ignores its errors and answers None):
            # fail open rather than turning every API request into a 500.
            return True
        if count <= limit:
            return True
        self.wait_seconds = max(1, int((window + 1) * period - now + 0.999))
        return False

    def wait(self):
        return self.wait_seconds


class ThrottledMixin:
    """For a DRF view: anonymous rate limiting, answered as a 429 with ``Retry-After``
    (problem+json through the API's exception handler). API v1 and Wagtail's API v2 are
    limited alike, on the same counters."""

    throttle_classes = [AnonymousRateThrottle]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=_("Request limit reached."))
