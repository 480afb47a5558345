"""Where an internal page link in stored rich text leads: the delivery rule, written once.

Stored rich text keeps ``<a linktype="page" id="N">`` and every surface expands it
through ``wagtail.rich_text.expand_db_html``: the ``|richtext`` filter and paragraph
blocks on the HTML site, API v2's ``get_api_representation``, API v1 and the full
feeds (``news.rendering``). :class:`PageLinkHandler` replaces Wagtail's own handler
for the ``page`` link type (registered in ``news.wagtail_hooks``), so all of them
follow this one rule:

* A link is a link to the *story*: the reader gets the live, public version of the
  linked page's story in the reader's (active) language, else the best version along
  that language's fallback chain, served under the reader's language prefix exactly
  as listings show fallback stories (``news.presentation.decorate``). When no version
  in the chain is visible but the linked page itself is, the link leads to it.
* A link to a page readers cannot see (draft, scheduled, unpublished, under a view
  restriction, deleted) keeps its text and loses its target: ``<a>`` without ``href``,
  an HTML placeholder link, which browsers show as plain text. (A link handler only
  rewrites the opening tag; the stored ``</a>`` stays, so the anchor cannot vanish.)

Cost: ``expand_db_html`` hands every page link of one HTML fragment to
:meth:`PageLinkHandler.expand_db_attributes_many`, which resolves them in one query.
Surfaces that expand many fragments at once (API v1, full feeds) first call
:func:`resolved` with all their rich text, so the whole answer costs one query.

Hand-written because Wagtail's handler (``page.localized``) ignores view restrictions
and fallback chains, and costs queries per link.
"""

import contextlib
import contextvars

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text import pages as wagtail_pages
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from news import cache_keys, i18n
from news.querysets import private_q

# {(language, "id"): url or None} of links resolved ahead by ``resolved``.
_known = contextvars.ContextVar("newsdesk_page_links", default=None)


def _page_ids(ids):
    return {int(pk) for pk in ids if pk is not None and str(pk).isdigit()}


def best_versions(ids, language):
    """``{id: page}``: for each linked page id, the version its reader gets (one query).

    ``page.link_url`` is where the link leads, under ``language``'s prefix when the
    version is a fallback. Hidden or unknown targets are missing from the answer.
    """
    ids = _page_ids(ids)
    if not ids:
        return {}
    chain = i18n.fallback_chain(language)
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    rows = list(
        Page.objects.filter(
            Q(pk__in=ids) | Q(translation_key__in=keys, locale__language_code__in=chain)
        )
        .annotate(is_private=ExpressionWrapper(private_q(), output_field=BooleanField()))
        .select_related("locale")
        .defer_streamfields()
    )
    key_by_id = {}
    for row in rows:
        if row.pk in ids:
            key_by_id[row.pk] = row.translation_key
    # The page shows these links (or hides them): a change to a linked story purges it.
    cache_keys.add(*(cache_keys.story(key) for key in set(key_by_id.values())))
    visible = {}
    for row in rows:
        if row.live and not row.is_private:
            visible.setdefault(row.translation_key, []).append(row)
    found = {}
    for pk, key in key_by_id.items():
        versions = visible.get(key, [])
        page = i18n.best_version(versions, language)  # the one best-version rule
        if page is not None:
            page.link_url = i18n.localized(page, language).url(page.get_url(None))
        else:  # none in the chain: the linked page itself, if readers see it
            page = next((version for version in versions if version.pk == pk), None)
            if page is None:
                continue
            page.link_url = page.get_url(None)
        found[pk] = page
    return found


def page_urls(ids, language):
    """``{str(id): url}`` of the visible link targets among ``ids`` (see :func:`best_versions`).

    Links resolved ahead by :func:`resolved` cost nothing; the others one query.
    """
    known = _known.get() or {}
    wanted = {str(pk) for pk in _page_ids(ids)}
    urls, missing = {}, set()
    for pk in wanted:
        if (language, pk) in known:
            if known[(language, pk)]:
                urls[pk] = known[(language, pk)]
        else:
            missing.add(pk)
    for pk, page in best_versions(missing, language).items():
        urls[str(pk)] = page.link_url
    return urls


def page_link_ids(sources):
    """Ids of every page link in the stored rich text ``sources``."""
    ids = set()
    for source in sources:
        if not isinstance(source, str) or 'linktype="page"' not in source:
            continue
        for match in FIND_A_TAG.finditer(source):
            attrs = extract_attrs(match.group(1))
            if attrs.get("linktype") == "page":
                ids.add(attrs.get("id"))
    return _page_ids(ids)


@contextlib.contextmanager
def resolved(sources, language=None):
    """Within the block, page links of ``sources`` expand without a query (one query here)."""
    language = language or i18n.active_language()
    ids = page_link_ids(sources)
    urls = page_urls(ids, language) if ids else {}
    known = dict(_known.get() or {})
    known.update({(language, str(pk)): urls.get(str(pk)) for pk in ids})
    token = _known.set(known)
    try:
        yield
    finally:
        _known.reset(token)


class PageLinkHandler(wagtail_pages.PageLinkHandler):
    """The ``page`` link type of rich text, resolved by the rule of this module."""

    identifier = "page"

    @classmethod
    def get_many(cls, attrs_list):
        """The version of each linked page the reader gets (None when hidden), one query."""
        versions = best_versions([attrs.get("id") for attrs in attrs_list], i18n.active_language())
        return [
            versions.get(int(pk)) if str(pk := attrs.get("id")).isdigit() else None
            for attrs in attrs_list
        ]

    @classmethod
    def expand_db_attributes(cls, attrs):
        return cls.expand_db_attributes_many([attrs])[0]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        urls = page_urls([attrs.get("id") for attrs in attrs_list], i18n.active_language())
        return [
            f'<a href="{escape(url)}">' if (url := urls.get(str(attrs.get("id")))) else "<a>"
            for attrs in attrs_list
        ]
