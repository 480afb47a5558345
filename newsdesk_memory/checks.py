"""The glossary check: segments whose translation lacks the glossary's target term."""

from dataclasses import dataclass

from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from newsdesk_memory import glossary
from newsdesk_memory.models import GlossaryTerm


@dataclass
class Finding:
    object_repr: str
    language: str
    path: str
    source_text: str
    translated_text: str
    term: GlossaryTerm
    target: str


def glossary_findings(limit=None, object_ids=None, targets=None):
    """Every translated segment whose source holds a term and whose translation lacks it.

    Untranslated segments are not findings (there is nothing to check yet). ``targets``,
    when given, keeps only the translations of those (object id, locale id) pairs.
    """
    terms = glossary.all_terms()
    if not terms:
        return []
    segments = StringSegment.objects.filter(
        source__locale__language_code=GlossaryTerm.SOURCE_LANGUAGE
    ).select_related("string", "context", "source")
    if object_ids is not None:
        segments = segments.filter(source__object_id__in=object_ids)
    with_terms = {}
    for segment in segments.iterator(chunk_size=2000):
        found = glossary.find_terms(glossary.plain(segment.string.data), terms)
        if found:
            with_terms[(segment.string_id, segment.context_id)] = (segment, found)
    if not with_terms:
        return []
    translations = StringTranslation.objects.filter(
        context_id__in={key[1] for key in with_terms}, has_error=False
    ).select_related("locale")
    reprs = dict(
        TranslationSource.objects.filter(
            object_id__in={segment.context.object_id for segment, _ in with_terms.values()}
        ).values_list("object_id", "object_repr")
    )
    findings = []
    for st in translations.iterator(chunk_size=2000):
        entry = with_terms.get((st.translation_of_id, st.context_id))
        if entry is None:
            continue
        segment, found = entry
        if targets is not None and (segment.context.object_id, st.locale_id) not in targets:
            continue
        language = st.locale.language_code
        for match in found:
            target = match.term.target(language)
            if target and not glossary.contains(glossary.plain(st.data), target, language):
                findings.append(
                    Finding(
                        object_repr=reprs.get(segment.context.object_id, ""),
                        language=language,
                        path=segment.context.path,
                        source_text=segment.string.data,
                        translated_text=st.data,
                        term=match.term,
                        target=target,
                    )
                )
        if limit and len(findings) >= limit:
            break
    return findings
