"""Search index updates on publish run in the task worker; removal on unpublish does not wait."""

import pytest
from django.test import override_settings

from search.models import SearchEntry
from tests.factories import make_news, make_site
from tests.task_queue import run_queued_tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_publishing_queues_the_index_update_and_unpublishing_removes_at_once():
    from django_tasks_db.models import DBTaskResult

    _home, index = make_site()
    page = make_news(index, "Алматыда жаңа саябақ ашылды", slug="park")
    # Published, but indexed only when the worker gets to it.
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
    assert DBTaskResult.objects.filter(task_path="search.tasks.index_page").exists()
    run_queued_tasks()
    assert SearchEntry.objects.filter(page_id=page.pk).exists()

    page.unpublish()
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
    run_queued_tasks()  # nothing queued brings it back
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_queued_index_update_of_a_page_unpublished_since_indexes_nothing():
    _home, index = make_site()
    page = make_news(index, "Жасырын жаңалық", slug="hidden")
    page.unpublish()  # before the worker ran the queued update
    run_queued_tasks()
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
