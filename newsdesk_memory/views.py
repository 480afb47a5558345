"""The memory panel beside wagtail-localize's editor, its two actions, and the reports.

Who may use them (docs/roles.md): the panel and its actions, whoever may edit the
translation's page (wagtail-localize's ``user_can_edit_instance``); the report, whoever
may submit translations (``may_use_report``), and it lists only the pages they may edit.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import user_passes_test
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.views.edit_translation import user_can_edit_instance

from newsdesk_memory import checks, glossary, memory


def _editable_translation(request, translation_id):
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale", "source__locale"),
        id=translation_id,
    )
    try:
        instance = translation.get_target_instance()
    except Exception as exc:  # the target was deleted: nothing to edit
        raise Http404 from exc
    if not user_can_edit_instance(request.user, instance):
        raise PermissionDenied
    return translation


def panel_rows(translation, user=None):
    """One row per string segment: its translation, provenance, suggestions and terms.

    Suggestions and provenance are only those ``user`` may see (``memory.shareable``).
    """
    locale = translation.target_locale
    segments = list(
        StringSegment.objects.filter(source_id=translation.source_id)
        .select_related("string", "context")
        .order_by("order")
    )
    existing = {
        (st.translation_of_id, st.context_id): st
        for st in StringTranslation.objects.filter(
            locale=locale, context__object_id=translation.source.object_id
        ).select_related("memory_match__origin_translated_by", "last_translated_by")
    }
    unreviewed = {m.string_translation_id for m in memory.unreviewed_matches(translation)}
    matches = [st.memory_match for st in existing.values() if hasattr(st, "memory_match")]
    nameable = memory.nameable_origins(matches, user)
    store = None
    terms = glossary.all_terms()
    rows = []
    for segment in segments:
        current = existing.get((segment.string_id, segment.context_id))
        match = getattr(current, "memory_match", None) if current else None
        suggestions = []
        if current is None:
            if store is None:
                store = _memory(translation, user)
            suggestions = store.suggest(segment.string.data, exclude_string_id=segment.string_id)
        found = glossary.find_terms(glossary.plain(segment.string.data), terms)
        found_terms = []
        for m in found:
            target = m.term.target(locale.language_code)
            found_terms.append(
                {
                    "term": m.term,
                    "text": m.text,
                    "target": target,
                    "missing": bool(
                        current
                        and target
                        and not glossary.contains(
                            glossary.plain(current.data), target, locale.language_code
                        )
                    ),
                }
            )
        rows.append(
            {
                "segment": segment,
                "current": current,
                "match": match,
                "origin_named": bool(match and match.pk in nameable),
                "unreviewed": bool(current and current.pk in unreviewed),
                "suggestions": suggestions,
                "terms": found_terms,
            }
        )
    return rows


def _memory(translation, user):
    return memory.Memory(
        translation.source.locale,
        translation.target_locale,
        exclude_object_id=translation.source.object_id,
        user=user,
    )


def panel(request, translation_id):
    """The panel's HTML, fetched by static/newsdesk_memory/panel.js into the editor page."""
    translation = _editable_translation(request, translation_id)
    rows = panel_rows(translation, request.user)
    return render(
        request,
        "newsdesk_memory/panel.html",
        {
            "translation": translation,
            "rows": [r for r in rows if r["match"] or r["suggestions"] or r["terms"]],
            "unreviewed_count": sum(1 for r in rows if r["unreviewed"]),
            "next": request.GET.get("next", ""),
        },
    )


def _back(request, translation):
    return redirect(
        get_valid_next_url_from_request(request) or reverse("newsdesk_memory_review_report")
    )


@require_POST
def review(request, translation_id, string_translation_id):
    """The translator confirms a memory match (or a machine translation) as it reads."""
    translation = _editable_translation(request, translation_id)
    string_translation = get_object_or_404(
        StringTranslation,
        id=string_translation_id,
        locale_id=translation.target_locale_id,
        context__object_id=translation.source.object_id,
    )
    memory.review(string_translation, request.user)
    messages.success(
        request, _("Marked as reviewed: “%(text)s”.") % {"text": string_translation.data}
    )
    return _back(request, translation)


@require_POST
def accept(request, translation_id, segment_id, suggestion_id):
    """Accept a suggestion: it becomes the segment's translation, by this translator.

    Only a suggestion the panel offers for this segment to this translator is accepted:
    any other id is a 404, whatever string translation it names.
    """
    translation = _editable_translation(request, translation_id)
    segment = get_object_or_404(
        StringSegment.objects.select_related("string"),
        id=segment_id,
        source_id=translation.source_id,
    )
    offered = {
        s.translation.pk: s.translation
        for s in _memory(translation, request.user).suggest(
            segment.string.data, exclude_string_id=segment.string_id
        )
    }
    suggestion = offered.get(suggestion_id)
    if suggestion is None:
        raise Http404("No such suggestion for this segment.")
    StringTranslation.objects.update_or_create(
        translation_of_id=segment.string_id,
        locale_id=translation.target_locale_id,
        context_id=segment.context_id,
        defaults={
            "data": suggestion.data,
            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            "tool_name": "",
            "last_translated_by": request.user,
            "has_error": False,
            "field_error": "",
        },
    )
    messages.success(request, _("Suggestion accepted: “%(text)s”.") % {"text": suggestion.data})
    return _back(request, translation)


def may_use_report(user):
    """Who may open Reports → Translation memory: whoever may submit translations."""
    return user.is_active and (
        user.is_superuser or user.has_perm("wagtail_localize.submit_translation")
    )


@user_passes_test(may_use_report)
def review_report(request):
    """Memory matches awaiting review (and those already published), and the glossary check,
    of the pages the user may edit (every page and snippet for a superuser)."""
    user = request.user
    pending = list(memory.unreviewed_matches(user=user)[:500])
    nameable = memory.nameable_origins(pending, user)
    for match in pending:
        match.origin_named = match.pk in nameable
    object_ids = targets = None
    if not user.is_superuser:
        targets = set(memory.editable_pages(user).values_list("translation_key", "locale_id"))
        object_ids = {key for key, _locale in targets}
    return render(
        request,
        "newsdesk_memory/report.html",
        {
            "pending": pending,
            "findings": checks.glossary_findings(limit=500, object_ids=object_ids, targets=targets),
        },
    )
