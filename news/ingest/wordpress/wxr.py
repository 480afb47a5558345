"""Safe, streaming reader of WordPress WXR exports (Tools → Export).

The file is parsed with defusedxml (no DTDs, no entity expansion, no external
resources) and its size is bounded. Parsing is incremental: when a file is
truncated or malformed part-way, the items read before the error are still
returned, together with a clear message saying where reading stopped.
"""

import os
from dataclasses import dataclass, field
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext as _

# 200 MB: far above a newsroom's text export, far below what would exhaust memory.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class WXRError(Exception):
    """The export cannot be read at all (missing, too large, not a WXR file)."""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category or tag, as declared in the channel or used by an item."""

    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str


@dataclass
class Item:
    post_id: int | None
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    line: int | None = None

    @property
    def slug(self):
        """The post slug, percent-decoded (WordPress stores Cyrillic slugs encoded)."""
        return unquote(self.post_name or "").strip()


@dataclass
class Export:
    site_url: str = ""
    base_site_url: str = ""
    language: str = ""
    authors: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)  # (taxonomy, slug) -> Term
    items: list = field(default_factory=list)
    error: str = ""  # why reading stopped early, if it did


def _name(tag):
    """``{namespace}local`` -> ``prefix:local`` for the namespaces a WXR file uses."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace == CONTENT_NS:
        return f"content:{local}"
    if namespace == DC_NS:
        return f"dc:{local}"
    if namespace.startswith("http://wordpress.org/export/"):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
        return f"{prefix}:{local}"
    return local


def _children(element):
    return {_name(child.tag): (child.text or "") for child in element}


def _int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _item(element):
    item = Item(post_id=None, post_type="", status="")
    for child in element:
        name = _name(child.tag)
        text = child.text or ""
        if name == "title":
            item.title = text
        elif name == "link":
            item.link = text.strip()
        elif name == "dc:creator":
            item.creator = text.strip()
        elif name == "content:encoded":
            item.content = text
        elif name == "excerpt:encoded":
            item.excerpt = text
        elif name == "wp:post_id":
            item.post_id = _int(text)
        elif name == "wp:post_name":
            item.post_name = text.strip()
        elif name == "wp:post_type":
            item.post_type = text.strip()
        elif name == "wp:status":
            item.status = text.strip()
        elif name == "wp:post_date":
            item.post_date = text.strip()
        elif name == "wp:post_date_gmt":
            item.post_date_gmt = text.strip()
        elif name == "wp:attachment_url":
            item.attachment_url = text.strip()
        elif name == "category":
            domain = child.get("domain", "category")
            slug = unquote(child.get("nicename", "") or "").strip()
            item.terms.append(Term(domain, slug, text.strip()))
        elif name == "wp:postmeta":
            values = _children(child)
            key = values.get("wp:meta_key", "").strip()
            if key:
                item.meta[key] = values.get("wp:meta_value", "")
    return item


class _BoundedReader:
    """A binary file wrapper that refuses to read past ``limit`` bytes."""

    def __init__(self, handle, limit):
        self.handle = handle
        self.remaining = limit

    def read(self, size=-1):
        if size is None or size < 0:
            size = 64 * 1024
        data = self.handle.read(min(size, self.remaining + 1))
        self.remaining -= len(data)
        if self.remaining < 0:
            raise WXRError(_("the file is larger than the allowed maximum"))
        return data


def read_export(path, max_bytes=DEFAULT_MAX_BYTES):
    """Read the WXR file at ``path`` into an :class:`Export`.

    Raises :class:`WXRError` when nothing can be read. A file that breaks
    part-way returns what was read before the break, with ``export.error`` set.
    """
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise WXRError(
            _("cannot open %(path)s: %(error)s") % {"path": path, "error": exc.strerror or exc}
        ) from exc
    if size > max_bytes:
        raise WXRError(
            _("%(path)s is %(size)d bytes; the limit is %(limit)d bytes")
            % {"path": path, "size": size, "limit": max_bytes}
        )
    if size == 0:
        raise WXRError(_("%(path)s is empty") % {"path": path})

    export = Export()
    seen_rss = False
    try:
        with open(path, "rb") as handle:
            events = iterparse(
                _BoundedReader(handle, max_bytes), events=("start", "end"), forbid_dtd=True
            )
            depth = 0
            for event, element in events:
                name = _name(element.tag)
                if event == "start":
                    depth += 1
                    if depth == 1:
                        if name != "rss":
                            raise WXRError(
                                _("%(path)s is not a WordPress export (root element <%(name)s>)")
                                % {"path": path, "name": name}
                            )
                        seen_rss = True
                    continue
                depth -= 1
                # depth now counts the open ancestors: 2 means a direct child of <channel>.
                if depth != 2:
                    continue
                if name == "item":
                    export.items.append(_item(element))
                elif name == "wp:author":
                    values = _children(element)
                    login = values.get("wp:author_login", "").strip()
                    if login:
                        export.authors[login] = Author(
                            login=login,
                            email=values.get("wp:author_email", "").strip(),
                            display_name=values.get("wp:author_display_name", "").strip(),
                            first_name=values.get("wp:author_first_name", "").strip(),
                            last_name=values.get("wp:author_last_name", "").strip(),
                        )
                elif name == "wp:category":
                    values = _children(element)
                    slug = unquote(values.get("wp:category_nicename", "")).strip()
                    export.terms[("category", slug)] = Term(
                        "category", slug, values.get("wp:cat_name", "").strip()
                    )
                elif name == "wp:tag":
                    values = _children(element)
                    slug = unquote(values.get("wp:tag_slug", "")).strip()
                    export.terms[("post_tag", slug)] = Term(
                        "post_tag", slug, values.get("wp:tag_name", "").strip()
                    )
                elif name == "wp:base_site_url":
                    export.base_site_url = (element.text or "").strip()
                elif name == "link":
                    export.site_url = (element.text or "").strip()
                elif name == "language":
                    export.language = (element.text or "").strip()
                else:
                    continue
                element.clear()
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        if line:
            message = _(
                "the XML is malformed or truncated at line %(line)s, column %(column)s: %(error)s"
            ) % {"line": line, "column": column, "error": exc}
        else:
            message = _("the XML is malformed or truncated: %(error)s") % {"error": exc}
        if not seen_rss and not export.items:
            raise WXRError(message) from exc
        export.error = message
    except DefusedXmlException as exc:
        raise WXRError(
            _("the file uses XML features that are refused for safety (%(feature)s)")
            % {"feature": exc.__class__.__name__}
        ) from exc
    if not seen_rss:
        raise WXRError(_("%(path)s is not a WordPress export") % {"path": path})
    if not export.site_url:
        export.site_url = export.base_site_url
    return export
