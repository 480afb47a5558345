"""RSS 2.0 and Atom feeds of the news, per language and per topic.

Items come from ``news.queries`` (``news_for_locale`` + ``decorate``), so a feed
shows exactly what the listing shows: stories missing in the requested language
appear in their fallback language only when ``NEWSDESK_LISTING_FALLBACK`` is on,
and then with their real language (``xml:lang``, ``dc:language``) and a
``(Қазақша) `` marker in the title. Each item carries its link, date, lead,
author or source, topics in the requested language and the hero image (RSS
``enclosure`` + ``media:content``; Atom ``link rel="enclosure"`` + ``media:content``).
``?full=1`` adds the whole body (``content:encoded`` / Atom ``content``).

A feed costs a constant number of queries whatever its length, including the
full body: every body's rich text is expanded in one pass and every body image
is loaded with its renditions in one query.
"""

import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import feedgenerator
from django.utils.html import escape, format_html, strip_tags
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from news import i18n, presentation, queries
from news.conf import conf
from news.renditions import RENDITIONS
from news.sanitize import clean_rich_text, safe_url
from news.syndication import seo

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"

# Separates the rich texts of every item while they are expanded in one pass.
_SPLIT = "<!--newsdesk-feed-split-->"
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")(/(?!/))')


def feed_size():
    return conf.FEED_SIZE


class _MediaMixin:
    """Namespaces, per-item language and the media elements both formats share."""

    def item_attributes(self, item):
        attrs = super().item_attributes(item)
        if item.get("content_language"):
            attrs["xml:lang"] = item["content_language"]
        return attrs

    def add_media_elements(self, handler, item):
        image = item.get("image")
        if not image:
            return
        handler.startElement(
            "media:content",
            {
                "url": image["url"],
                "type": seo.SHARE_MIME_TYPE,
                "medium": "image",
                "width": str(image["width"]),
                "height": str(image["height"]),
            },
        )
        if image.get("title"):
            handler.addQuickElement("media:title", image["title"])
        if image.get("caption"):
            handler.addQuickElement("media:description", image["caption"])
        if image.get("credit"):
            handler.addQuickElement("media:credit", image["credit"])
        handler.endElement("media:content")


