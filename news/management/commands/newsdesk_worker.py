"""``manage.py newsdesk_worker``: django-tasks-db's ``db_worker`` plus Newsdesk's schedule.

The worker runs every queued task (Wagtail's and Newsdesk's). Beside it, a thread enqueues
``news.tasks.publish_scheduled_pages`` every ``NEWSDESK_SCHEDULE_INTERVAL`` seconds, and
sooner when a go-live or expiry time comes first; why the worker keeps this schedule
itself, and not django-crontask, is in ``news/tasks.py``.

It enqueues the job only when no copy of it is already waiting (or running, for less than
ten intervals: a worker killed mid-run leaves its row "running" for ever), so a slow run
or several workers never pile up copies. It also deletes the job's own finished results
after an hour (one a minute would otherwise fill the table), the delivery log's
notifications sent or failed ``NEWSDESK_OUTBOX_KEEP_DAYS`` ago, and re-applies cache purges
left pending (``news.tagged_cache.maintain``); prune the other tasks' results with
django-tasks-db's ``prune_db_task_results``. Extra workers can leave the
schedule to one of them: ``--no-schedule``.
"""

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from news import tagged_cache
from news.conf import conf
from news.outbox.delivery import prune as prune_outbox
from news.outbox.delivery import sweep as sweep_outbox
from news.tasks import publish_scheduled_pages, seconds_until_due

logger = logging.getLogger("news.worker")

KEEP_RESULTS = timedelta(hours=1)


def tick(backend_name, interval):
    """Enqueue the periodic job unless a copy is waiting or running; prune its old results."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    own = DBTaskResult.objects.filter(
        backend_name=backend_name, task_path=publish_scheduled_pages.module_path
    )
    # Waiting means due now: a wake-up queued for a later go-live time (news.tasks.
    # wake_worker_at) must not stand in for the periodic job.
    running = own.filter(
        status=TaskResultStatus.RUNNING, started_at__gte=now - 10 * timedelta(seconds=interval)
    )
    enqueued = None
    if not own.ready().exists() and not running.exists():
        enqueued = publish_scheduled_pages.using(backend=backend_name).enqueue()
    own.filter(finished_at__lt=now - KEEP_RESULTS).delete()
    # Notifications a stopped or killed worker left pending (news.outbox.delivery), and
    # the delivery log's old ones.
    sweep_outbox(now)
    prune_outbox(now)
    # Cache purges left pending while the shared cache was unreachable: re-applied (and
    # their rows deleted) when due, also when no reader request comes (news.tagged_cache).
    tagged_cache.maintain()
    return enqueued


class Scheduler(threading.Thread):
    """The thread that keeps the schedule while the worker's own loop runs the tasks."""

    def __init__(self, backend_name, interval):
        super().__init__(name="newsdesk-scheduler", daemon=True)
        self.backend_name, self.interval = backend_name, interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            wait = self.interval
            try:
                tick(self.backend_name, self.interval)
                wait = seconds_until_due(self.interval)
            except Exception:  # a database hiccup must not end the schedule
                logger.exception("newsdesk_worker: the schedule could not be kept this time")
            finally:
                close_old_connections()
            self.stopped.wait(wait)


class Command(DBWorkerCommand):
    help = (
        "Run the background task worker (django-tasks-db) with Newsdesk's periodic "
        "publishing and expiry job."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only run tasks; leave the periodic job to another worker.",
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=None,
            help="Seconds between runs of the periodic job (default: NEWSDESK_SCHEDULE_INTERVAL).",
        )

    def handle(self, *args, schedule=True, schedule_interval=None, **options):
        interval = schedule_interval or conf.SCHEDULE_INTERVAL
        if schedule:
            if options.get("reload"):
                # The autoreloader runs the worker in a child process; one schedule is
                # enough, and it must restart with the code.
                options["reload"] = False
                logger.warning("newsdesk_worker: --reload is not supported; running without.")
            Scheduler(options["backend_name"], interval).start()
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(
                    f"Newsdesk worker: running tasks; scheduled publishing checked every "
                    f"{interval:g} s and at each go-live or expiry time."
                )
        return super().handle(*args, **options)
