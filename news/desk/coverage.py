"""Translation coverage: every news story × every locale, with its translation state.

A translation desk plans its day from this report. It is computed from
wagtail-localize's own records in a fixed number of SQL queries, whatever the
number of stories:

1. the locales;
2. every NewsPage version (light ``values()`` rows, no ``.specific``);
3. every enabled wagtail-localize ``Translation`` of a news story, with its source's
   ``last_updated_at``;
4. segment progress: for each ``TranslationSource``, its number of string segments
   and, per locale, how many are translated as published (``news.untranslated.translated``,
   the rule the ``lang`` marks and the publish guard use): for a live translation, a
   valid ``StringTranslation`` saved before it was last published; for a draft, every
   one saved so far.

States of a (story, locale) cell:

``source``
    the story's source version: the page in the default locale, else its oldest version.
``live``
    a live translation, in sync with the source and fully translated.
``partial``
    a live translation, in sync with the source, published with segments still
    untranslated (wagtail-localize copied the source's text into them; readers see
    them marked with the source's language, news.untranslated). It is live: the
    report says so, and how much of it is translated ("Live, 55% translated").
``outdated``
    a live translation whose source changed after the translation was last
    published. wagtail-localize 1.14 writes a ``TranslationLog`` on every sync
    (drafts included) and never fills ``Translation.translations_last_updated_at``
    or ``destination_last_updated_at``, so the reliable "last synced" moment of
    the *live* translation is its ``last_published_at`` (a sync publishes the
    target). The source changed when wagtail-localize re-extracted it
    (``TranslationSource.last_updated_at``, set by "Sync translated pages" /
    ``update_from_db()``) or when the source page was published again without
    being synced yet (``last_published_at`` of the source page).
``in_progress``
    a translation was started but is not live (a draft); ``percent`` = translated
    string segments / string segments of the source.
``missing``
    no translation at all (an untranslated alias counts as missing).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_localize.models import StringSegment, Translation

from news.models import NewsPage
from news.untranslated import translated

SOURCE = "source"
LIVE = "live"
PARTIAL = "partial"
OUTDATED = "outdated"
IN_PROGRESS = "in_progress"
MISSING = "missing"

STATE_LABELS = {
    # Not the quote block's "Source" link: the original-language version of a story.
    SOURCE: pgettext_lazy("translation state", "Source"),
    LIVE: _("Live"),
    PARTIAL: _("Live, partly translated"),
    OUTDATED: _("Outdated"),
    IN_PROGRESS: _("In progress"),
    MISSING: _("Missing"),
}
# The states a translation can be in (the source column is not a translation).
TRANSLATION_STATES = [LIVE, PARTIAL, OUTDATED, IN_PROGRESS, MISSING]

_PAGE_FIELDS = (
    "id",
    "translation_key",
    "locale_id",
    "title",
    "draft_title",
    "date",
    "live",
    "alias_of_id",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
)


@dataclass
class Cell:
    """The state of one story in one locale."""

    locale: Locale
    state: str
    page_id: int | None = None
    title: str = ""
    translation_id: int | None = None
    percent: int | None = None

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def is_live(self):
        return self.state in (LIVE, PARTIAL)


@dataclass
class Story:
    """One news story (all its versions share a translation_key)."""

    translation_key: object
    source: dict
    source_locale: Locale
    cells: list = field(default_factory=list)

    @property
    def sort_key(self):
        src = self.source
        published = src["first_published_at"] or src["latest_revision_created_at"]
        return (src["date"], published.timestamp() if published else 0, src["id"])

    def cell(self, language_code):
        for cell in self.cells:
            if cell.locale.language_code == language_code:
                return cell
        return None


def ordered_locales():
    """Locales in the order of ``settings.LANGUAGES`` (unknown ones last). One query."""
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    return sorted(Locale.objects.all(), key=lambda loc: (order.get(loc.language_code, 99), loc.pk))


def _segment_progress(locales):
    """``{source_id: (total, {locale_id: translated})}`` for news translation sources."""
    news_sources = StringSegment.objects.filter(
        source__object_id__in=NewsPage.objects.values("translation_key")
    )
    annotations = {"total": Count("id")}
    for locale in locales:
        # The live translated page of the segment's story in this locale, if any.
        live_target = Page.objects.filter(
            translation_key=OuterRef(OuterRef("source__object_id")),
            locale_id=locale.pk,
            live=True,
        )
        done = translated(
            locale.pk, published_at=Subquery(live_target.values("last_published_at")[:1])
        )
        annotations[f"done_{locale.pk}"] = Count("id", filter=Q(done))
    progress = {}
    for row in news_sources.values("source_id").annotate(**annotations).order_by():
        progress[row["source_id"]] = (
            row["total"],
            {locale.pk: row[f"done_{locale.pk}"] for locale in locales},
        )
    return progress


def _source_version(versions, default_locale_id):
    """The version in the default locale, else the oldest one (created first)."""
    for version in versions:
        if version["locale_id"] == default_locale_id:
            return version
    return min(versions, key=lambda v: v["id"])


def _percent(done, total):
    if not total:
        return 100
    return int(done * 100 / total)


def build_coverage(locales=None):
    """Every news story, newest first, with one ``Cell`` per locale.

    Runs a fixed number of queries (see the module docstring) whatever the
    number of stories.
    """
    locales = list(locales) if locales is not None else ordered_locales()
    locales_by_id = {locale.pk: locale for locale in locales}
    default_locale_id = next(
        (loc.pk for loc in locales if loc.language_code == settings.LANGUAGE_CODE), None
    )

    versions_by_key = {}
    for row in NewsPage.objects.values(*_PAGE_FIELDS).order_by("id"):
        versions_by_key.setdefault(row["translation_key"], []).append(row)

    translations = {}
    rows = (
        Translation.objects.filter(
            enabled=True, source__object_id__in=NewsPage.objects.values("translation_key")
        )
        .values(
            "id",
            "source_id",
            "target_locale_id",
            "source__object_id",
            "source__locale_id",
            "source__last_updated_at",
        )
        .order_by("id")
    )
    for row in rows:
        translations.setdefault((row["source__object_id"], row["target_locale_id"]), []).append(row)

    progress = _segment_progress(locales)

    stories = []
    for key, versions in versions_by_key.items():
        source = _source_version(versions, default_locale_id)
        source_locale = locales_by_id.get(source["locale_id"])
        if source_locale is None:
            continue
        by_locale = {v["locale_id"]: v for v in versions if v["alias_of_id"] is None}
        story = Story(translation_key=key, source=source, source_locale=source_locale)
        for locale in locales:
            story.cells.append(
                _cell(locale, source, by_locale.get(locale.pk), translations, progress, key)
            )
        stories.append(story)
    stories.sort(key=lambda s: s.sort_key, reverse=True)
    return locales, stories


def _cell(locale, source, target, translations, progress, key):
    if locale.pk == source["locale_id"]:
        return Cell(locale, SOURCE, page_id=source["id"], title=source["title"])
    candidates = translations.get((key, locale.pk), [])
    # Prefer the translation made from the story's source version.
    candidates = sorted(candidates, key=lambda t: t["source__locale_id"] != source["locale_id"])
    translation = candidates[0] if candidates else None
    page_id = target["id"] if target else None
    title = (target["draft_title"] or target["title"]) if target else ""

    if translation is None:
        if target is None:
            return Cell(locale, MISSING)
        # A translation made outside wagtail-localize's sync (or with sync stopped).
        state = LIVE if target["live"] else IN_PROGRESS
        return Cell(locale, state, page_id=page_id, title=title)

    total, done = progress.get(translation["source_id"], (0, {}))
    percent = _percent(done.get(locale.pk, 0), total)
    cell = Cell(
        locale,
        IN_PROGRESS,
        page_id=page_id,
        title=title,
        translation_id=translation["id"],
        percent=percent,
    )
    if target is None or not target["live"]:
        return cell
    source_changed = max(
        filter(None, [translation["source__last_updated_at"], source["last_published_at"]])
    )
    synced = target["last_published_at"]
    if synced is None or source_changed > synced:
        cell.state = OUTDATED
    else:
        cell.state = LIVE if percent >= 100 else PARTIAL
    return cell


def summarize(locales, stories):
    """``{language_code: {state: count}}`` for every locale."""
    counts = {
        locale.language_code: dict.fromkeys([SOURCE, *TRANSLATION_STATES], 0) for locale in locales
    }
    for story in stories:
        for cell in story.cells:
            counts[cell.locale.language_code][cell.state] += 1
    return counts


def filter_stories(stories, language=None, state=None):
    """Stories with ``state`` in ``language`` (or in any translation locale)."""
    if not state:
        return stories
    result = []
    for story in stories:
        cells = [story.cell(language)] if language else story.cells
        if any(cell is not None and cell.state == state for cell in cells):
            result.append(story)
    return result


PAGE_SIZE = 50


def stories_user_may_edit(user, stories):
    """Only the stories of which ``user`` may edit some version (issue 27): the report
    names drafts, so a translator with rights on one page sees only that story."""
    if user.is_superuser:
        return stories
    keys = set(
        PagePermissionPolicy(Page)
        .instances_user_has_permission_for(user, "change")
        .values_list("translation_key", flat=True)
    )
    return [story for story in stories if story.translation_key in keys]


def coverage_report_view(request):
    """The "Translation coverage" admin report (``?locale=ru&state=missing&p=2``)."""
    if not PagePermissionPolicy(Page).user_has_any_permission(
        request.user, ["add", "change", "publish"]
    ):
        raise PermissionDenied

    locales, stories = build_coverage()
    stories = stories_user_may_edit(request.user, stories)
    codes = [locale.language_code for locale in locales]
    language = request.GET.get("locale") or ""
    if language not in codes:
        language = ""
    state = request.GET.get("state") or ""
    if state not in STATE_LABELS:
        state = ""
    shown_locales = [loc for loc in locales if loc.language_code == language] or locales
    page_obj = Paginator(filter_stories(stories, language, state), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    counts = summarize(locales, stories)
    rows = [
        {"story": story, "cells": [story.cell(loc.language_code) for loc in shown_locales]}
        for story in page_obj.object_list
    ]
    return TemplateResponse(
        request,
        "news/admin/coverage_report.html",
        {
            "page_title": _("Translation coverage"),
            "header_title": _("Translation coverage"),
            "header_icon": "site",
            "locales": locales,
            "shown_locales": shown_locales,
            "rows": rows,
            "page_obj": page_obj,
            "story_count": len(stories),
            "counts": [
                {
                    "locale": loc,
                    "states": [
                        {
                            "state": st,
                            "label": STATE_LABELS[st],
                            "count": counts[loc.language_code][st],
                        }
                        for st in [SOURCE, *TRANSLATION_STATES]
                    ],
                }
                for loc in locales
            ],
            "state_choices": [(s, STATE_LABELS[s]) for s in TRANSLATION_STATES],
            "selected_locale": language,
            "selected_state": state,
        },
    )
