"""The memory panel beside wagtail-localize's editor, its two actions, and the reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
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


def panel_rows(translation):
    """One row per string segment: its translation, provenance, suggestions and terms."""
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
    store = None
    terms = glossary.all_terms()
    rows = []
    for segment in segments:
        current = existing.get((segment.string_id, segment.context_id))
        match = getattr(current, "memory_match", None) if current else None
        suggestions = []
        if current is None:
            if store is None:
                store = memory.Memory(
                    translation.source.locale,
                    locale,
                    exclude_object_id=translation.source.object_id,
                )
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
                "unreviewed": bool(current and current.pk in unreviewed),
                "suggestions": suggestions,
                "terms": found_terms,
            }
        )
    return rows


def panel(request, translation_id):
    """The panel's HTML, fetched by static/newsdesk_memory/panel.js into the editor page."""
    translation = _editable_translation(request, translation_id)
    rows = panel_rows(translation)
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
    """Accept a suggestion: it becomes the segment's translation, by this translator."""
    translation = _editable_translation(request, translation_id)
    segment = get_object_or_404(StringSegment, id=segment_id, source_id=translation.source_id)
    suggestion = get_object_or_404(
        memory.trusted(StringTranslation.objects.filter(locale_id=translation.target_locale_id)),
        id=suggestion_id,
    )
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


def review_report(request):
    """Memory matches awaiting review (and those already published), and the glossary check."""
    pending = memory.unreviewed_matches()[:500]
    return render(
        request,
        "newsdesk_memory/report.html",
        {
            "pending": pending,
            "findings": checks.glossary_findings(limit=500),
        },
    )
