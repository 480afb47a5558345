"""Rows built once per test module, for fixtures that many tests of a module read.

``module_rows(build)`` makes a module-scoped fixture: ``build()`` runs once, in a
transaction that each test's own (pytest-django's ``db``: savepoints) nests in, rolled
back after the module's last test, with a media folder of the module's own. A test takes
the value with ``rows_for_test``: its own deep copy of the objects (a test may change
them; its changes to the rows are rolled back after it), under the module's media folder.

Only for modules whose tests all use the database through ``db`` (no transactional
test: its flush would run inside the module's transaction), and for small trees: a test of
the module that builds its own site (``site_tree``) first deletes the shared pages (a
shared demo cost more in those deletes than its loads). Written by hand: pytest-django has
no fixture of a wider scope than a test that writes to the database.
"""

import copy

import pytest
from django.db import transaction
from django.test import override_settings


def module_rows(build):
    @pytest.fixture(scope="module")
    def rows(django_db_setup, django_db_blocker, tmp_path_factory):
        media = tmp_path_factory.mktemp("module-media")
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
            # Marked as a test case's transaction (Django's TestCase marks its own alike):
            # purges made inside it apply at once (news/tagged_cache.py ``_in_transaction``).
            atomic = transaction.atomic()
            atomic._from_testcase = True
            atomic.__enter__()
            try:
                value = build()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        yield value, media
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return rows


def rows_for_test(rows, settings):
    """This test's copy of the module's value, its media folder the module's."""
    value, media = rows
    settings.MEDIA_ROOT = media
    return copy.deepcopy(value)
