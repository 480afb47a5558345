"""Where a reader's URL leads: fallback routing, and the live translation a reader is sent to.

Wagtail routes a path through one language's tree; ``news.models.FallbackRoutingMixin``
lets a missing child be found in a translation of its parent (a Kazakh-only story is
served under ``/ru/…`` with a notice instead of a 404). When the story has a live
translation in the requested language, ``preferred_translation`` finds it, and the
reader is sent there. The HTML site (a ``before_serve_page`` hook) and the API's
``/api/v1/resolve/`` both use these rules.
"""

from django.shortcuts import redirect

from news import i18n
from news.querysets import visible_pages


def preferred_translation(page, language):
    """The live, public version of ``page``'s story in ``language``, when ``page`` is not.

    One query, only when the page served is not in the requested language.
    """
    if page.locale.language_code == language:
        return None
    return (
        visible_pages()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .first()
    )


def redirect_to_translation(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: send a reader who reached a fallback to the real translation."""
    if not getattr(page, "prefer_translation", False):
        return None
    translation = preferred_translation(page, i18n.active_language())
    if translation is not None:
        return redirect(translation.get_url(request))
    return None
