"""Which parts of a translated page are still in the source language: written once.

wagtail-localize publishes a translation whose segments are not all translated by
copying the source text into the translated page (``fallback=True`` in
``save_target``). A Russian page may then show a Kazakh role, caption or credit.
Readers, screen readers, hyphenation and search engines must be told: the HTML
marks such an element ``lang="kk"`` and the API lists such fields under
``field_locales``.

The answer comes from wagtail-localize's own records, in one query per page: the
page's ``TranslationSource`` (the version it was translated from, through an
enabled ``Translation`` into the page's locale), its ``StringSegment`` rows, and
whether each has a ``StringTranslation`` into the page's locale for its context.
A translation saved after the page was last published is not in the live page
yet, so for readers it still counts as untranslated (previews see every one).
The result is memoised until a site-wide change (news.tagged_cache), so a warm
page costs no query at all; a page that is nobody's translation (the source
version) costs the one query once per site-wide change.

Paths are wagtail-localize's segment paths: ``title``, ``lead``, ``image_caption``,
``body.<block id>`` (a paragraph), ``body.<block id>.role`` (a field of a block).
A rich-text paragraph is split into several segments; it counts as untranslated
only when none of them is translated (a half-translated paragraph is mostly the
translator's language, and marking it as the source's would be the larger lie).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation

from news import prepared
from news.tagged_cache import memoize


@dataclass(frozen=True)
class FieldLanguages:
    """The language of each untranslated field of one page, where it differs from the page's.

    ``fields``: top-level fields, e.g. ``{"title": "kk", "image_caption": "kk"}``;
    ``blocks``: StreamField blocks (body, notes) by id, each ``{child field: language}``
    where ``""`` is the whole block value (a paragraph), e.g. ``{"3f2…": {"role": "kk"}}``.
    """

    fields: dict = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.fields or self.blocks)

    def of_block(self, block_id):
        """``{child field: language}`` of one body block (``{}`` when all translated)."""
        return self.blocks.get(block_id, {}) if block_id else {}

    @classmethod
    def from_paths(cls, paths):
        """Built from ``{segment path: language}``."""
        fields, blocks = {}, {}
        for path, language in paths.items():
            name, _dot, rest = path.partition(".")
            if rest:  # a StreamField's block (ids are unique UUIDs, whatever the field)
                block_id, _dot, child = rest.partition(".")
                blocks.setdefault(block_id, {})[child] = language
            else:
                fields[name] = language
        return cls(fields, blocks)


NONE = FieldLanguages()


def translated(locale, *, published_at=None):
    """The one rule: is this string segment translated into ``locale``, as published?

    An expression on ``StringSegment`` rows (``.annotate(done=translated(...))``, or
    ``filter=Q(translated(...))`` in an aggregate): the segment has a valid
    ``StringTranslation`` (no error, not empty) into ``locale`` for its context, and,
    when ``published_at`` is given, one saved by then (a translation saved after the
    target was last published is not in the live page yet). ``locale`` and
    ``published_at`` may be values or expressions (``OuterRef``). The ``lang`` marks
    (:func:`untranslated_paths`, :func:`listed_field_languages`, the notes), the API's
    ``field_locales``, the coverage report and the publish guard (``news.desk``) all
    ask here, so they cannot disagree about a segment.
    """
    done = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=locale,
        has_error=False,
    ).exclude(data="")
    if isinstance(published_at, datetime.datetime):
        done = done.filter(created_at__lte=published_at)
    elif published_at is not None:  # an expression: NULL (nothing live) means no cut-off
        done = done.filter(created_at__lte=Coalesce(published_at, F("created_at")))
    return Exists(done)


def published_at(page, published_only=True):
    """The moment ``page``'s translations count up to: its last publish, for readers."""
    if published_only and page.live and page.last_published_at is not None:
        return page.last_published_at
    return None


