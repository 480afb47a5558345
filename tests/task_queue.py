"""Run the tasks waiting in the database backend, in the test's own transaction.

``manage.py db_worker --batch`` calls ``close_old_connections()``, which closes a
PostgreSQL connection that is inside a test's transaction; this runs the same worker
code (django-tasks-db's ``Worker.run_task``) on each ready task instead.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(backend_name="default"):
    """Run every ready task, oldest first; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    count = 0
    while True:
        result = DBTaskResult.objects.ready().filter(backend_name=backend_name).first()
        if result is None:
            return count
        result.claim(worker.worker_id)
        worker.run_task(result)
        count += 1
