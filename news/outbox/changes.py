"""Which public URLs a change to a story changes: written once, for every notification.

Webhook payloads name them so that a frontend with its own cache revalidates exactly
those; beside them go the cache tags the change purged (news.outbox.events, at commit).
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page

from news import i18n
from news.querysets import visible_pages


def _absolute(root, path):
    return path if path.startswith(("http://", "https://")) else f"{root}{path}"


def story_versions(page, include=True):
    """``{language: page}`` of the story's visible versions; ``page`` itself when ``include``."""
    versions = {
        version.locale.language_code: version
        for version in visible_pages()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .specific(defer=True)
    }
    if include:
        versions[page.locale.language_code] = page
    return versions


def changed_urls(page, include=True):
    """Every public URL whose content changes when ``page`` (a story version) changes.

    ``{"html": [...], "api": [...]}``, absolute URLs, for each
    configured language: the story as that language's readers get it (its own version, or
    the fallback rendering under the language's prefix), the news index (listing) and the
    home page of that language, the language's feeds; and the API's story and list
    answers in that language. ``include``: count ``page`` as visible even when it no
    longer is (unpublished or deleted: its URLs change to "gone").
    """
    versions = story_versions(page, include=include)
    index = page.get_parent()
    site = page.get_site()
    root = site.root_url if site else ""
    html, api = [], []
    for language in i18n.language_codes():
        best = i18n.best_version(versions, language)
        if best is not None:
            url = best.get_url(None)
            if url and best.locale.language_code != language:
                url = i18n.swap_language_prefix(url, language)
            if url:
                html.append(_absolute(root, url))
        for listing in (index, index.get_parent() if index else None):
            if listing is None or listing.depth <= 1:
                continue
            localized = Page.objects.filter(
                translation_key=listing.translation_key, locale__language_code=language, live=True
            ).first()
            if localized is not None:
                url = localized.get_url(None)
            else:  # served under the language's prefix by fallback routing
                url = i18n.swap_language_prefix(listing.get_url(None), language)
            if url:
                html.append(_absolute(root, url))
        with translation.override(language):
            for name in ("news_feed_rss", "news_feed_atom"):
                try:
                    html.append(_absolute(root, reverse(name)))
                except NoReverseMatch:
                    pass
        api.append(f"{root}/api/v1/news/{page.pk}/?locale={language}")
        api.append(f"{root}/api/v1/news/?locale={language}")
    return {"html": list(dict.fromkeys(html)), "api": api}
