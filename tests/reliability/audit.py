"""Checks that a response carries nothing a browser or feed reader would execute."""

import json
import re
from html.parser import HTMLParser

from defusedxml import ElementTree

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "data", "poster", "xlink:href"}
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class ScriptAudit(HTMLParser):
    """Inline scripts (other than JSON data blocks), event handlers and script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = []
        self.data_blocks = []
        self.handlers = []
        self.bad_urls = []
        self._capture = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in URL_ATTRIBUTES and _BAD_SCHEME.match(value or ""):
                # data: images are harmless; data: documents are not
                if not (tag == "img" and (value or "").lower().startswith("data:image/")):
                    self.bad_urls.append((tag, name, value))
        if tag == "script":
            if attrs.get("src"):
                return
            kind = (attrs.get("type") or "").lower()
            target = self.data_blocks if kind in DATA_SCRIPT_TYPES else self.inline_scripts
            target.append("")
            self._capture = target

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._capture is not None:
            self._capture[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._capture = None

    def problems(self):
        return {
            key: value
            for key, value in {
                "inline_scripts": self.inline_scripts,
                "handlers": self.handlers,
                "bad_urls": self.bad_urls,
            }.items()
            if value
        }


def audit_html(html):
    """Problems in ``html`` (empty dict when clean); JSON data blocks must parse."""
    parser = ScriptAudit()
    parser.feed(html)
    parser.close()
    problems = parser.problems()
    for block in parser.data_blocks:
        if "</" in block.lower():
            problems.setdefault("data_block_breakout", []).append(block[:200])
        json.loads(block)  # a data block that is not JSON would be a template bug
    return problems


def _carries_html(element):
    """Elements whose text feed readers render as HTML (the rest is plain text)."""
    tag = element.tag.rsplit("}", 1)[-1]
    namespace = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""
    if tag == "encoded":  # content:encoded
        return True
    if tag == "description" and not namespace:  # RSS <description>
        return True
    if tag in {"content", "summary", "title", "subtitle"} and namespace.endswith("Atom"):
        return element.attrib.get("type") in {"html", "xhtml"}
    if namespace.endswith("mrss/"):  # media:title / media:description type="html"
        return element.attrib.get("type") == "html"
    return False


def audit_xml(content):
    """Parse a feed or sitemap (must be well-formed): every HTML-bearing text is clean,
    no link or URL is a script URL."""
    root = ElementTree.fromstring(content)
    problems = {}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        urls = [v for k, v in element.attrib.items() if k in {"href", "url", "src"}]
        if tag in {"link", "loc", "guid", "id", "uri"} and element.text:
            urls.append(element.text)
        for url in urls:
            if _BAD_SCHEME.match(url):
                problems.setdefault("bad_urls", []).append((element.tag, url[:200]))
        if element.text and _carries_html(element):
            for key, value in audit_html(element.text).items():
                problems.setdefault(key, []).extend((element.tag, item) for item in value)
    return problems


def audit_json(data, path="$"):
    """Every ``html`` value is clean HTML and no URL-ish value is a script URL."""
    problems = {}

    def visit(value, where, key=""):
        if isinstance(value, dict):
            for child_key, child in value.items():
                visit(child, f"{where}.{child_key}", child_key)
        elif isinstance(value, list):
            for position, child in enumerate(value):
                visit(child, f"{where}[{position}]", key)
        elif isinstance(value, str):
            if _BAD_SCHEME.match(value) and key.endswith(("url", "href", "src", "link")):
                problems.setdefault("bad_urls", []).append((where, value[:200]))
            if key == "html":
                for name, found in audit_html(value).items():
                    problems.setdefault(name, []).extend((where, item) for item in found)

    visit(data, path)
    return problems
