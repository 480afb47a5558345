"""Finding glossary terms in a text, aware of Kazakh (and Russian) inflection.

The words are stemmed with the search app's analyzer (``search.analysis``): the stemmer
that makes «Алматы облысының» find «Алматы облысы» in search makes it find the glossary
term here. A term matches a run of consecutive words of the text whose stems meet the
term's words' stems, one for one.
"""

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from newsdesk_memory.models import GlossaryTerm
from search.analysis import _DERIVATIONAL, TOKEN_RE, normalize, stems

TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Match:
    term: GlossaryTerm
    start: int
    end: int
    text: str


def _words(text, language):
    """(start, end, stems, word) of each word of ``text``."""
    words = []
    for m in TOKEN_RE.finditer(text or ""):
        word = normalize(m.group())
        words.append((m.start(), m.end(), frozenset(stems(word, language)), word))
    return words


@lru_cache(maxsize=4096)
def _term_stems(term, language):
    return tuple((word[2], word[3]) for word in _words(term, language))


def _derived(word, stem):
    """The derivational suffix (-лық, -тық ...) that follows ``stem`` in ``word``, or ""."""
    rest = word[len(stem) :] if word.startswith(stem) else ""
    return next((suffix for suffix in _DERIVATIONAL if rest.startswith(suffix)), "")


def _same_word(text_word, term_word):
    """A text word is a term word if they share a stem and it is not another lexeme.

    The search stemmer also strips derivational suffixes (recall matters more there), so
    «облыстық» ("regional") meets «облысы» ("region") on «облыс». A glossary match must
    be the same word: a derivational suffix the term word lacks rules it out.
    """
    shared = text_word[2] & term_word[0]
    return any(_derived(text_word[3], s) == _derived(term_word[1], s) for s in shared)


def _find(words, term_stems):
    """Start indexes in ``words`` where the term's words match one for one."""
    size = len(term_stems)
    if not size:
        return
    for i in range(len(words) - size + 1):
        if all(_same_word(words[i + k], term_stems[k]) for k in range(size)):
            yield i


def plain(text):
    """A segment's text without its inline markup (links, bold), entities decoded."""
    return html.unescape(TAG_RE.sub("", text or ""))


def find_terms(text, terms, language=GlossaryTerm.SOURCE_LANGUAGE):
    """The glossary ``terms`` found in ``text`` (a text in ``language``), longest first.

    Overlapping matches keep the longer term («Алматы облысының әкімі» over «Алматы облысы»).
    """
    words = _words(text, language)
    found = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        term_stems = _term_stems(term.source, language)
        for i in _find(words, term_stems):
            start, end = words[i][0], words[i + len(term_stems) - 1][1]
            if any(start < m.end and m.start < end for m in found):
                continue
            found.append(Match(term, start, end, text[start:end]))
    return sorted(found, key=lambda m: m.start)


def contains(text, phrase, language):
    """Whether ``text`` contains ``phrase`` in any inflected form (stems of ``language``)."""
    phrase_stems = _term_stems(phrase, language)
    return any(True for _ in _find(_words(text, language), phrase_stems))


def all_terms():
    return list(GlossaryTerm.objects.all())


def missing_targets(source_text, translated_text, language, terms):
    """The terms found in ``source_text`` whose target in ``language`` the translation lacks."""
    missing = []
    for match in find_terms(plain(source_text), terms):
        target = match.term.target(language)
        if target and not contains(plain(translated_text), target, language):
            missing.append(match.term)
    return missing


class MachineGlossary:
    """The glossary as ``news.desk.machine_translation`` asks for it (see its docstring)."""

    def __init__(self, terms, source_language, target_language):
        self.source_language = source_language
        self.target_language = target_language
        self.terms = [t for t in terms if t.target(target_language)]

    @property
    def entries(self):
        return [(t.source, t.target(self.target_language)) for t in self.terms]

    def spans(self, text):
        return [
            (m.start, m.end, m.term.target(self.target_language))
            for m in find_terms(text, self.terms, self.source_language)
        ]


def machine_glossary(source_locale, target_locale):
    """Hook ``newsdesk_machine_translation_glossary``: our glossary for kk → ru/en."""
    source = source_locale.language_code.split("-")[0]
    if source != GlossaryTerm.SOURCE_LANGUAGE:
        return None
    glossary = MachineGlossary(all_terms(), source, target_locale.language_code.split("-")[0])
    return glossary if glossary.terms else None
