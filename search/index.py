"""Keeping the search index (``SearchEntry``) in step with live content.

``index_page`` and ``remove_page`` are called by the signal handlers in
``search.signals`` (publish, unpublish, translation publish; deletion cascades),
``rebuild`` by the ``rebuild_search_index`` command and by whatever loads demo
content.
"""

import html

from django.db import transaction
from django.utils.html import strip_tags

from news.models import Author, NewsPage
from search import analysis
from search.models import SearchEntry

BATCH_SIZE = 200


def _block_texts(block):
    """The strings of one StreamField block: ``(story text, other searchable text)``.

    The story's own words (paragraphs, headings, quotes) are what a search snippet
    shows; an image's caption and credit and an embed's title are found by a search
    but never quoted in a snippet (issue 32: captions and credits ran into it).
    """
    value = block.value
    kind = block.block_type
    if kind == "paragraph":
        source = getattr(value, "source", value) or ""
        # Block-level tags end words: "<p>a</p><p>b</p>" must not read "ab".
        source = source.replace("<", " <").replace(">", "> ")
        return [html.unescape(strip_tags(source))], []
    if kind == "heading":
        return [value.get("text") or ""], []
    if kind == "quote":
        return [
            value.get("text") or "",
            value.get("attribution") or "",
            value.get("role") or "",
        ], []
    if kind == "image":
        return [], [value.get("caption") or "", value.get("credit") or ""]
    if kind == "embed":
        embed = getattr(value, "embed", None) if value else None
        return [], [getattr(embed, "title", "") or ""] if embed else []
    return [], []


def author_names(page):
    """The names of ``page``'s authors in every language they are written in (one query)."""
    keys = page.author_links.values("author__translation_key")
    names = Author.objects.filter(translation_key__in=keys).order_by("pk")
    return list(dict.fromkeys(names.values_list("name", flat=True)))


def _join(parts):
    return "\n".join(" ".join(part.split()) for part in parts if part and part.strip())


def story_text(page):
    """The story's own text on ``page``, title excluded: its lead and body words.

    What a search snippet quotes: no byline, author names, captions, credits or
    notes, which ``page_text`` adds for the search itself.
    """
    parts = [page.lead]
    for block in page.body:
        parts.extend(_block_texts(block)[0])
    return _join(parts)


def page_text(page):
    """Everything a reader can read on ``page`` except its title, as plain text.

    The byline is in it, authors' names in each of their languages included, so a
    search for a reporter finds their stories.
    """
    parts = [page.lead, page.image_caption, page.byline, *author_names(page)]
    for block in page.body:
        own, other = _block_texts(block)
        parts.extend(own)
        parts.extend(other)
    parts.extend(note.value.get("text") for note in page.notes or [])
    parts.append(page.search_description)
    return _join(parts)


def build_entry(page):
    """An unsaved ``SearchEntry`` for ``page`` (a ``NewsPage``)."""
    language = page.locale.language_code
    text = page_text(page)
    return SearchEntry(
        page_id=page.pk,
        translation_key=page.translation_key,
        language=language,
        title_words=analysis.term_string(analysis.tokenize(page.title)),
        title_terms=analysis.term_string(analysis.analyze(page.title, language)),
        body_terms=analysis.term_string(analysis.analyze(text, language), unique=False),
        text=story_text(page),
    )


def index_page(page):
    """Index the live version of ``page``; a page that is not live is removed."""
    page = page.specific
    if not isinstance(page, NewsPage):
        return None
    if not page.live:
        remove_page(page)
        return None
    entry = build_entry(page)
    fields = ["translation_key", "language", "title_words", "title_terms", "body_terms", "text"]
    SearchEntry.objects.update_or_create(
        page_id=page.pk, defaults={field: getattr(entry, field) for field in fields}
    )
    return entry


def remove_page(page):
    SearchEntry.objects.filter(page_id=page.pk).delete()


def rebuild(progress=None):
    """Rebuild the whole index from live news pages; returns the number of entries.

    ``progress(done, total)`` is called after each batch.
    """
    pages = NewsPage.objects.live().select_related("locale").order_by("pk")
    total = pages.count()
    done = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if progress:
            progress(0, total)
        batch = []
        for page in pages.iterator(chunk_size=BATCH_SIZE):
            batch.append(build_entry(page))
            if len(batch) >= BATCH_SIZE:
                SearchEntry.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            SearchEntry.objects.bulk_create(batch)
            done += len(batch)
            if progress:
                progress(done, total)
    return done
