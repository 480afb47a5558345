"""Live coverage: what readers of each language get of a live blog, and the breaking banner.

**A mode of ``NewsPage``, not a page type.** A live blog is a story that grows: it has
a title, a lead, a hero image, authors, topics, corrections, translations, a place in
listings, feeds, sitemaps, the API, search, the webhooks and the caches; newsrooms turn
a story into a live blog when events run on, and an ended live blog stays a story. As a
page type of its own, every one of those surfaces (routing's one-type shortcut under a
news index, ``NewsPageQuerySet`` listings, the API detail, invalidation's ``_is_story``,
the outbox) would learn a second type, or a multi-table child would be served as its
parent by the routes that ask ``NewsPage`` directly. As a mode it costs a few columns
(``news.live_blocks.LiveCoverageMixin``) and one collapsed panel in the editor, and
every surface keeps working; what differs (template, JSON-LD, entries in the API) asks
``page.is_live_blog``.

**Entries in three languages.** Entries are StreamField items (``entries``), so
wagtail-localize translates them one by one and keeps their ids. A reader of ``ru``
gets, for each entry id, the best version along the fallback chain
(``i18n.best_version``) among the story's live versions that *have it translated*: a
version counts for an entry when the entry's headline is not one of its untranslated
segments (``untranslated.field_languages``, the one rule). So a new Kazakh entry reaches
the Russian page at once, before any translator syncs, from the Kazakh version, marked
``lang="kk"`` (``i18n.mark``); after a sync it is still Kazakh there (and an edit of the
Kazakh entry shows at once) until its headline is translated; then the Russian entry is
served, its body's untranslated blocks marked by the same rule.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from news import cache_keys, i18n, presentation, queries, tagged_cache, untranslated
from news.live_blocks import ENDED, LIVE, stamp_time
from news.models import NewsIndex, NewsPage

# The key of every answer that shows the breaking banner (home and index pages): purged
# when a story becomes, or stops being, breaking (news.live.signals).
BANNER = "live-banner"


@dataclass
class Entry:
    """One entry as readers of ``requested`` get it (``content_language`` may differ)."""

    id: str
    at: datetime.datetime
    modified: datetime.datetime
    headline: str
    body: object  # the StreamValue of the entry's body
    authors: list
    key_event: bool
    pinned: bool
    content_language: str
    requested: str
    version: NewsPage  # the version the entry comes from
    segment_languages: untranslated.FieldLanguages = field(
        default_factory=untranslated.FieldLanguages
    )

    @property
    def is_fallback(self):
        return self.content_language != self.requested

    @property
    def anchor(self):
        return anchor(self.id)

    @property
    def headline_language(self):
        return self.segment_languages.fields.get("headline")


def anchor(entry_id):
    """The entry's stable ``#anchor``: the same in every language (ids survive translation)."""
    return f"live-{entry_id[:8]}"


def _aware(value):
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def entries_for(page, language, versions=None, *, preview=False):
    """The entries of live blog ``page`` for readers of ``language``, newest first.

    ``versions``: the story's live versions ``{code: page}`` (``queries.story_versions``),
    loaded when not given; a preview shows ``page``'s own entries only (as drafted).
    """
    if versions is None:
        versions = {} if preview else queries.story_versions(page.translation_key)
    versions = {**versions, page.locale.language_code: page}
    candidates = {}  # entry id -> {code: (version, block, {path: language})}
    position = {}  # entry id -> its place in the streams (new entries go on top)
    for code, version in versions.items():
        if not version.is_live_blog and version is not page:
            continue
        languages = untranslated.field_languages(version, preview=preview)
        for block in version.entries or []:
            if block.block_type != "entry" or not block.id:
                continue
            of_entry = languages.of_block(block.id)
            if "headline" in of_entry:  # not translated here yet: another version's
                continue
            candidates.setdefault(block.id, {})[code] = (version, block, of_entry)
            position.setdefault(block.id, len(position))
    entries = []
    for entry_id, found in candidates.items():
        best = i18n.best_version(found, language)
        if best is None:  # in no language of the chain: its source's
            best = next(iter(found.values()))
        version, block, of_entry = best
        stamp = (version.live_stamps or {}).get(entry_id) or [None, None, None]
        value = block.value
        at = _aware(value.get("at")) or stamp_time(stamp[1]) or version.last_published_at
        entries.append(
            Entry(
                id=entry_id,
                at=at,
                modified=stamp_time(stamp[2]) or at,
                headline=value.get("headline") or "",
                body=value.get("body") or [],
                authors=list(value.get("authors") or []),
                key_event=bool(value.get("key_event")),
                pinned=bool(value.get("pinned")),
                content_language=version.locale.language_code,
                requested=language,
                version=version,
                segment_languages=untranslated.FieldLanguages.from_paths(of_entry),
            )
        )
    entries.sort(key=lambda entry: (entry.at, -position[entry.id]), reverse=True)
    return entries


def pinned_first(entries):
    """Pinned entries first (newest first among them), then the others, newest first."""
    return [e for e in entries if e.pinned] + [e for e in entries if not e.pinned]


def localize_authors(entries, language):
    """Each entry's authors in ``language``'s best version (one query for all entries)."""
    everyone = [author for entry in entries for author in entry.authors]
    if not everyone:
        return entries
    localized = iter(queries.localized_authors(everyone, language))
    for entry in entries:
        entry.authors = [next(localized) for _author in entry.authors]
    return entries


