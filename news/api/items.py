"""The API's list items, each kept with the cache keys of what it shows.

A listing page the response cache has not kept (page 37, a topic, an author, a date
range: the long tail) is mostly made of stories other answers have shown already. Each
story version's list item (``NewsSummarySerializer``) for one requested language is kept on
its own, valid while the story's cache key (news.cache_keys: its translations, image,
topics, authors, notes), the keys of the topics it names and ``site`` are unchanged
(news.tagged_cache, the one tagged cache). A listing then costs the query that finds
which stories are on the page, one read of the kept items and of their keys' tokens, and
builds only the missing items, in one batch, with the shared rules
(``presentation.decorate``).

Each item is kept with the time its story last changed (:func:`changed_at`), so that a
listing says when its newest content changed (``Last-Modified``) without a query.

Hand-written for the same reason as news.fragments: Django's cache has no entries
invalidated by what they show.
"""

import hashlib
from datetime import UTC, datetime

from django.utils import translation

from news import cache_keys, presentation
from news import tagged_cache as store
from news.api import serializers as s
from news.queries import story_changed_at

PREFIX = "newsdesk:item:v2"


class Summaries(list):
    """List items in order, with ``modified``: when the newest of them last changed."""

    modified = None


# When the list item of a page last changed (a timestamp): news.querysets.story_changed_at.
changed_at = story_changed_at


def newest(times):
    """The newest of ``times`` (timestamps, None ignored) as an aware datetime, or None."""
    times = [time for time in times if time is not None]
    return datetime.fromtimestamp(max(times), tz=UTC) if times else None


def summaries(request, language, ids, load):
    """The list items of the story versions ``ids``, in that order.

    ``load(ids)`` returns the listing rows (``for_listing``) of those it must build. Every
    item shown registers its keys with the answer being built, as a built one would.
    """
    if not ids:
        return Summaries()
    base = f"{request.scheme}://{request.get_host()}\n{language}"
    entry_keys = {pk: f"{PREFIX}:{_digest(base, pk)}" for pk in ids}
    found = store.get_many(list(entry_keys.values()))
    items = {pk: found[key] for pk, key in entry_keys.items() if key in found}
    for _summary, keys, _changed in items.values():
        cache_keys.add(*keys)
    missing = [pk for pk in ids if pk not in items]
    if missing:
        items.update(_build(request, language, load(missing), entry_keys))
    shown = [items[pk] for pk in ids if pk in items]
    result = Summaries(summary for summary, _keys, _changed in shown)
    result.modified = newest(changed for _summary, _keys, changed in shown)
    return result


def _digest(base, pk):
    return hashlib.blake2b(f"{base}\n{pk}".encode(), digest_size=12).hexdigest()


def _build(request, language, rows, entry_keys):
    since = store.generation()
    pages = presentation.decorate(rows, language, None)
    s.load_author_images([author for page in pages for author in page.display_authors])
    render = s.NewsSummarySerializer(context=s.context(request, language)).to_representation
    built = {}
    with translation.override(language):
        for page in pages:
            keys = frozenset(
                {
                    cache_keys.story(page.translation_key),
                    *(cache_keys.topic(topic.translation_key) for topic in page.display_topics),
                }
            )
            built[page.pk] = (render(page), keys, changed_at(page))
            store.put(entry_keys[page.pk], built[page.pk], keys, since)
    return built
