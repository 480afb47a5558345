"""Where a reader's URL leads: fallback routing, and the live translation a reader is sent to.

Wagtail routes a path through one language's tree; ``news.models.FallbackRoutingMixin``
lets a missing child be found in a translation of its parent (a Kazakh-only story is
served under ``/ru/…`` with a notice instead of a 404). When the story has a live
translation in the requested language, ``preferred_translation`` finds it, and the
reader is sent there.

One rule for every surface: the HTML site (Wagtail's ``serve`` view, then the
``before_serve_page`` hook ``redirect_to_translation`` and Wagtail's own
``check_view_restrictions``) and the API's ``/api/v1/resolve/`` (``resolve`` below)
route with the same Wagtail call (``Page.route_for_request``: the site's root page
``.localized`` in the path's language, then ``.specific.route``), send a reader to
the same translation (``translation_to_serve``) and hide the same pages
(``is_visible``). ``resolve`` is hand-written only where the HTML site has a web
server and Django's URL resolver in front: reading a path given as a parameter
(percent-encoded or not, perhaps a full URL) and refusing what cannot be a path.
"""

import copy
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Subquery
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page, Site

from news import cache_keys, i18n, prepared
from news.querysets import is_visible as page_is_visible
from news.querysets import visible_pages
from news.tagged_cache import memoize

# Longer than any URL a browser sends a site like this one; deeper than any tree it has.
MAX_PATH_LENGTH = 2048
MAX_PATH_COMPONENTS = 32
# Wagtail's serve URL (wagtail.urls): each component of a page path is ``[\w-]+``.
PAGE_COMPONENT = re.compile(r"[\w-]+")
# Control characters (C0, DEL, C1) cannot be part of a URL path.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadPath(ValueError):
    """A path that cannot be a URL path of the site; the API answers 400 with ``message``."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Resolution:
    """What a site path shows: ``page`` (specific), in answer to ``language``.

    ``redirected``: routing reached another page (in another language), and the site
    sends the reader on to ``page``, its live translation in ``language``.
    """

    page: Page
    language: str
    redirected: bool = False


def preferred_translation(page, language):
    """The live, public version of ``page``'s story in ``language``, when ``page`` is not.

    One query, only when the page served is not in the requested language; the
    translation comes as ``page``'s own (specific) class.
    """
    if page.locale.language_code == language:
        return None
    known = getattr(page, "story_versions", None)  # loaded with the page (news.models)
    if known is not None:
        return known.get(language)
    return (
        visible_pages(page.specific_class or Page)
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .select_related("locale")
        .first()
    )


def translation_to_serve(page, language):
    """The translation a reader of ``language`` who reached ``page`` is sent to, or None.

    Only for pages that say ``prefer_translation = True`` (news.models).
    """
    if not getattr(page, "prefer_translation", False):
        return None
    return preferred_translation(page, language)


def is_visible(page):
    """Whether an anonymous reader sees ``page``: live, under no view restriction.

    The rule of ``visible_pages`` for one page already loaded; on the HTML site,
    Wagtail's ``check_view_restrictions`` answers a login or password page there.
    """
    return page_is_visible(page)


def redirect_to_translation(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: send a reader who reached a fallback to the real translation."""
    translation_page = translation_to_serve(page, i18n.active_language())
    if translation_page is not None:
        return redirect(translation_page.get_url(request))
    return None


def parse_path(path):
    """``(host, components)`` of a site path or URL; raises ``BadPath``.

    ``path`` is what a browser shows (raw Unicode, ``/ru/новости/…``) or sends
    (percent-encoded, ``/ru/%D0%BD…``), or a full URL; it is unquoted once, as
    Django does for the site. A query string and a fragment are ignored.
    """
    if path is None or not path.strip():
        raise BadPath(gettext("This parameter is required."))
    path = path.strip()
    if len(path) > MAX_PATH_LENGTH:
        raise BadPath(
            gettext("Must be at most %(max_length)s characters long.")
            % {"max_length": MAX_PATH_LENGTH}
        )
    if "\x00" in path:
        raise BadPath(gettext("The value contains a NUL character."))
    host = None
    if "://" in path:
        try:
            parts = urlsplit(path)
            port = parts.port
        except ValueError as error:
            raise BadPath(gettext("Not a URL path of the site.")) from error
        if parts.hostname:
            default_port = 443 if parts.scheme == "https" else 80
            host = (parts.scheme, parts.hostname, port or default_port)
        path = parts.path
    else:
        path = path.split("?", 1)[0].split("#", 1)[0]
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError as error:
        raise BadPath(gettext("Not a URL path of the site.")) from error
    if CONTROL.search(path):
        raise BadPath(gettext("Not a URL path of the site."))
    components = [part for part in path.split("/") if part]
    if len(components) > MAX_PATH_COMPONENTS:
        raise BadPath(
            gettext("A path has at most %(maximum)s segments.") % {"maximum": MAX_PATH_COMPONENTS}
        )
    return host, components


# What Wagtail reads of a request to choose the Site (Site.find_for_request, get_port).
HOST_KEYS = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "wsgi.url_scheme",
)