# --- Cursors: "what changed after this" --------------------------------------------


class BadCursor(ValueError):
    """A ``since`` cursor this server did not make."""


def cursor(moment):
    """An opaque cursor for ``moment`` (an aware datetime; None: the beginning)."""
    if moment is None:
        return ""
    micros = int(moment.timestamp() * 1_000_000)
    return base64.urlsafe_b64encode(f"v1:{micros}".encode()).decode().rstrip("=")


def parse_cursor(value):
    """The moment of a cursor made by :func:`cursor`; None for an empty one; else BadCursor."""
    if not value:
        return None
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        version, _colon, micros = text.partition(":")
        if version != "v1" or not micros.isdigit() or len(micros) > 20:
            raise BadCursor(value)
        return datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError, OSError) as error:
        raise BadCursor(value) from error


def latest_change(entries):
    return max((entry.modified for entry in entries if entry.modified), default=None)


def changed_since(entries, moment):
    """The entries added or changed after ``moment`` (all of them when it is None)."""
    if moment is None:
        return list(entries)
    return [entry for entry in entries if entry.modified and entry.modified > moment]


# --- What a reader's page shows ------------------------------------------------------


def reader_context(page, request):
    """The ``newsdesk_reader_context`` of live blogs: entries, key events, the poll URL."""
    if isinstance(page, NewsIndex):
        return {"live_banner": banner(queries.request_language(request), request)}
    if not isinstance(page, NewsPage) or not page.is_live_blog:
        return {}
    language = queries.request_language(request)
    preview = getattr(request, "is_preview", False)
    entries = localize_authors(entries_for(page, language, preview=preview), language)
    cache_keys.add(cache_keys.story(page.translation_key))
    return {
        "live_entries": pinned_first(entries),
        "live_key_events": [entry for entry in entries if entry.key_event],
        "live_cursor": cursor(latest_change(entries)),
        "live_is_live": page.live_status == LIVE,
        "live_updates_url": None if preview else updates_url(page, language),
    }


def updates_url(page, language):
    from django.urls import reverse  # the API's URLs are the host's (mounted or not)

    try:
        return reverse("newsdesk_api:news-updates", args=[page.pk]) + f"?locale={language}"
    except Exception:  # noqa: BLE001 - a host without the API: no polling, the page works
        return None


# --- The breaking banner -----------------------------------------------------------------


def banner(language, request=None):
    """The breaking stories readers of ``language`` see in the banner, newest first.

    Each story once, in its best version for ``language`` (marked when a fallback, its
    title's language in ``field_locales``); flagged ``breaking`` and not an ended live blog.
    """
    cache_keys.add(BANNER)
    if not _breaking_stories():
        return []  # the usual case: no query
    rows = _breaking().for_listing()
    by_story = {}
    for page in rows[:30]:
        by_story.setdefault(page.translation_key, []).append(page)
    chosen = [i18n.best_version(pages, language) for pages in by_story.values()]
    chosen = [page for page in chosen if page is not None][:3]
    return presentation.decorate(chosen, language, request)


def _breaking():
    return NewsPage.objects.visible().filter(Q(breaking=True) & ~Q(live_status=ENDED))


def _breaking_stories():
    """The translation keys of the stories in the banner, in any language: kept until the
    banner's key (a breaking story saved) or one of theirs (one unflagged, ended,
    unpublished) is purged, so that an index or home page without a banner asks nothing."""
    return tagged_cache.memoize(
        "live-banner",
        lambda: sorted({key.hex for key in _breaking().values_list("translation_key", flat=True)}),
        keys=lambda stories: [BANNER, *(cache_keys.story(key) for key in stories)],
    )


def banner_label(page):
    return _("Live") if page.live_status == LIVE else _("Breaking")


# --- JSON-LD: LiveBlogPosting ------------------------------------------------------------


def live_blog_posting(article, page, entries, url):
    """``article`` (the story's NewsArticle JSON-LD) as a schema.org ``LiveBlogPosting``.

    Google's live-blog guidelines: ``coverageStartTime`` (and ``coverageEndTime`` once
    ended), one ``liveBlogUpdate`` ``BlogPosting`` per entry with ``headline``,
    ``datePublished``, ``dateModified`` and its ``url`` (the page's, with the entry's
    anchor); ``dateModified`` of the whole follows the latest entry.
    """
    data = {**article, "@type": "LiveBlogPosting"}
    if page.coverage_start:
        data["coverageStartTime"] = page.coverage_start.isoformat()
    if page.coverage_end or page.live_status == ENDED:
        end = page.coverage_end or latest_change(entries) or page.last_published_at
        data["coverageEndTime"] = end.isoformat() if end else None
    latest = latest_change(entries)
    if latest and (not data.get("dateModified") or latest.isoformat() > data["dateModified"]):
        data["dateModified"] = latest.isoformat()
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.headline[:110],
            "datePublished": entry.at.isoformat() if entry.at else None,
            "dateModified": (entry.modified or entry.at).isoformat() if entry.at else None,
            "url": f"{url}#{entry.anchor}",
            "inLanguage": entry.content_language,
            **(
                {"author": [{"@type": "Person", "name": a.name} for a in entry.authors]}
                if entry.authors
                else {}
            ),
        }
        for entry in entries
    ]
    return data
