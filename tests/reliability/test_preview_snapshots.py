"""Hardening v2 #13: headless preview snapshots live in the database, not the cache.

Without Redis the default cache is each worker process's own memory: the snapshot of a
page never saved, written by the worker that served the admin preview, was invisible to
the other workers, and since there is no revision to fall back to they answered 404.
The slow test below serves a real SQLite file with gunicorn (two workers, no
``REDIS_URL``) and asks for a draft whose token was made in another process; it failed
on a8a3e2d (every request 404). The fast tests check the same through the test client.
"""

import datetime
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from news import previews
from news.models import NewsPage, PreviewSnapshot
from tests.factories import make_news
from tests.servers import gunicorn, manage, migrated_site

ROOT = Path(__file__).resolve().parents[2]
DRAFT_TITLE = "Ешқашан сақталмаған жоба"


def unsaved_story(index, title=DRAFT_TITLE):
    """A story as the admin's "add page" preview builds it: in the tree, never saved."""
    page = NewsPage(
        title=title,
        slug="eshqashan-saqtalmaghan",
        lead="Жоба лиді",
        date=datetime.date(2024, 5, 1),
        locale=index.locale,
        body=[("paragraph", "<p>Жоба мәтіні.</p>")],
        live=False,
    )
    page.depth = index.depth + 1
    page.path = page._get_path(index.path, page.depth, index.numchild + 1)
    return page


# --- Through the test client -------------------------------------------------------------


@pytest.mark.django_db
def test_the_snapshot_survives_a_cache_clear(client, site_tree):
    _home, index = site_tree
    token = previews.make_token(unsaved_story(index))
    cache.clear()  # what another worker's empty local cache looks like
    response = client.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert (data["title"], data["lead"]) == (DRAFT_TITLE, "Жоба лиді")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_an_expired_snapshot_is_not_served(client, site_tree):
    _home, index = site_tree
    never_saved = previews.make_token(unsaved_story(index))
    story = make_news(index, "Жарияланған", slug="zhariyalanghan")
    draft = story.get_latest_revision_as_object()
    draft.title = "Сақталған жоба"
    draft.save_revision()
    draft.title = "Сақталмаған өзгеріс"  # in the editor's form only
    saved = previews.make_token(draft)
    assert client.get(f"/api/v1/preview/?token={saved}").json()["title"] == "Сақталмаған өзгеріс"

    PreviewSnapshot.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    # A saved page falls back to the revision in the token; a page never saved is gone.
    assert client.get(f"/api/v1/preview/?token={saved}").json()["title"] == "Сақталған жоба"
    assert client.get(f"/api/v1/preview/?token={never_saved}").status_code == 404


@pytest.mark.django_db
def test_expired_snapshots_are_purged_on_write_in_bounded_batches(site_tree):
    _home, index = site_tree
    page = unsaved_story(index)
    for _ in range(previews.PURGE_BATCH + 5):
        previews.make_token(page)
    PreviewSnapshot.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    previews.make_token(page)
    # One batch deleted, the new row written; the rest go with the next write.
    assert PreviewSnapshot.objects.count() == 5 + 1
    previews.make_token(page)
    assert PreviewSnapshot.objects.filter(expires_at__lte=timezone.now()).count() == 0
    assert PreviewSnapshot.objects.count() == 2
    # The unbounded purge, for a periodic job.
    PreviewSnapshot.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert previews.purge_expired_snapshots() == 2
    assert not PreviewSnapshot.objects.exists()


@pytest.mark.django_db
def test_a_snapshot_is_bound_to_its_token(client, site_tree):
    _home, index = site_tree
    make_news(index, "Басқа")
    token = previews.make_token(unsaved_story(index))
    # A snapshot rewritten to claim another page is not served under this token.
    PreviewSnapshot.objects.update(page_id=index.pk)
    assert client.get(f"/api/v1/preview/?token={token}").status_code == 404


# --- Real gunicorn, two workers, no Redis --------------------------------------------------

SETUP = """
from tests.factories import make_site
make_site()
"""

MAKE_TOKEN = """
from news.models import NewsIndex
from news.previews import make_token
from tests.reliability.test_preview_snapshots import unsaved_story
print("TOKEN=" + make_token(unsaved_story(NewsIndex.objects.get())))
"""


def _fetch(url):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.slow
def test_a_never_saved_draft_previews_on_every_gunicorn_worker(tmp_path):
    env = migrated_site(tmp_path)
    manage(env, "shell", "-c", SETUP)
    # The token is made in a process of its own, as in another worker of the admin.
    output = manage(env, "shell", "-c", MAKE_TOKEN)
    token = output.rsplit("TOKEN=", 1)[1].strip()

    with gunicorn(env, workers=2, quiet=True) as base:
        url = f"{base}/api/v1/preview/?token={token}"
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _i: _fetch(url), range(40)))
    statuses = [status for status, _body in results]
    assert statuses == [200] * 40, statuses
    assert all(DRAFT_TITLE in body for _status, body in results)
