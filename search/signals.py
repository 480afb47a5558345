"""Keep the search index in step with what readers can see.

Publishing (in the admin, by a schedule or by wagtail-localize publishing a
translation) re-indexes the page in the task worker (``search.tasks``); unpublishing
removes its entry at once; deleting a page deletes its entry through the foreign key's
cascade. View restrictions
need no handler: privacy is checked at query time (``news.queries``).
"""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from search import index, tasks


@receiver(page_published, dispatch_uid="search_index_on_publish")
def _index_on_publish(sender, instance, **kwargs):
    tasks.index_page.enqueue(instance.pk)


@receiver(page_unpublished, dispatch_uid="search_index_on_unpublish")
def _remove_on_unpublish(sender, instance, **kwargs):
    index.remove_page(instance)
