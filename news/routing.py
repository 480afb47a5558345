"""Routing that falls back to another language instead of answering 404.

Wagtail routes ``/ru/novosti/<slug>/`` through the Russian tree only, so an article
that exists only in Kazakh is a 404 for a Russian reader. Pages with this mixin
look for the missing child among the children of their own translations, in the
order of the requested language's fallback chain, and route on from there. The
language of the request (and so of the page chrome) stays the requested one.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect

from news import i18n


def fallback_child(page, slug):
    """The best live child with ``slug`` under any translation of ``page``, or None."""
    from wagtail.models import Page

    from news.queries import in_languages

    chain = [
        code
        for code in i18n.fallback_chain(i18n.active_language())
        if code != page.locale.language_code
    ]
    if not chain:
        return None
    parents = Page.objects.filter(
        translation_key=page.translation_key, locale__language_code__in=chain
    ).values_list("path", flat=True)
    parent_paths = list(parents)
    if not parent_paths:
        return None
    under_parent = Q()
    for path in parent_paths:
        under_parent |= Q(path__startswith=path)
    # By language rank, unordered: a locale filter or the default path order would let
    # SQLite walk the whole tree instead of the slug index.
    candidates = (
        in_languages(
            Page.objects.live().filter(under_parent, depth=page.depth + 1, slug=slug), chain
        )
        .select_related("locale")
        .order_by()
    )
    ranked = sorted(candidates, key=lambda p: chain.index(p.locale.language_code))
    return ranked[0] if ranked else None


class FallbackRoutingMixin:
    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            child = fallback_child(self, path_components[0])
            if child is None:
                raise
            return child.specific.route(request, path_components[1:])


class PreferTranslationMixin:
    """Send a reader who reached a fallback version to the real translation, when one exists.

    ``/ru/novosti/<kazakh-slug>/`` routes to the Kazakh page; if the story has a
    live Russian translation under its own slug, the reader is redirected there
    instead of reading the Kazakh text under a notice. One query, only when the
    page served is not in the requested language.
    """

    def serve(self, request, *args, **kwargs):
        language = i18n.active_language()
        if self.locale.language_code != language:
            from news.queries import visible_pages

            translation = (
                visible_pages()
                .filter(translation_key=self.translation_key, locale__language_code=language)
                .first()
            )
            if translation is not None:
                return redirect(translation.get_url(request))
        return super().serve(request, *args, **kwargs)
