"""Writing a synced wagtail-localize translation: the one way every writer does it.

The WordPress importer, the demo, the benchmark data set, the memory measurement and the
test factories all make translations the way wagtail-localize's own editor leaves them:
a ``TranslationSource`` extracted from the source object, a ``Translation`` into the
target locale, one ``StringTranslation`` per segment, and the target object saved from
them (``create_or_update_translation``). Made this way, a translation shows up in the
translator's editor, "Sync translated pages" updates it, and the coverage report and the
``lang`` marks read it like any translation typed by hand.

Hand-written because wagtail-localize has no public call for "these strings, now": its
``TranslationCreator`` only copies the source text, and ``Translation.save_target``
publishes in an ``on_commit`` callback (after the caller's transaction, never inside a
test's). Here a page is saved as a draft revision and that very revision is published at
once, in order with whatever the caller does next.
"""

from collections.abc import Callable, Mapping
from typing import NamedTuple

from wagtail.models import DraftStateMixin
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from news.desk.localize import may_publish


class Written(NamedTuple):
    target: object  # the translated page or snippet (specific)
    translation: Translation
    missing: list  # source strings left untranslated (they keep the source text)


def _lookup(strings):
    if strings is None:
        return lambda segment: None
    if isinstance(strings, Mapping):
        return lambda segment: strings.get(segment.string.data)
    return strings


def write_translation(
    instance,
    locale,
    strings: Mapping[str, str] | Callable | None = None,
    *,
    publish=True,
    refresh_source=False,
    user=None,
    tool_name="",
    copy_parent_pages=True,
) -> Written:
    """Translate ``instance`` into ``locale`` through wagtail-localize, synced.

    ``strings`` gives each segment's translation: a mapping from the segment's source
    text (``StringSegment.string.data``, HTML-escaped as wagtail-localize stores it) to
    its translation, or a callable taking the ``StringSegment`` (with ``string`` and
    ``context``) and returning the translation or None. A segment without one keeps the
    source text and is listed in ``missing``. ``refresh_source`` re-extracts an existing
    ``TranslationSource`` from ``instance`` (as "Sync translated pages" does); without it
    the source is reused as it was, like wagtail-localize's "Translate this page".
    ``publish`` publishes the target now (pages and drafted snippets), unless the
    newsroom's publish guard refuses an incomplete translation (``may_publish``);
    otherwise it is left as a draft. Parent pages missing in ``locale`` are copied first.
    """
    if refresh_source:
        source, _created = TranslationSource.update_or_create_from_instance(instance)
    else:
        source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    lookup = _lookup(strings)
    missing = []
    for segment in source.stringsegment_set.select_related("string", "context"):
        data = lookup(segment)
        if data is None:
            missing.append(segment.string.data)
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": tool_name,
                "last_translated_by": user,
                "has_error": False,
                "field_error": "",
            },
        )
    drafted = isinstance(instance, DraftStateMixin)
    if drafted:
        publish = may_publish(translation, publish)  # the newsroom's publish guard
        if publish is None:  # an incomplete translation of a live page: left as it is
            return Written(translation.get_target_instance(), translation, missing)
    target, _created = source.create_or_update_translation(
        locale,
        user=user,
        # Drafted objects are saved as a draft and published below, at once; the others
        # (snippets without drafts) can only be saved live.
        publish=not drafted,
        copy_parent_pages=copy_parent_pages,
        fallback=True,
    )
    if drafted and publish:
        target.get_latest_revision().publish(user=user)
        target.refresh_from_db()
    return Written(target, translation, missing)
