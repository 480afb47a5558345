"""The admin's "Kazakh in Latin letters" preview mode, and the slug style of new stories.

The preview renders the Kazakh page as readers see it (the default preview mode) and
transliterates the text of the whole answer, the site's own words included
(``html_to_latin`` with ``attributes=True``), with the editors' exceptions: what the
Latin edition will show, before it exists as an address of its own.
"""

import re

from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext_lazy

from news.conf import conf
from news.kazakh_latin import spellings as spellings_module
from news.kazakh_latin.markup import html_to_latin
from news.kazakh_latin.text import CYRILLIC_RE, latin_slug

LATIN_MODE = "kk-latn"
KAZAKH = "kk"
_HTML_LANG_RE = re.compile(r"""(<html\b[^>]*\blang=["'])kk(["'])""", re.IGNORECASE)


def _language(page):
    if getattr(page, "locale_id", None):
        return page.locale.language_code
    # A page not yet saved: Wagtail gives it its parent's locale on the first save.
    locale = page.get_default_locale() if page.path else None
    return locale.language_code if locale else None


class LatinPreviewMixin:
    """Adds the "Kazakh in Latin letters" preview mode to Kazakh pages."""

    @property
    def preview_modes(self):
        modes = list(super().preview_modes)
        if _language(self) == KAZAKH:
            modes.append((LATIN_MODE, gettext_lazy("Kazakh in Latin letters")))
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name != LATIN_MODE:
            return super().serve_preview(request, mode_name)
        response = super().serve_preview(request, self.default_preview_mode)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        html = html_to_latin(html, spellings=spellings_module.current(), attributes=True)
        html = _HTML_LANG_RE.sub(r"\1kk-Latn\2", html, count=1)
        response.content = html.encode(charset)
        return response


def new_story_slug(page):
    """The slug a new Kazakh ``page`` gets under ``NEWSDESK_KAZAKH_SLUG_STYLE = "latin"``.

    None when the setting, the page or its slug call for no change: only a page not yet
    saved, in Kazakh, whose slug has Cyrillic letters (the admin derives it from the title).
    """
    if conf.KAZAKH_SLUG_STYLE != "latin" or page.pk is not None:
        return None
    if not page.slug or not CYRILLIC_RE.search(page.slug) or _language(page) != KAZAKH:
        return None
    return latin_slug(page.slug) or None
