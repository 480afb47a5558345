"""How wagtail-localize is fitted to a Cyrillic newsroom."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect
from django.utils.translation import ngettext
from wagtail_localize.models import StringSegment, Translation

from news.conf import conf
from news.untranslated import translated


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
        .annotate(done=translated(target_locale.pk))
        .values_list("context__path", "done")
    )
    return dict(rows)


def slug_from_translated_title(original_obj, translated_obj, src_locale, tgt_locale):
    """A translation whose slug the translator left untranslated takes its slug from its title.

    wagtail-localize publishes an untranslated segment with the source's text, so the
    Russian version of «Жаңа зауыт ашылды» lived at ``/ru/novosti/zhana-zauyt-ashyldy/``.
    Run after wagtail-localize writes a translation's strings into the page (on every
    publish, sync and preview; ``news.compat``): a page with ``SlugNeverEmptyMixin``
    whose slug has no translation while its title has one gets the slug the mixin makes
    from the translated title (the project's one slug rule, Cyrillic kept).
    wagtail-localize then makes it unique among its siblings. A slug the translator did
    translate is kept as it is, and so is the source's slug while the title is
    untranslated too. When a live page's slug changes this way, Wagtail's redirects app
    records a redirect from the old URL (``WAGTAILREDIRECTS_AUTO_CREATE``).
    """
    if not hasattr(translated_obj, "ensure_slug"):
        return
    done = translated_paths(original_obj, src_locale, tgt_locale, ["slug", "title"])
    if done.get("title") and not done.get("slug", True):
        translated_obj.slug = ""
        translated_obj.ensure_slug()


def untranslated_count(translation):
    """How many string segments of ``translation`` have no valid translation yet. One query."""
    return (
        StringSegment.objects.filter(source_id=translation.source_id)
        .exclude(translated(translation.target_locale_id))
        .count()
    )


def publishes_incomplete(translation):
    """True when ``translation`` may not be published as it is (NEWSDESK_PUBLISH_INCOMPLETE_…)."""
    return not conf.PUBLISH_INCOMPLETE_TRANSLATIONS and untranslated_count(translation) > 0


def may_publish(translation, publish):
    """What saving ``translation`` may do: publish (True), save a draft (False), or nothing (None).

    With ``NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False`` no path publishes a gap:
    ``Translation.save_target`` (the translation editor's "Publish", "Sync translated
    pages" with publishing, wagtail-localize's bulk operations; wrapped in
    ``news.compat``) and ``write_translation`` ask here. A translation with untranslated
    segments is saved as a draft instead, or, when its page is live, left alone:
    wagtail-localize writes even a draft into the page's row (``translation.save()``
    before ``save_revision``), which is what readers see. The translator finds the new
    segments in the editor, whose own "Publish" is refused with a message until they
    are done (``refuse_incomplete_publish``).
    """
    if not publish or not publishes_incomplete(translation):
        return publish
    try:
        target = translation.get_target_instance()
    except ObjectDoesNotExist:
        target = None
    return None if getattr(target, "live", False) else False


def refuse_incomplete_publish(request, page):
    """``before_edit_page``: the translation editor's "Publish" of an incomplete translation.

    Only when the newsroom forbids it (``NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False``):
    the translator is told how many segments are left and stays in the editor.
    """
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    if conf.PUBLISH_INCOMPLETE_TRANSLATIONS:
        return None
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .exclude(source__locale_id=page.locale_id)
        .first()
    )
    if translation is None:
        return None
    missing = untranslated_count(translation)
    if not missing:
        return None
    messages.error(
        request,
        ngettext(
            "Not published: %(count)d segment is still untranslated, and this newsroom "
            "publishes only complete translations. Translate it, or save a draft.",
            "Not published: %(count)d segments are still untranslated, and this newsroom "
            "publishes only complete translations. Translate them, or save a draft.",
            missing,
        )
        % {"count": missing},
    )
    return redirect(request.get_full_path())