class NewsRssFeedType(_MediaMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs.update({"xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS, "xmlns:content": CONTENT_NS})
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_language"):
            handler.addQuickElement("dc:language", item["content_language"])
        self.add_media_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class NewsAtomFeedType(_MediaMixin, feedgenerator.Atom1Feed):
    def root_attributes(self):
        attrs = super().root_attributes()
        attrs.update({"xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS})
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_language"):
            handler.addQuickElement("dc:language", item["content_language"])
        self.add_media_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class NewsFeed(Feed):
    """The newest stories for readers of the URL's language (optionally of one topic)."""

    feed_type = NewsRssFeedType

    @classmethod
    def as_view(cls):
        """A view that builds a fresh feed per request (the feed keeps per-request state)."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        view.__name__ = view.__qualname__ = cls.__name__
        view.__doc__ = cls.__doc__
        return view

    def __call__(self, request, *args, **kwargs):
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = i18n.active_language()
        return response

    # --- the feed ---------------------------------------------------------------

    def get_object(self, request, slug=None):
        language = i18n.active_language()
        topic = None
        if slug is not None:
            topic = queries.topic_from_slug(slug, language)
            if topic is None:
                raise Http404(_("No such topic."))
            topic = queries.localized_topics([topic], language)[0]
        full = request.GET.get("full", "") in ("1", "true", "yes")
        items = queries.news_for_locale(language, topic=topic)[: feed_size()]
        items = presentation.decorate(items, language, request)
        bodies = full_bodies(items, request) if full else {}
        return {
            "language": language,
            "topic": topic,
            "index": self._index(language),
            "items": items,
            "bodies": bodies,
        }

    @staticmethod
    def _index(language):
        """The news index in ``language`` itself, or None (one query)."""
        return next(iter(queries.news_indexes([language])), None)

    def title(self, obj):
        site = settings.WAGTAIL_SITE_NAME
        if obj["topic"] is not None:
            return f"{site} — {obj['topic'].name}"
        section = obj["index"].title if obj["index"] is not None else _("News")
        return f"{site} — {section}"

    def link(self, obj):
        url = queries.news_index_url(obj["language"])
        if obj["topic"] is not None:
            url = f"{url}?topic={obj['topic'].slug}"
        return url

    def description(self, obj):
        # RSS readers render <description> as HTML: the plain text goes in escaped.
        return escape(self.plain_description(obj))

    def plain_description(self, obj):
        if obj["topic"] is not None:
            return _("Latest news on “%(topic)s” from %(site)s") % {
                "topic": obj["topic"].name,
                "site": settings.WAGTAIL_SITE_NAME,
            }
        intro = obj["index"].intro if obj["index"] is not None else ""
        text = " ".join(html.unescape(strip_tags(intro)).split())
        return text or _("Latest news from %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def author_name(self, obj):
        return settings.WAGTAIL_SITE_NAME

    def feed_copyright(self, obj):
        return settings.WAGTAIL_SITE_NAME

    def categories(self, obj):
        return [obj["topic"].name] if obj["topic"] is not None else []

    def get_feed(self, obj, request):
        # Feed.get_feed passes language=get_language(); ours is the URL's language.
        self.language = obj["language"]
        self._bodies = obj["bodies"]
        return super().get_feed(obj, request)

    # --- the items ------------------------------------------------------------

    def items(self, obj):
        return obj["items"]

    def item_title(self, item):
        if item.is_fallback:
            return f"({item.content_language_name}) {item.title}"
        return item.title

    def item_link(self, item):
        return item.display_url

    def item_guid(self, item):
        # One id per story version, stable across edits and language prefixes.
        return seo.absolute_url(self.request, item.get_url(self.request))

    def item_guid_is_permalink(self, item):
        return True

    def item_description(self, item):
        return escape(item.lead) if item.lead else ""

    def item_pubdate(self, item):
        return seo.publication_datetime(item)

    def item_updateddate(self, item):
        return seo.modification_datetime(item)

    def item_author_name(self, item):
        return seo.author_name(item) or seo.publisher_name()

    def item_categories(self, item):
        return [topic.name for topic in item.display_topics]

    def item_enclosures(self, item):
        rendition = self._share_rendition(item)
        if rendition is None:
            return []
        return [
            feedgenerator.Enclosure(
                url=seo.absolute_url(self.request, rendition.url),
                length=str(seo.rendition_size(rendition)),
                mime_type=seo.SHARE_MIME_TYPE,
            )
        ]

    def item_extra_kwargs(self, item):
        rendition = self._share_rendition(item)
        image = None
        if rendition is not None:
            image = {
                "url": seo.absolute_url(self.request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "title": getattr(item.image, "default_alt_text", "") or item.image.title,
                "caption": item.image_caption,
                "credit": item.image_credit,
            }
        return {
            "content_language": item.content_language,
            "is_fallback": item.is_fallback,
            "image": image,
            "content_html": self._bodies.get(item.pk),
        }

    @staticmethod
    def _share_rendition(item):
        if not hasattr(item, "_share_rendition"):
            item._share_rendition = seo.share_rendition(item.image)
        return item._share_rendition


class NewsAtomFeed(NewsFeed):
    feed_type = NewsAtomFeedType

    def subtitle(self, obj):
        return self.plain_description(obj)  # Atom text construct: plain text


# --- full bodies ---------------------------------------------------------------


def full_bodies(pages, request):
    """``{page.pk: html}``: each body as plain semantic HTML for feed readers.

    Block templates are made for the site's pages; feed readers need simple
    HTML with absolute links. All rich text of all pages is expanded in one
    pass and all body images are loaded in one query, so the cost does not
    grow with the number of items.
    """
    image_ids = set()
    rich_texts = []
    for page in pages:
        for kind, value in _blocks(page):
            if kind == "image" and isinstance(value.get("image"), int):
                image_ids.add(value["image"])
            elif kind == "paragraph":
                rich_texts.append(clean_rich_text(value))
    expanded = None
    if rich_texts:
        joined = _resolve_page_links(_SPLIT.join(rich_texts), request)
        expanded = iter(expand_db_html(joined).split(_SPLIT))
    images = {}
    if image_ids:
        spec = RENDITIONS["medium"]
        images = {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_renditions(spec)
        }
    origin = request.build_absolute_uri("/")[:-1]

    def absolute(match):
        return match.group(1) + origin + match.group(2)

    bodies = {}
    for page in pages:
        parts = []
        for kind, value in _blocks(page):
            if kind == "paragraph":
                parts.append(next(expanded))
            elif kind == "heading":
                level = value.get("level") or "h2"
                level = level if level in ("h2", "h3", "h4") else "h2"
                parts.append(format_html("<{0}>{1}</{0}>", level, value.get("text", "")))
            elif kind == "quote":
                parts.append(_quote_html(value))
            elif kind == "image":
                parts.append(_image_html(images.get(value.get("image")), value, request))
            elif kind == "embed" and safe_url(value):
                parts.append(format_html('<p><a href="{0}">{0}</a></p>', safe_url(value)))
        bodies[page.pk] = _ROOT_RELATIVE.sub(absolute, "".join(parts))
    return bodies


def _blocks(page):
    """``(type, value)`` of each body block, values checked against their expected shape.

    Raw stream data may come from an older schema or an import: a value of the
    wrong shape drops the block from the feed instead of failing the feed.
    """
    shapes = {"paragraph": str, "heading": dict, "quote": dict, "image": dict, "embed": str}
    for block in page.body.raw_data:
        kind = block.get("type")
        value = block.get("value")
        if kind in shapes and isinstance(value, shapes[kind]):
            yield kind, value


def _resolve_page_links(html, request):
    """Internal page links -> real hrefs, two queries for any number of links.

    Wagtail's own page link handler runs queries per link (``page.localized``);
    here every target is loaded at once, in the reader's language when a visible
    translation exists. Other link types are left to ``expand_db_html``.
    """
    matches = [
        (match, extract_attrs(match.group(1)))
        for match in FIND_A_TAG.finditer(html)
        if 'linktype="page"' in match.group(1)
    ]
    ids = {attrs.get("id") for _match, attrs in matches}
    ids = {int(pk) for pk in ids if pk and pk.isdigit()}
    if not ids:
        return html
    language = i18n.active_language()
    targets = {
        page.pk: page
        for page in queries.visible_pages().filter(pk__in=ids).select_related("locale")
    }
    localized = {
        page.translation_key: page
        for page in queries.visible_pages()
        .filter(
            translation_key__in={page.translation_key for page in targets.values()},
            locale__language_code=language,
        )
        .select_related("locale")
    }
    hrefs = {}
    for pk, page in targets.items():
        page = localized.get(page.translation_key, page)
        hrefs[pk] = page.get_url(request)
    parts, position = [], 0
    for match, attrs in matches:
        parts.append(html[position : match.start()])
        pk = attrs.get("id", "")
        href = hrefs.get(int(pk)) if pk.isdigit() else None
        parts.append(format_html('<a href="{}">', href) if href else "<a>")
        position = match.end()
    parts.append(html[position:])
    return "".join(parts)


def _quote_html(value):
    cite = value.get("attribution") or ""
    if value.get("role"):
        cite = f"{cite}, {value['role']}" if cite else value["role"]
    footer = format_html("<footer>— {}</footer>", cite) if cite else ""
    return format_html("<blockquote><p>{}</p>{}</blockquote>", value.get("text", ""), footer)


def _image_html(image, value, request):
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(RENDITIONS["medium"])
    except Exception:  # a missing source file drops the picture, not the feed
        return ""
    caption = " — ".join(part for part in (value.get("caption"), value.get("credit")) if part)
    figcaption = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        seo.absolute_url(request, rendition.url),
        rendition.width,
        rendition.height,
        getattr(image, "default_alt_text", "") or image.title,
        figcaption,
    )
