"""The search index's background work: re-indexing a story once it is published.

Publishing enqueues ``index_page``; the task worker (``manage.py newsdesk_worker``) runs
it, so the editor's "Publish" does not wait for the text analysis. With the immediate
task backend it runs at once. Unpublishing removes the entry at once, in the request
(``search.signals``): a story readers may no longer see must leave the index before the
editor's next click, not when a worker gets to it.
"""

from django_tasks import task
from wagtail.models import Page

from search import index


@task()
def index_page(page_id):
    """Index the live version of page ``page_id``; removed if it is no longer live."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return False  # deleted since: its entry went with it (cascade)
    return index.index_page(page) is not None
