"""Translation memory over wagtail-localize's own strings.

wagtail-localize shares ``String`` rows between pages (unique by locale and text) but
keeps each ``StringTranslation`` inside one ``TranslationContext``. Memory is the set of
trusted translations of a source string into a language, in any context:

* a manual translation (typed in the editor, imported from a PO file), or a memory copy
  that a person changed or confirmed;
* never a machine translation, nor an unconfirmed memory copy, unless a person has
  reviewed its present text (``Review``).

The most recent manual translation wins; reviewed machine output comes after any manual one.

**Who may see it** (``shareable``). A translation's text, and its source text, may be
offered, copied or named as an origin only when it comes from a live, public version of a
page (published after the text was last changed, so a text typed into a draft of a live
page stays private) or from a page the acting person may edit. Snippets have no drafts or
privacy here, so their translations are shared. The acting person is the user given, else
the admin request's (Wagtail's log context: the view that created or synced the
translation); outside the admin (a management command) only public texts are used.

**Exact matches** are copied into a new or synced translation's empty segments (as
``manual`` rows with ``tool_name`` ``MEMORY_TOOL``, so the editor says where they came
from) with a ``MemoryMatch`` recording the provenance. **Near matches** are offered as
suggestions: a source string whose similarity to the segment's is at least
``NEWSDESK_MEMORY_SIMILARITY`` (0.8 by default). Similarity is difflib's
``SequenceMatcher.ratio()`` (2·matches / total length, Ratcliff–Obershelp) on the
case-folded, whitespace-collapsed texts: standard library, no new dependency, and on
one-line roles and names it tracks "the same up to small edits" well.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from news.conf import conf
from news.querysets import visible_pages
from newsdesk_memory.models import MEMORY_TOOL, MemoryMatch, Review

SPACE_RE = re.compile(r"\s+")


def _reviewed():
    return Exists(Review.objects.filter(string_translation=OuterRef("pk"), data=OuterRef("data")))


def trusted(queryset):
    """Only the translations memory may reuse, the preferred one first for each string."""
    manual = Q(translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL) & ~Q(
        tool_name=MEMORY_TOOL
    )
    return (
        queryset.filter(has_error=False)
        .annotate(reviewed=_reviewed())
        .filter(manual | Q(reviewed=True))
        .annotate(
            rank=Case(
                When(manual, then=Value(0)),
                When(translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("translation_of_id", "rank", "-updated_at", "-pk")
    )


def acting_user(user=None):
    """``user``, else the admin request's user (Wagtail's log context), else None."""
    return user if user is not None else get_active_log_context().user


def editable_pages(user):
    """The pages ``user`` may edit (none for nobody)."""
    if user is None or not user.is_authenticated:
        return Page.objects.none()
    return PagePermissionPolicy(Page).instances_user_has_permission_for(user, "change")


def shareable(queryset, user=None):
    """Only the string translations whose texts ``user`` may see (see the module docstring).

    The text must come from a live, public version of its page in the translation's
    language, published after the text last changed, whose source-language version is
    live and public too; or from a page ``user`` may edit; or from a snippet.
    """
    page_type = ContentType.objects.get_for_model(Page)
    published = visible_pages().filter(
        translation_key=OuterRef("context__object_id"),
        locale_id=OuterRef("locale_id"),
        last_published_at__gte=OuterRef("updated_at"),
    )
    source_public = visible_pages().filter(
        translation_key=OuterRef("context__object_id"),
        locale_id=OuterRef("translation_of__locale_id"),
    )
    allowed = ~Q(context__object__content_type=page_type) | (
        Q(Exists(published)) & Q(Exists(source_public))
    )
    user = acting_user(user)
    if user is not None and user.is_authenticated:
        editable = editable_pages(user).filter(
            translation_key=OuterRef("context__object_id"), locale_id=OuterRef("locale_id")
        )
        allowed |= Q(Exists(editable))
    return queryset.filter(allowed)


def nameable_origins(matches, user):
    """The ids of ``matches`` (MemoryMatch rows) whose origin ``user`` may be told of now."""
    matches = list(matches)
    keys = {m.origin_object_id for m in matches if m.origin_object_id}
    if not keys:
        return set()
    page_keys = set(
        Page.objects.filter(translation_key__in=keys).values_list("translation_key", flat=True)
    )
    visible = set(
        visible_pages().filter(translation_key__in=keys).values_list("translation_key", "locale_id")
    ) | set(
        editable_pages(user)
        .filter(translation_key__in=keys)
        .values_list("translation_key", "locale_id")
    )
    return {
        m.pk
        for m in matches
        if m.origin_object_id
        and (
            m.origin_object_id not in page_keys
            or (m.origin_object_id, m.string_translation.locale_id) in visible
        )
    }


def best_translations(string_ids, locale, exclude_context_ids=(), user=None):
    """{string id: the trusted StringTranslation memory offers for it into ``locale``}."""
    rows = shareable(
        trusted(StringTranslation.objects.filter(translation_of_id__in=string_ids, locale=locale)),
        user,
    ).exclude(context_id__in=exclude_context_ids)
    best = {}
    for row in rows.select_related("context", "last_translated_by"):
        best.setdefault(row.translation_of_id, row)
    return best


def _origin_repr(origin):
    """The origin's name: its page's title in the origin's language, else the source's."""
    page = (
        Page.objects.filter(translation_key=origin.context.object_id, locale_id=origin.locale_id)
        .only("title")
        .first()
    )
    if page is not None:
        return page.title
    source = (
        TranslationSource.objects.filter(object_id=origin.context.object_id)
        .order_by("-last_updated_at")
        .only("object_repr")
        .first()
    )
    return source.object_repr if source else ""


def prefill(translation, segments=None, user=None):
    """Fill ``translation``'s empty segments (all, or ``segments``) with exact matches.

    Returns the new ``MemoryMatch`` rows. A segment that already has a translation is
    never touched. Only texts ``user`` (else the admin request's user) may see are used.
    """
    if not conf.MEMORY_PREFILL:
        return []
    locale = translation.target_locale
    if segments is None:
        segments = StringSegment.objects.filter(source_id=translation.source_id)
    segments = list(segments)
    if not segments:
        return []
    done = set(
        StringTranslation.objects.filter(
            locale=locale, context_id__in={s.context_id for s in segments}
        ).values_list("translation_of_id", "context_id")
    )
    todo = [s for s in segments if (s.string_id, s.context_id) not in done]
    if not todo:
        return []
    best = best_translations(
        {s.string_id for s in todo},
        locale,
        exclude_context_ids={s.context_id for s in todo},
        user=user,
    )
    matches = []
    with transaction.atomic():
        for segment in todo:
            origin = best.get(segment.string_id)
            if origin is None:
                continue
            string_translation, created = StringTranslation.objects.get_or_create(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                defaults={
                    "data": origin.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": MEMORY_TOOL,
                    "last_translated_by": None,
                },
            )
            if not created:
                continue
            matches.append(
                MemoryMatch.objects.create(
                    string_translation=string_translation,
                    data=origin.data,
                    origin=origin,
                    origin_object_id=origin.context.object_id,
                    origin_repr=_origin_repr(origin)[:255],
                    origin_path=origin.context.path[:255],
                    origin_translated_by=origin.last_translated_by,
                    origin_translated_at=origin.updated_at,
                )
            )
    return matches


def similarity(a, b):
    """Similarity of two texts in [0, 1] (see the module docstring)."""
    return SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def _norm(text):
    return SPACE_RE.sub(" ", (text or "").casefold()).strip()


@dataclass
class Suggestion:
    similarity: float
    source_text: str
    translation: StringTranslation

    @property
    def percent(self):
        return int(self.similarity * 100)


class Memory:
    """The trusted translations from ``source_locale`` into ``target_locale`` that ``user``
    may see (``shareable``), for lookups."""

    def __init__(self, source_locale, target_locale, exclude_object_id=None, user=None):
        rows = shareable(
            trusted(
                StringTranslation.objects.filter(
                    locale=target_locale, translation_of__locale=source_locale
                )
            ),
            user,
        ).select_related("translation_of", "context", "last_translated_by")
        if exclude_object_id is not None:
            rows = rows.exclude(context__object_id=exclude_object_id)
        self.best = {}
        for row in rows:
            self.best.setdefault(row.translation_of_id, row)
        self.entries = [(_norm(r.translation_of.data), r) for r in self.best.values()]

    def suggest(self, text, exclude_string_id=None, limit=None, threshold=None):
        """Near matches for a source ``text``, the most similar first (exact ones excluded)."""
        threshold = conf.MEMORY_SIMILARITY if threshold is None else threshold
        limit = conf.MEMORY_SUGGESTIONS if limit is None else limit
        wanted = _norm(text)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(wanted)
        found = []
        for candidate, row in self.entries:
            if row.translation_of_id == exclude_string_id or candidate == wanted:
                continue
            total = len(candidate) + len(wanted) or 1
            if 2 * min(len(candidate), len(wanted)) / total < threshold:
                continue  # the ratio can be no higher than this bound
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                found.append(Suggestion(ratio, row.translation_of.data, row))
        found.sort(key=lambda s: (-s.similarity, -s.translation.updated_at.timestamp()))
        return found[:limit]


def review(string_translation, user):
    """Record that ``user`` confirmed ``string_translation`` as it reads now."""
    return Review.objects.create(
        string_translation=string_translation, data=string_translation.data, reviewed_by=user
    )


def unreviewed_matches(translation=None, user=None):
    """The memory matches nobody has changed or confirmed yet (of one ``translation``; of
    the pages ``user`` may edit, when given).

    Published ones first, then the newest.
    """
    matches = MemoryMatch.objects.filter(string_translation__tool_name=MEMORY_TOOL)
    if user is not None and not user.is_superuser:
        editable = editable_pages(user).filter(
            translation_key=OuterRef("string_translation__context__object_id"),
            locale_id=OuterRef("string_translation__locale_id"),
        )
        matches = matches.filter(Exists(editable))
    if translation is not None:
        matches = matches.filter(
            string_translation__locale_id=translation.target_locale_id,
            string_translation__context__object_id=translation.source.object_id,
        )
    matches = (
        matches.annotate(
            reviewed=Exists(
                Review.objects.filter(
                    string_translation=OuterRef("string_translation"),
                    data=OuterRef("string_translation__data"),
                )
            )
        )
        .filter(reviewed=False, string_translation__data=F("data"))
        .select_related(
            "string_translation__context",
            "string_translation__locale",
            "string_translation__translation_of",
        )
        .order_by(F("published_unreviewed_at").desc(nulls_last=True), "-created_at")
    )
    return matches
