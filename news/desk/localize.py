"""How wagtail-localize is fitted to a Cyrillic newsroom."""

from functools import partial

from django.conf import settings
from django.utils.text import slugify
from wagtail_localize import models as localize_models
from wagtail_localize.models import StringSegment


def keep_unicode_slugs():
    """Keep the slug a translator gives a page, Cyrillic included.

    wagtail-localize passes every translated page slug through ``slugify()``
    without ``allow_unicode``, so «жаңалықтар» or «новости» becomes an empty
    slug. Its module-level ``slugify`` is swapped for one that honours
    ``WAGTAIL_ALLOW_UNICODE_SLUGS``; an empty result is still replaced by a slug
    made from the title (see ``SlugNeverEmptyMixin``).
    """
    localize_models.slugify = partial(
        slugify, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    )


def translated_paths(source_instance, source_locale, target_locale, paths):
    """Which of ``paths`` (top-level segment paths) have a translation into ``target_locale``.

    One query on wagtail-localize's records: ``{path: True/False}``.
    """
    rows = (
        StringSegment.objects.filter(
            source__object_id=source_instance.translation_key,
            source__locale=source_locale,
            context__path__in=paths,
        )
        .annotate_translation(target_locale)
        .values_list("context__path", "translation")
    )
    return {path: translation is not None and translation != "" for path, translation in rows}


def slug_follows_translated_title():
    """A translation whose slug the translator left untranslated takes its slug from its title.

    wagtail-localize publishes an untranslated segment with the source's text, so the
    Russian version of «Жаңа зауыт ашылды» lived at ``/ru/novosti/zhana-zauyt-ashyldy/``.
    Its ``ingest_segments`` (how a translation's strings are written into the page,
    on every publish, sync and preview) is wrapped: after it, a page with
    ``SlugNeverEmptyMixin`` whose slug has no translation while its title has one gets
    the slug the mixin makes from the translated title (the project's one slug rule,
    Cyrillic kept). wagtail-localize then makes it unique among its siblings. A slug
    the translator did translate is kept as it is, and so is the source's slug while
    the title is untranslated too. When a live page's slug changes this way, Wagtail's
    redirects app records a redirect from the old URL (``WAGTAILREDIRECTS_AUTO_CREATE``).
    """
    ingest = localize_models.ingest_segments
    if getattr(ingest, "newsdesk_slug_rule", False):
        return

    def ingest_segments(original_obj, translated_obj, src_locale, tgt_locale, segments):
        ingest(original_obj, translated_obj, src_locale, tgt_locale, segments)
        if not hasattr(translated_obj, "ensure_slug"):
            return
        done = translated_paths(original_obj, src_locale, tgt_locale, ["slug", "title"])
        if done.get("title") and not done.get("slug", True):
            translated_obj.slug = ""
            translated_obj.ensure_slug()

    ingest_segments.newsdesk_slug_rule = True
    localize_models.ingest_segments = ingest_segments
