"""Where memory meets wagtail-localize: its own rows' signals, so every path is covered.

* A ``Translation`` is created ("Translate this page", bulk translation, the snippet
  translate view, ``translate_object``): its empty segments are pre-filled.
* A ``StringSegment`` is created (a source synced with "Sync translated pages" or
  ``update_from_db``; a changed text is a new segment): that segment is pre-filled in each
  of the source's enabled translations.

Both run before wagtail-localize writes the target page (``save_target``), so a new
translation's draft already carries the memory matches.

* A translation is published with memory matches nobody reviewed: allowed, but each such
  match is stamped ``published_unreviewed_at`` (and logged); the review report
  lists them.
"""

import logging

from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.signals import page_published
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from newsdesk_memory import memory

logger = logging.getLogger(__name__)


def translation_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.enabled:
        memory.prefill(instance)


def segment_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    for translation in Translation.objects.filter(source_id=instance.source_id, enabled=True):
        memory.prefill(translation, [instance])


def page_was_published(sender, instance, **kwargs):
    translation = (
        Translation.objects.filter(
            source__in=TranslationSource.objects.filter(object_id=instance.translation_key).exclude(
                locale_id=instance.locale_id
            ),
            target_locale_id=instance.locale_id,
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        return
    unreviewed = memory.unreviewed_matches(translation)
    if unreviewed:
        now = timezone.now()
        for match in unreviewed:
            if match.published_unreviewed_at is None:
                match.published_unreviewed_at = now
                match.save(update_fields=["published_unreviewed_at"])
        logger.info(
            "%s (%s) was published with %d unreviewed translation memory matches",
            instance,
            instance.locale.language_code,
            len(unreviewed),
        )


def connect():
    post_save.connect(translation_saved, sender=Translation, dispatch_uid="memory_translation")
    post_save.connect(segment_saved, sender=StringSegment, dispatch_uid="memory_segment")
    page_published.connect(page_was_published, dispatch_uid="memory_published")