def untranslated_paths(page, *, published_only=True):
    """``{segment path: source language}`` of the segments of ``page`` left untranslated.

    One query. ``published_only``: translations saved after the page was last
    published do not count (they are not in the live page yet).
    """
    cut_off = published_at(page, published_only) is not None

    def build(translation_key, locale_id, pk):
        # The page's last publish, read with the segments (the same as the loaded page's).
        at = Page.objects.filter(pk=pk).values("last_published_at")[:1]
        done = translated(locale_id, published_at=Subquery(at) if cut_off else None)
        return (
            StringSegment.objects.filter(
                source__object_id=translation_key,
                source__translations__target_locale_id=locale_id,
                source__translations__enabled=True,
            )
            .exclude(source__locale_id=locale_id)
            .values("context__path", "source__locale__language_code")
            .annotate(total=Count("id"), done=Count("id", filter=Q(done)))
            .order_by()
        )

    # Compiled once per process (news.prepared).
    rows = prepared.run(
        ("untranslated-paths", cut_off), build, page.translation_key, page.locale_id, page.pk
    )
    return {
        row["context__path"]: row["source__locale__language_code"]
        for row in rows
        if row["done"] == 0
    }


def field_languages(page, *, preview=False):
    """The :class:`FieldLanguages` of ``page`` as readers see it (a preview: as drafted).

    Memoised by the content version for live pages: no query on a warm memo.
    """
    if getattr(page, "pk", None) is None or getattr(page, "translation_key", None) is None:
        return NONE
    if preview:
        return FieldLanguages.from_paths(untranslated_paths(page, published_only=False))
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    key = f"untranslated:{page.pk}:{published}"
    return FieldLanguages.from_paths(memoize(key, lambda: untranslated_paths(page)))


# The fields a listing entry shows (HTML cards, API list items).
LISTED_FIELDS = ("title", "lead")
# A note's text: ``notes.<block id>.text``.
NOTE_TEXT = "notes."


def listed_field_languages(pages):
    """``{page pk: {field: language}}`` of the listed fields left untranslated, for many pages.

    The listing's counterpart of :func:`field_languages`, by the same rule (a string
    translated after the page was last published is not in the live page yet): one query
    for the whole listing, none when its memo is warm. Pages that are nobody's
    translation (source versions) have no rows and answer ``{}``.
    """
    return _memoized(pages, "listed", Q(context__path__in=LISTED_FIELDS))


def note_languages(pages):
    """``{page pk: {note id: language}}`` of the notes still in the source's language.

    Same rule and cost as :func:`listed_field_languages`.
    """
    found = _memoized(pages, "notes", Q(context__path__startswith=NOTE_TEXT))
    return {
        pk: {path.split(".")[1]: language for path, language in paths.items()}
        for pk, paths in found.items()
    }


def _memoized(pages, kind, paths):
    pages = [page for page in pages if getattr(page, "translation_key", None) is not None]
    if not pages:
        return {}
    signature = ",".join(f"{page.pk}:{_stamp(page)}" for page in pages)
    digest = hashlib.blake2b(signature.encode(), digest_size=16).hexdigest()
    return memoize(f"untranslated-{kind}:{digest}", lambda: _untranslated(pages, kind, paths))


def _stamp(page):
    at = published_at(page)
    return at.timestamp() if at else 0


def _untranslated(pages, kind, paths):
    """``{page pk: {path: source language}}`` of the ``paths`` untranslated in ``pages``.

    Compiled once per process, ``kind`` and number of pages (news.prepared).
    """

    def build(versions):
        wanted = reduce(
            or_,
            (
                Q(source__object_id=key, source__translations__target_locale_id=locale)
                for key, locale in versions
            ),
        )
        # The translated page's own last publish, in the query (one per row's version).
        target = Page.objects.filter(
            translation_key=OuterRef(OuterRef("source__object_id")),
            locale_id=OuterRef(OuterRef("source__translations__target_locale_id")),
            live=True,
        ).values("last_published_at")[:1]
        return (
            StringSegment.objects.filter(wanted, paths, source__translations__enabled=True)
            .exclude(source__locale_id=F("source__translations__target_locale_id"))
            .values(
                "source__object_id",
                "source__translations__target_locale_id",
                "context__path",
                "source__locale__language_code",
            )
            .annotate(
                done=Count(
                    "id",
                    filter=Q(
                        translated(
                            OuterRef("source__translations__target_locale_id"),
                            published_at=Subquery(target),
                        )
                    ),
                )
            )
            .order_by()
        )

    rows = prepared.run(
        ("untranslated", kind), build, [(page.translation_key, page.locale_id) for page in pages]
    )
    by_version = {(page.translation_key, page.locale_id): page for page in pages}
    result = {}
    for row in rows:
        page = by_version.get(
            (row["source__object_id"], row["source__translations__target_locale_id"])
        )
        if page is not None and row["done"] == 0:
            result.setdefault(page.pk, {})[row["context__path"]] = row[
                "source__locale__language_code"
            ]
    return result
