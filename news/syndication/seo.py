"""What feeds, sitemaps and the page <head> say about a page, defined once.

Publication dates, the hero image rendition shared on social networks and in
feeds, the author or source line, and Open Graph locales. Nothing here runs a
query of its own when the image and its renditions were prefetched
(``news.renditions.image_prefetch``).
"""

import html
import json
import logging
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from news import image_rights
from news.renditions import RENDITIONS

logger = logging.getLogger(__name__)

# The rendition every share preview and feed enclosure uses (1200x630 JPEG).
SHARE_RENDITION = "og"
SHARE_MIME_TYPE = "image/jpeg"

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}

# Escapes that make JSON safe inside <script type="application/ld+json">:
# the same table as django.utils.html.json_script, which cannot set another type.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def og_locale(language):
    return OG_LOCALES.get(language, language)


def publication_datetime(page, story_first_published=None):
    """When the story was published, as an aware datetime.

    ``NewsPage.date`` is the date readers see; the time of day comes from the story's
    first publication (``story_first_published``: its earliest version's, the same
    for every language; else this version's own) when it happened that day. A date an
    editor set to another day (an imported or back-dated story) has no known time:
    midnight. Pages without ``date`` use their first publication.
    """
    published = story_first_published or page.first_published_at
    day = getattr(page, "date", None)
    if day is None:
        return published
    if published is not None and timezone.localdate(published) == day:
        return published
    return timezone.make_aware(datetime.combine(day, time.min))


def modification_datetime(page, story_first_published=None):
    """When the story last changed for its readers.

    A news page's latest editor's note (correction, update, clarification) when it
    has one, else its publication: a typo fixed and republished is not an update; a
    live blog's latest entry, when later (news.live).
    Other pages: the last time a new version went live.
    """
    if hasattr(page, "updated_at"):
        found = page.updated_at or publication_datetime(page, story_first_published)
        entry = getattr(page, "last_entry_at", None)  # a live blog: its latest entry
        return max(found, entry) if found and entry else found or entry
    return page.last_published_at or page.first_published_at


def image_alt(page):
    """The hero image's alt text on ``page`` (its own, else the caption; never the file title)."""
    return getattr(page, "image_alt_text", "") or ""


def author_name(page):
    """The byline of a story: its authors' names (``display_authors``, set by
    ``news.presentation.decorate``) and the free-text byline, else an empty string."""
    names = [author.name for author in getattr(page, "display_authors", None) or []]
    if getattr(page, "byline", ""):
        names.append(page.byline)
    return ", ".join(names)


def publisher_name():
    return settings.WAGTAIL_SITE_NAME


def share_rendition(image):
    """The "og" rendition of ``image`` or None (a broken image file never breaks a page)."""
    if image is None:
        return None
    try:
        return image.get_rendition(RENDITIONS[SHARE_RENDITION])
    except Exception:  # a missing or unreadable source file
        logger.warning("No share rendition for image %s", image.pk, exc_info=True)
        return None


def rendition_size(rendition):
    """The rendition's file size in bytes, or 0 when the storage cannot say."""
    try:
        return rendition.file.size
    except Exception:  # remote storage down, file deleted
        return 0


def absolute_url(request, url):
    """``url`` made absolute against the request (already absolute URLs pass through)."""
    if not url:
        return url
    if request is None:
        return url
    return request.build_absolute_uri(url)


def description_of(page, length=300):
    """The SEO description: the editor's search description, else the lead, else the intro."""
    text = page.search_description or getattr(page, "lead", "") or ""
    if not text:
        text = html.unescape(strip_tags(getattr(page, "intro", "") or ""))
    text = " ".join(text.split())
    return Truncator(text).chars(length)


def title_of(page):
    """The SEO title: the editor's title for search engines, else the page title."""
    return page.seo_title or page.title


def image_object_rights(image, override=""):
    """schema.org ImageObject fields of ``image``'s credit and licence (news.image_rights):
    ``creditText`` (the story's ``override`` credit, else the image's), ``copyrightNotice``,
    ``license`` and ``acquireLicensePage`` (where the image was obtained); {} when none."""
    data = {}
    credit = image_rights.credit(image, override)
    if credit:
        data["creditText"] = credit
        data["copyrightNotice"] = credit
    rights = image_rights.rights_of(image)
    if rights is not None:
        if rights.licence_link:
            data["license"] = rights.licence_link
        if rights.source_url:
            data["acquireLicensePage"] = rights.source_url
    return data


def json_ld_script(data):
    """``data`` as a <script type="application/ld+json"> block, safely escaped.

    JSON-LD is a data block, not a script: a Content-Security-Policy without
    'unsafe-inline' does not block it, because browsers never execute it.
    """
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, cls=_LazyEncoder)
    payload = payload.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


class _LazyEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        try:
            return str(o)  # lazy translation strings
        except Exception:  # pragma: no cover
            return super().default(o)
