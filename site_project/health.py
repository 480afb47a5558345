"""Health endpoints for load balancers and orchestrators.

``/healthz`` answers as long as the process can run a view (liveness: no database,
no cache). ``/readyz`` checks the database and the cache (readiness): 503 when the
database does not answer; a cache (Redis) that does not answer is ``degraded``, still
200, because the site serves without it (django-redis ignores its errors). With tasks in
the database (django-tasks-db), a task worker whose periodic job (scheduled publishing,
news/tasks.py) has not run for ``NEWSDESK_WORKER_STALE_AFTER`` seconds is ``degraded``
too: the site serves, but nothing goes live on schedule. The body
names each check's state, never an exception's text (that goes to the log: it can
carry hostnames, users and paths). Both live outside the language prefix, send
``Cache-Control: no-store`` and never raise.
"""

import logging
import time
import uuid

from django.conf import settings
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


def _uses_task_worker():
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend == "django_tasks_db.DatabaseBackend"


def _check_worker():
    """The periodic job's last run (its heartbeat) is recent enough."""
    from news.conf import conf
    from news.tasks import heartbeat_age

    age = heartbeat_age()
    if age is None or age > conf.WORKER_STALE_AFTER:
        raise RuntimeError(f"the task worker last ran {age} seconds ago")


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database answers; the cache answering or not is reported."""
    checks = {}
    status = "ok"
    probes = [("database", _check_database), ("cache", _check_cache)]
    if _uses_task_worker():
        probes.append(("worker", _check_worker))
    for name, probe in probes:
        started = time.monotonic()
        try:
            probe()
        except Exception:  # any failure is reported, never a 500
            logger.warning("readyz: %s check failed", name, exc_info=True)
            if name == "database":
                status = "error"
                checks[name] = {"status": "error"}
                # Drop the broken connection so the next request opens a fresh one.
                for alias in connections:
                    try:
                        connections[alias].close()
                    except Exception:  # noqa: S110 - already reporting the failure
                        pass
            else:
                # The site serves without the cache (per-process, or uncached) and without
                # the worker (nothing publishes on schedule): degraded.
                checks[name] = {"status": "degraded"}
                if status == "ok":
                    status = "degraded"
        else:
            checks[name] = {"status": "ok"}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(
        {"status": status, "checks": checks},
        status=503 if status == "error" else 200,
    )
