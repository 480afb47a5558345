"""What a change purges: exactly the cache keys it affects (docs/reliability.md, "What a
change purges"), once per transaction, on commit (news.tagged_cache.purge)."""

import cachetools
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail import signals as wagtail_signals
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.models.pages import COMMENTS_RELATION_NAME

from news import cache_keys, i18n, queries
from news import tagged_cache as store
from news.conf import conf
from news.kazakh_latin import edition
from news.kazakh_latin.spellings import LatinSpelling
from news.models import Author, NewsPage, NewsTopic

# Page fields Wagtail writes on draft saves, locks and workflow steps: not visible to readers.
_EDITORIAL_FIELDS = frozenset(
    "latest_revision latest_revision_created_at draft_title has_unpublished_changes locked "
    "locked_at locked_by live_revision".split()
) | {COMMENTS_RELATION_NAME}
# Not Redirect: it answers only what would be a 404, and no 404 is cached.
_SITE_WIDE_MODELS = (NewsTopic, Author, PageViewRestriction, Site, Locale)

# {page id: (listing state, slug)} before the change being made (the last 500).
_before = cachetools.LRUCache(500)
_moving = set()


def site_wide_change():
    store.purge({cache_keys.SITE})  # every entry holds it


def _is_story(page):
    return issubclass(page.specific_class or type(page), NewsPage)


def _remember(page_id):
    slug = Page.objects.filter(pk=page_id).values_list("slug", flat=True).first()
    _before[page_id] = (queries.story_listing_state(page_id), slug)


def story_changed(page):
    """Purge what a change to story version ``page`` affects, once per transaction."""
    handled = store.batch().marks
    if ("story", page.pk) in handled:
        return
    handled.add(("story", page.pk))
    before, old_slug = _before.get(page.pk, (None, None))
    keys = {cache_keys.story(page.translation_key), cache_keys.route(page.slug), cache_keys.ANY}
    if old_slug:
        keys.add(cache_keys.route(old_slug))

    def listings():
        # At commit: the page's inlines (topics, authors) are saved after its own row.
        after = queries.story_listing_state(page.pk)
        found = set()
        if before != after:
            # Articles hold their "other news" listing as a soft key: refreshed within a bound.
            found |= story_listing_keys(before) | story_listing_keys(after) | {cache_keys.LISTINGS}
        if after is None:
            # A story readers no longer see leaves every page at once, "other news" too.
            found |= {cache_keys.SOFT_PREFIX + key for key in keys | found}
        return found

    store.purge(keys, deferred=listings)


def story_listing_keys(state):
    """The keys of every listing (of any language falling back to it) ``state`` is in."""
    if state is None:
        return set()
    language, _date, dimensions = state
    keys = set()
    for code in i18n.language_codes():
        if language in (i18n.fallback_chain(code) if conf.LISTING_FALLBACK else [code]):
            keys.add(cache_keys.listing(code))
            keys.update(cache_keys.listing(code, name, value) for name, value in dimensions)
    return keys


def _page_changed(page):
    story_changed(page) if _is_story(page) else site_wide_change()


def _editorial(update_fields):
    return update_fields is not None and set(update_fields) <= _EDITORIAL_FIELDS


def _other_changed(instance):
    if isinstance(instance, _SITE_WIDE_MODELS):
        site_wide_change()
    elif isinstance(instance, LatinSpelling):
        store.purge({edition.SPELLINGS_KEY})  # every Latin answer (news.kazakh_latin.edition)


@receiver(pre_save)
@receiver(pre_delete)
def before_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and isinstance(instance, Page) and instance.pk is not None:
        if not _editorial(update_fields) and instance.pk not in _moving and _is_story(instance):
            _remember(instance.pk)


@receiver(wagtail_signals.pre_page_move)
def before_move(sender, instance, **kwargs):
    if _is_story(instance):
        _remember(instance.pk)
        _moving.add(instance.pk)


@receiver(wagtail_signals.post_page_move)
def after_move(sender, instance, **kwargs):
    _moving.discard(instance.pk)
    _page_changed(instance)
    _before.pop(instance.pk, None)


@receiver(wagtail_signals.published)
@receiver(wagtail_signals.unpublished)
def object_changed(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        site_wide_change()  # a publishable snippet


@receiver(post_save)
def model_saved(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        # A live page changed outside publish (scripts, moves): readers see it. Not a
        # draft that readers did not see before either.
        if instance.pk in _moving or _editorial(update_fields):
            return
        if instance.live or _before.get(instance.pk, (None,))[0] is not None:
            _page_changed(instance)
    elif isinstance(instance, get_image_model()):
        if not created:
            image_changed(instance)
    else:
        _other_changed(instance)


def image_changed(image):
    """Purge the stories that use ``image`` (Wagtail's reference index); other pages: all."""
    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(image)
        .filter(base_content_type__model="page", base_content_type__app_label="wagtailcore")
        .values_list("object_id", flat=True)
    ]
    if not page_ids:
        return
    pages = list(Page.objects.filter(pk__in=page_ids).select_related("content_type"))
    if any(not _is_story(page) for page in pages):
        site_wide_change()
    else:
        store.purge({cache_keys.story(page.translation_key) for page in pages})


@receiver(post_delete)
def model_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _page_changed(instance)  # a story: its listing state after is None, soft keys too
        _before.pop(instance.pk, None)
    elif isinstance(instance, get_image_model()):
        site_wide_change()
    else:
        _other_changed(instance)
