"""Health endpoints for load balancers and orchestrators.

``/healthz`` answers as long as the process can run a view (liveness: no database,
no cache). ``/readyz`` checks that the database and the cache answer (readiness):
200 when both do, 503 with a JSON detail naming what failed otherwise. Both live
outside the language prefix, send ``Cache-Control: no-store`` and never raise.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process is up and serving requests."""
    return JsonResponse({"status": "ok"})


def _check_database():
    for alias in connections:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _check_cache():
    key = f"newsdesk:readyz:{uuid.uuid4().hex}"
    # django-redis may be configured to swallow errors (IGNORE_EXCEPTIONS), so a set
    # followed by a get of the same value is the only reliable probe.
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise ConnectionError("the cache did not return the value just written")
    cache.delete(key)


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database and the cache both answer."""
    checks = {}
    healthy = True
    for name, probe in (("database", _check_database), ("cache", _check_cache)):
        started = time.monotonic()
        try:
            probe()
        except Exception as exc:  # any failure means "not ready", never a 500
            healthy = False
            logger.warning("readyz: %s check failed: %s", name, exc)
            checks[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[:300]}
            if name == "database":
                # Drop the broken connection so the next request opens a fresh one.
                for alias in connections:
                    try:
                        connections[alias].close()
                    except Exception:  # noqa: S110 - already reporting the failure
                        pass
        else:
            checks[name] = {"status": "ok"}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
