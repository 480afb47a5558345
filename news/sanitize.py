"""Defence in depth for stored rich text and URLs.

The Wagtail editor already cleans what editors type, but content also arrives
through imports, scripts and the database itself. Everything readers or API
clients receive from a paragraph block passes through :func:`clean_rich_text`
when the block value is loaded, so HTML pages, feeds and the API all get the same
clean markup: only the tags of our rich text features survive, event-handler
attributes are dropped and ``javascript:`` (or any non-web) URLs are removed.

Ordinary content takes a fast path: a single regular expression proves it holds
nothing but allowed tags and attributes, and it is returned untouched.
"""

import re

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

SAFE_SCHEMES = ("http", "https", "mailto", "tel")

_ALLOWED_TAGS = "p|br|b|i|strong|em|u|s|sub|sup|ul|ol|li|h2|h3|h4|h5|h6|hr|blockquote|code"
# A tag with no attributes, or an <a>/<embed> whose attributes are the plain ones
# Wagtail writes (linktype, id, href without a scheme other than http(s)/mailto/tel).
_SAFE_TAG = re.compile(
    rf"</?(?:{_ALLOWED_TAGS})\s*/?>"
    r"|</a\s*>"
    r'|<a(?:\s+(?:linktype|id)="[\w-]*")*(?:\s+href="(?:https?://|mailto:|tel:|/|#)[^"<>]*")?'
    r'(?:\s+(?:linktype|id)="[\w-]*")*\s*>'
    r'|<embed(?:\s+(?:embedtype|id|alt|format)="[^"<>]*")*\s*/?>',
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>?")


def safe_url(url):
    """``url`` if it is a web, mail or phone link (or relative), else ``""``."""
    if not url:
        return ""
    url = str(url).strip()
    if check_url(url) is None:
        return ""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if scheme and scheme not in SAFE_SCHEMES:
        return ""
    return url


class RichTextWhitelister(Whitelister):
    """Wagtail's whitelisting engine with the rules of stored (database-format) rich text."""

    element_rules = {
        "[document]": allow_without_attributes,
        "a": attribute_rule(
            {"href": lambda url: safe_url(url) or None, "linktype": True, "id": True}
        ),
        "embed": attribute_rule({"embedtype": True, "id": True, "alt": True, "format": True}),
        **dict.fromkeys(_ALLOWED_TAGS.split("|"), allow_without_attributes),
    }

    def clean_tag_node(self, doc, tag):
        # Script and style contents are code, not text: drop them entirely.
        if tag.name in {"script", "style", "template", "iframe", "object", "noscript"}:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def is_clean(html):
    """True when every tag in ``html`` is an allowed tag with allowed attributes."""
    if "&#" in html or "<!--" in html:
        return False
    return all(_SAFE_TAG.fullmatch(tag) for tag in _ANY_TAG.findall(html))


def clean_rich_text(html):
    """Stored rich text with everything executable removed (fast when already clean)."""
    if not html or not isinstance(html, str):
        return html
    if "<" not in html and "&#" not in html:
        return html
    if is_clean(html):
        return html
    return RichTextWhitelister().clean(html)


def clean_stream_data(raw_blocks):
    """``(cleaned, changed)`` for the raw JSON of a news body.

    Paragraph HTML goes through :func:`clean_rich_text` and quote source URLs
    through :func:`safe_url`; everything else is left as it is.
    """
    changed = False
    cleaned = []
    for block in raw_blocks or []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            safe = clean_rich_text(value)
            if safe != value:
                block, changed = {**block, "value": safe}, True
        elif kind == "quote" and isinstance(value, dict) and value.get("source_url"):
            safe = safe_url(value["source_url"])
            if safe != value["source_url"]:
                block, changed = {**block, "value": {**value, "source_url": safe}}, True
        cleaned.append(block)
    return cleaned, changed


def clean_news_body_before_save(sender, instance, **kwargs):
    """``pre_save`` of NewsPage: store only clean HTML, whatever path the content took.

    The API and feeds read the raw stream JSON for speed, so the stored value
    itself must be safe (admin edits, imports, translations and publishing a
    revision all pass through ``save``).
    """
    body = getattr(instance, "body", None)
    if body is None:
        return
    raw = list(body.raw_data) if hasattr(body, "raw_data") else body
    if not isinstance(raw, list):
        return
    cleaned, changed = clean_stream_data(raw)
    if changed:
        instance.body = cleaned
