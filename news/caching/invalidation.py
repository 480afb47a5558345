"""Signal handlers of the news app.

Every change a reader can see bumps the content version (news/cache.py), which
makes every cached response and ETag of the older version unreachable at once.
Editorial bookkeeping (draft saves, revisions, locks, renditions made on first
view) does not.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import signals as wagtail_signals
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.pages import COMMENTS_RELATION_NAME

from news.content_version import bump_version
from news.models import NewsTopic

# Page fields Wagtail writes on draft saves, locks and workflow steps: not visible to readers.
_EDITORIAL_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
        COMMENTS_RELATION_NAME,
    }
)


def _content_models():
    return (NewsTopic, PageViewRestriction, Redirect, Site, Locale, get_image_model())


@receiver(wagtail_signals.page_published)
@receiver(wagtail_signals.page_unpublished)
@receiver(wagtail_signals.post_page_move)
@receiver(wagtail_signals.page_slug_changed)
@receiver(wagtail_signals.published)
@receiver(wagtail_signals.unpublished)
def content_changed(sender, **kwargs):
    bump_version()


@receiver(post_save)
def model_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        # A live page changed outside publish (scripts, moves): readers see it.
        if not instance.live:
            return
        if update_fields is not None and set(update_fields) <= _EDITORIAL_FIELDS:
            return
        bump_version()
    elif isinstance(instance, _content_models()):
        bump_version()


@receiver(post_delete)
def model_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) or isinstance(instance, _content_models()):
        bump_version()