def site_for(request):
    """``Site.find_for_request(request)``, memoised (Wagtail asks the database on every
    request). Kept until a site-wide change, which saving a Site is; a host no Site names
    is answered by the default site whatever its port, so it shares one entry: the
    entries are bounded by the sites, not by the Host headers readers send."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    known = memoize("site-hostnames", lambda: set(Site.objects.values_list("hostname", flat=True)))
    name = f"{hostname}:{request.get_port()}" if hostname in known else "*"
    site = memoize(f"site-for:{name}", lambda: Site.find_for_request(request))
    request._wagtail_site = site
    return site


def site_root(site, language):
    """The root page of ``site`` in ``language`` (specific): where Wagtail routes a path from.

    Wagtail's ``Page.route_for_request`` finds it on every request (``root_page.localized``
    then ``.specific``: one query, two in another language than the root's). It changes
    only with the home page or the site, which move the content version: memoised. Each
    caller gets its own copy (``route`` and ``serve`` may set attributes on it).
    """

    def load():
        with translation.override(language):
            return site.root_page.localized.specific

    return copy.copy(memoize(f"site-root:{site.pk}:{language}", load))


def _routing_request(path, host, request):
    """A GET of ``path`` by an anonymous reader, for the host of ``host`` or of ``request``."""
    routing_request = HttpRequest()
    routing_request.method = "GET"
    routing_request.path = routing_request.path_info = path
    routing_request.user = AnonymousUser()
    if host is not None:
        scheme, hostname, port = host
        routing_request.META.update(
            {"HTTP_HOST": hostname, "SERVER_PORT": str(port), "wsgi.url_scheme": scheme}
        )
    elif request is not None:
        routing_request.META.update({k: request.META[k] for k in HOST_KEYS if k in request.META})
    else:
        routing_request._wagtail_site = Site.objects.filter(is_default_site=True).first()
    return routing_request


def _site_key(routing_request):
    if hasattr(routing_request, "_wagtail_site"):
        return "default"
    return f"{routing_request._get_raw_host()}:{routing_request.get_port()}"


def resolve(path, request=None):
    """What the HTML site shows an anonymous reader at ``path``: a ``Resolution``, or None.

    The site's own steps: the language is the path's prefix (activated while routing,
    so ``FallbackRoutingMixin`` follows its fallback chain); Wagtail's
    ``Page.route_for_request`` routes the rest from the site's root page in that
    language; a page reached in another language gives way to its live translation
    (``translation_to_serve``: the site redirects there); a page the reader may not
    see (``is_visible``) is None. The Site is the one of the URL's host, else of
    ``request``'s host (the API's request), else the default site.

    Wagtail's routing costs two queries per path segment and a few more for the
    site, its root in the language and a fallback; where a path leads is memoised
    until the story found, or any page published under the path's last slug, changes
    (cache keys, news.cache_keys) or the content version moves (a move of an index, a
    new restriction), so a path asked again costs one query, which loads the page and
    checks it again.

    Raises ``BadPath`` for what cannot be a path (see ``parse_path``).
    """
    host, components = parse_path(path)
    language = i18n.normalize_language(components[0]) if components else None
    if language is None or language != components[0]:
        return None  # i18n_patterns: no page outside a language prefix
    rest = components[1:]
    if not all(PAGE_COMPONENT.fullmatch(part) for part in rest):
        return None  # Wagtail's serve URL does not match: the site's 404
    routing_request = _routing_request("/" + "/".join(components) + "/", host, request)
    where = f"{_site_key(routing_request)}:{routing_request.path}"
    key = "route:" + hashlib.sha256(where.encode()).hexdigest()
    cold = {}

    def route():
        cold["found"] = found = _route(routing_request, language, rest)
        return (
            None if found is None else (found.page.content_type_id, found.page.pk, found.redirected)
        )

    def keys(_remembered):
        # A page published under this slug, or a change to the story found, re-routes.
        found = cold.get("found")
        story = [cache_keys.story(found.page.translation_key)] if found is not None else []
        return [cache_keys.route(rest[-1] if rest else ""), *story]

    remembered = memoize(key, route, keys=keys)
    if "found" in cold:
        return cold["found"]
    if remembered is None:
        return None
    # Saving a page as a draft, or unpublishing it without the signal, may not make a
    # new content version: what was remembered is checked, and routed again if stale.
    return _load(remembered, language) or _route(routing_request, language, rest)


def _route(routing_request, language, rest):
    with translation.override(language):
        route = Page.route_for_request(routing_request, "/".join(rest) + "/" if rest else "")
        if route is None:
            return None
        routed = route[0]
        page = translation_to_serve(routed, language) or routed
    if not is_visible(page):
        return None
    return Resolution(page=page, language=language, redirected=page.pk != routed.pk)


def _versions_of(model, pk):
    """Every version of the story of page ``pk`` in one query: readers of a story are shown
    its translations (the API detail lists them), at no further cost. Compiled once per
    process and model (news.prepared)."""

    def build(pk):
        key = model.objects.filter(pk=pk).values("translation_key")[:1]
        versions = model.objects.filter(translation_key=Subquery(key)).select_related("locale")
        return versions.for_reading() if hasattr(versions, "for_reading") else versions

    return prepared.run(("route-versions", model._meta.label), build, pk)


def _load(remembered, language):
    """The remembered answer, loaded in one query, if it is still visible."""
    content_type_id, pk, redirected = remembered
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    loaded = {version.pk: version for version in _versions_of(model, pk)}
    page = loaded.get(pk)
    if page is None or not is_visible(page):
        return None
    page.story_versions = {
        version.locale.language_code: version for version in loaded.values() if is_visible(version)
    }
    return Resolution(page=page, language=language, redirected=redirected)
