"""Newsdesk's background work: the tasks a worker runs, and when the periodic one is due.

Every task here is a django-tasks task, like the ones Wagtail 8 enqueues for itself (the
reference index, the search index, image focal points, frontend cache purges). With a
database backend (django-tasks-db, as the reference site uses) they run in
``manage.py newsdesk_worker``; with the immediate backend, in the request that enqueued them.

The schedule. ``publish_scheduled_pages`` does what ``manage.py publish_scheduled`` does
(publish revisions whose go-live time has come, unpublish expired pages) and runs at least
every ``NEWSDESK_SCHEDULE_INTERVAL`` seconds (60). The worker keeps that schedule itself
(``news/management/commands/newsdesk_worker.py``) rather than through django-crontask or
django-periodic-tasks, because:

- both need a newer Python than Newsdesk supports (django-crontask 1.x and 2.0 need 3.12,
  2.2 needs 3.14; django-periodic-tasks needs 3.13), and Newsdesk runs on 3.11;
- one job at a fixed interval needs no cron expressions and no second scheduler process:
  ``make run`` and production run one worker process beside the web server;
- the worker also wakes up at the next go-live or expiry time (``seconds_until_due``), so
  a story scheduled for 10:00:00 goes live at 10:00:01, not at the next whole interval;
  and saving a schedule enqueues the job due at that time (``wake_worker_at``), so a
  schedule set while the worker sleeps is kept too.

The periodic job's finished task results are its heartbeat: ``last_heartbeat`` is when it
last ran, and ``/readyz`` reports a worker silent for ``NEWSDESK_WORKER_STALE_AFTER``
seconds (300) as degraded.

Small tasks for slow work elsewhere (enqueue them with ``transaction.on_commit``):
``machine_translate`` (wagtail-localize's machine translation of one translation).
"""

import io
import logging
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)


def _draft_state_models():
    """Page plus every other model with go-live/expiry dates (snippets with DraftStateMixin)."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def due_counts(now=None):
    """(revisions whose go-live time has passed, live objects whose expiry has passed)."""
    now = now or timezone.now()
    going_live = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expiring = sum(
        model.objects.filter(live=True, expire_at__lt=now).count()
        for model in _draft_state_models()
    )
    return going_live, expiring


def next_due(now=None):
    """The earliest future go-live or expiry time, or None when nothing is scheduled."""
    now = now or timezone.now()
    times = [
        Revision.objects.filter(approved_go_live_at__gte=now).aggregate(
            at=Min("approved_go_live_at")
        )["at"]
    ]
    for model in _draft_state_models():
        times.append(
            model.objects.filter(live=True, expire_at__gte=now).aggregate(at=Min("expire_at"))["at"]
        )
    times = [at for at in times if at is not None]
    return min(times) if times else None


def seconds_until_due(interval, now=None):
    """How long the worker may sleep before the periodic job is next needed.

    At most ``interval``; sooner when a go-live or expiry time comes first (plus a second,
    since Wagtail publishes what is strictly past its time).
    """
    now = now or timezone.now()
    due = next_due(now)
    if due is None:
        return float(interval)
    return max(0.5, min(float(interval), (due - now).total_seconds() + 1.0))


@task()
def publish_scheduled_pages():
    """Publish what is due, unpublish what has expired: Wagtail's ``publish_scheduled``.

    Returns how many revisions went live and how many objects expired (the task result,
    which is also the worker's heartbeat).
    """
    going_live, expiring = due_counts()
    if going_live or expiring:
        call_command("publish_scheduled", stdout=io.StringIO())
        logger.info("Scheduled publishing: %s went live, %s expired", going_live, expiring)
    return {"published": going_live, "expired": expiring}


def last_heartbeat(backend_name="default"):
    """When the periodic job last finished in the database backend, or None (never)."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            backend_name=backend_name,
            task_path=publish_scheduled_pages.module_path,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def heartbeat_age(backend_name="default", now=None):
    """Seconds since the periodic job last finished, or None if it never did."""
    beat = last_heartbeat(backend_name)
    if beat is None:
        return None
    return ((now or timezone.now()) - beat) / timedelta(seconds=1)


@task()
def machine_translate(translation_id, user_id):
    """Fill a translation's untranslated segments with the configured machine translator.

    The slow outside call of wagtail-localize's "Translate with …" button, for the worker
    (bulk translation can enqueue it per translation). ``user_id`` is the editor it acts
    for: wagtail-localize checks that they may edit the target page. Returns whether
    anything was translated; raises when no translator is configured.
    """
    from django.contrib.auth import get_user_model
    from wagtail_localize.views.edit_translation import apply_machine_translation

    from news.desk.machine_translation import machine_translator

    translator = machine_translator()  # with the newsroom's glossary
    if translator is None:
        raise RuntimeError("no machine translator is configured")
    user = get_user_model().objects.get(pk=user_id)
    return bool(apply_machine_translation(translation_id, user, translator))


# --- Waking the worker when a schedule is saved (issue 27) ------------------------------
# The worker computes its next wake-up when it last ran the job; a story scheduled after
# that, for before its next wake-up, used to wait for it (up to a whole interval). Saving a
# schedule now also enqueues the job itself, due at that time (``run_after``): the worker
# polls its queue every second, so the story goes live within about a second of its time,
# however far ahead it was set. The periodic job stays as the safety net.


def wake_worker_at(when):
    """Enqueue ``publish_scheduled_pages`` to run at ``when`` (once per time); returns the
    task result, or None when the backend runs tasks at once (no worker to wake) or a
    wake-up for that time is already queued."""
    if when is None or when <= timezone.now():
        return None
    backend = publish_scheduled_pages.get_backend()
    if not backend.supports_defer:
        return None
    # Strictly after ``when``: Wagtail publishes what is past its time.
    when = when + timedelta(milliseconds=10)
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another deferring backend: no de-duplication
        pass
    else:
        if DBTaskResult.objects.filter(
            task_path=publish_scheduled_pages.module_path, status="READY", run_after=when
        ).exists():
            return None
    return publish_scheduled_pages.using(run_after=when).enqueue()


def schedule_saved(sender, instance, raw=False, **kwargs):
    """post_save of a revision (its approved go-live time) or of a draftable object (its
    expiry time): wake the worker then, once the transaction commits."""
    if raw:
        return
    if isinstance(instance, Revision):
        when = instance.approved_go_live_at
    else:
        when = instance.expire_at if getattr(instance, "live", False) else None
    if when is not None and when > timezone.now():
        transaction.on_commit(lambda: wake_worker_at(when))


def connect_schedule_wakeups():
    from django.db.models.signals import post_save

    post_save.connect(schedule_saved, sender=Revision, dispatch_uid="newsdesk_wake_revision")
    # Every concrete model: a signal of NewsPage is not one of Page.
    for model in (m for m in apps.get_models() if issubclass(m, DraftStateMixin)):
        post_save.connect(
            schedule_saved, sender=model, dispatch_uid=f"newsdesk_wake_{model._meta.label}"
        )
