"""Machine translation that honours the newsroom's glossary.

Apps offer a glossary through the Wagtail hook ``newsdesk_machine_translation_glossary``:
a function ``(source_locale, target_locale)`` returning ``None`` or an object with

* ``entries``: ``[(source term, target term), ...]``, the whole term base for the pair;
* ``spans(text)``: ``[(start, end, target term), ...]`` where the text holds a term (in
  any inflected form: the ``newsdesk_memory`` app matches on stems).

``with_glossary(translator)`` wraps a wagtail-localize machine translator:

* DeepL gets a real DeepL glossary (``POST /v2/glossaries``, TSV entries), created once
  per content of the term base and passed as ``glossary_id`` through the translator's own
  ``GLOSSARY_IDS`` option;
* any other service gets the terms substituted: each term in the source becomes a
  placeholder the service leaves alone (``[[T0]]``), and the placeholder becomes the
  target term in its answer (in its dictionary form: the check in ``newsdesk_memory``
  still finds it).

Hand-written: wagtail-localize reads fixed glossary ids from settings and has no notion
of a term base edited by the newsroom.
"""

import hashlib
import html
import re

import requests
from django.core.cache import cache
from wagtail import hooks
from wagtail_localize.machine_translators.deepl import DeepLTranslator, language_code
from wagtail_localize.strings import StringValue

HOOK = "newsdesk_machine_translation_glossary"
PLACEHOLDER = "[[T{}]]"
PLACEHOLDER_RE = re.compile(r"\[\[\s*T(\d+)\s*\]\]")


def glossary_for(source_locale, target_locale):
    for provider in hooks.get_hooks(HOOK):
        glossary = provider(source_locale, target_locale)
        if glossary is not None:
            return glossary
    return None


def _clean(term):
    return " ".join(term.replace("\t", " ").split())


def deepl_glossary_id(translator, source_lang, target_lang, entries):
    """The id of a DeepL glossary holding ``entries``, created on first use."""
    tsv = "\n".join(f"{_clean(s)}\t{_clean(t)}" for s, t in entries if _clean(s) and _clean(t))
    endpoint = translator.get_api_endpoint().rsplit("/translate", 1)[0] + "/glossaries"
    key = (
        "newsdesk:deepl-glossary:"
        + hashlib.sha256(f"{endpoint}|{source_lang}|{target_lang}|{tsv}".encode()).hexdigest()
    )
    glossary_id = cache.get(key)
    if glossary_id:
        return glossary_id
    response = requests.post(
        endpoint,
        data={
            "name": f"newsdesk {source_lang}-{target_lang}",
            "source_lang": source_lang,
            "target_lang": target_lang,
            "entries": tsv,
            "entries_format": "tsv",
        },
        headers=translator.get_headers(),
        timeout=int(translator.options.get("TIMEOUT", 30)),
    )
    response.raise_for_status()
    glossary_id = response.json()["glossary_id"]
    cache.set(key, glossary_id, 24 * 3600)
    return glossary_id


def substitute(glossary, string):
    """(the string with placeholders, the target terms by placeholder number)."""
    data = string.data
    targets = []
    pieces = []
    position = 0
    for start, end, target in sorted(glossary.spans(data)):
        if start < position:
            continue
        pieces.append(data[position:start])
        pieces.append(PLACEHOLDER.format(len(targets)))
        targets.append(target)
        position = end
    pieces.append(data[position:])
    return StringValue("".join(pieces)), targets


def restore(data, targets):
    def term(match):
        number = int(match.group(1))
        return html.escape(targets[number]) if number < len(targets) else match.group(0)

    return PLACEHOLDER_RE.sub(term, data)


class GlossaryTranslator:
    """A wagtail-localize machine translator, with the glossary applied."""

    def __init__(self, translator):
        self.translator = translator
        self.display_name = translator.display_name
        self.options = translator.options

    def can_translate(self, source_locale, target_locale):
        return self.translator.can_translate(source_locale, target_locale)

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        glossary = glossary_for(source_locale, target_locale)
        if glossary is None or not strings:
            return self.translator.translate(source_locale, target_locale, strings)
        if isinstance(self.translator, DeepLTranslator):
            source_lang = language_code(source_locale.language_code)
            target_lang = language_code(target_locale.language_code, is_target=True)
            glossary_id = deepl_glossary_id(
                self.translator, source_lang, target_lang, glossary.entries
            )
            with_glossary = type(self.translator)(
                {**self.options, "GLOSSARY_IDS": {(source_lang, target_lang): glossary_id}}
            )
            return with_glossary.translate(source_locale, target_locale, strings)
        substituted = {string: substitute(glossary, string) for string in strings}
        answers = self.translator.translate(
            source_locale, target_locale, [value for value, _targets in substituted.values()]
        )
        result = {}
        for string, (value, targets) in substituted.items():
            answer = answers.get(value)
            if answer is not None and answer.data is not None:
                result[string] = StringValue(restore(answer.data, targets))
        return result


def with_glossary(translator):
    """``translator`` wrapped so that it receives the glossary (None stays None)."""
    return None if translator is None else GlossaryTranslator(translator)
