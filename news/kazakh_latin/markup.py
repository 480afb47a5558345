"""Transliterating HTML (rich text) and StreamField values: their text, nothing else.

``html_to_latin`` walks the markup with one regular expression for tags and comments
instead of parsing it: the tags, their attributes (hrefs, ``linktype="page"``,
``<embed/>``) and the entities come out byte for byte as they went in, which a parser
that re-serialises (BeautifulSoup, html5lib) does not promise. Text inside ``<code>``,
``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``, ``<textarea>``, inside an
element marked ``translate="no"`` or in another language (``lang="ru"``, ``lang="en"``)
is left as it is.

``stream_to_latin`` rebuilds a StreamField value with every text field of its blocks
transliterated (rich text through ``html_to_latin``), walking the block definitions:
CharBlock and TextBlock values are text; URLs, e-mail addresses, choices, dates,
images and embeds are not.
"""

import re

from wagtail import blocks
from wagtail.blocks import StreamValue

from news.kazakh_latin.text import to_latin

TAG_RE = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w:-]*)")
_LANG_RE = re.compile(r"""\blang\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_NO_TRANSLATE_RE = re.compile(r"""\btranslate\s*=\s*["']?no\b""", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r"""(\s(?:alt|title|aria-label|placeholder)\s*=\s*")([^"]*)(")""")
KEEP_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "var"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def _keeps_text(name, tag):
    if name in KEEP_TAGS or _NO_TRANSLATE_RE.search(tag):
        return True
    lang = _LANG_RE.search(tag)
    return bool(lang) and not lang.group(1).lower().startswith("kk")


def html_to_latin(html, version=None, spellings=None, attributes=False):
    """The text of ``html`` in Latin letters; tags, attributes and entities untouched.

    With ``attributes=True`` the texts readers see in attributes (alt, title,
    aria-label, placeholder) are transliterated too: for a whole rendered page.
    """
    if not html:
        return html
    out = []
    kept = []  # names of the open elements whose text is kept as it is
    position = 0
    for match in TAG_RE.finditer(html):
        if match.start() > position:
            text = html[position : match.start()]
            out.append(text if kept else to_latin(text, version, spellings))
        tag = match.group()
        position = match.end()
        name_match = _TAG_NAME_RE.match(tag)
        if name_match:
            closing, name = name_match.group(1), name_match.group(2).lower()
            if closing:
                if kept and kept[-1] == name:
                    kept.pop()
            elif name not in VOID_TAGS and not tag.endswith("/>"):
                if kept or _keeps_text(name, tag):
                    kept.append(name)
            if attributes and not kept and not closing:
                tag = _ATTRIBUTE_RE.sub(
                    lambda m: m.group(1) + to_latin(m.group(2), version, spellings) + m.group(3),
                    tag,
                )
        out.append(tag)
    if position < len(html):
        text = html[position:]
        out.append(text if kept else to_latin(text, version, spellings))
    return "".join(out)


def _value_to_latin(block, value, version, spellings):
    if value in (None, ""):
        return value
    if isinstance(block, blocks.RichTextBlock):
        return html_to_latin(getattr(value, "source", value), version, spellings)
    if isinstance(block, blocks.URLBlock | blocks.EmailBlock | blocks.RawHTMLBlock):
        return value
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return to_latin(value, version, spellings)
    if isinstance(block, blocks.StructBlock):
        return {
            name: (
                _value_to_latin(block.child_blocks[name], child, version, spellings)
                if name in block.child_blocks
                else child
            )
            for name, child in value.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": _value_to_latin(block.child_block, item["value"], version, spellings)}
            if isinstance(item, dict) and "value" in item and "type" in item
            else _value_to_latin(block.child_block, item, version, spellings)
            for item in value
        ]
    if isinstance(block, blocks.StreamBlock):
        return _raw_stream_to_latin(block, value, version, spellings)
    return value


def _raw_stream_to_latin(stream_block, raw, version, spellings, keep=None):
    result = []
    for item in raw:
        child = stream_block.child_blocks.get(item.get("type"))
        if child is None or (keep and keep(item)):
            result.append(item)
            continue
        result.append({**item, "value": _value_to_latin(child, item["value"], version, spellings)})
    return result


def stream_to_latin(stream_value, version=None, spellings=None, keep=None):
    """A new ``StreamValue``: ``stream_value`` with the text of its blocks in Latin letters.

    Paragraphs (rich text), headings, quotes with their speaker and role, image
    captions and credits, notes: every CharBlock, TextBlock and RichTextBlock, at any
    depth. ``keep(raw_block)`` returning True leaves a block as it is (a block still in
    another language, say). The value renders with the same templates as the original.
    """
    if not stream_value:
        return stream_value
    stream_block = stream_value.stream_block
    raw = _raw_stream_to_latin(
        stream_block, list(stream_value.raw_data), version, spellings, keep=keep
    )
    return StreamValue(stream_block, raw, is_lazy=True)
