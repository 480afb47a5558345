"""RSS 2.0 and Atom feeds of the news, per language and per topic.

Items come from ``news.queries`` (``news_for_locale`` + ``decorate``), so a feed
shows exactly what the listing shows: stories missing in the requested language
appear in their fallback language only when ``NEWSDESK_LISTING_FALLBACK`` is on,
and then with their real language (``xml:lang``, ``dc:language``) and a
``(Қазақша) `` marker in the title. Each item carries its link, date, lead,
authors and byline (RSS ``dc:creator``, Atom ``author``), the time of its latest
correction or update (Atom ``updated``, RSS ``atom:updated``), topics in the
requested language and the hero image (RSS ``enclosure`` + ``media:content``;
Atom ``link rel="enclosure"`` + ``media:content``).
``?full=1`` adds the whole body (``content:encoded`` / Atom ``content``).

A feed costs a constant number of queries whatever its length, including the
full body: ``news.rendering.bodies_data`` resolves every page link of every body
in one query and loads every body image with its renditions in two.
"""

import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import feedgenerator
from django.utils.html import escape, format_html, strip_tags
from django.utils.translation import gettext as _

from news import i18n, image_rights, live, presentation, queries, rendering
from news.conf import conf
from news.syndication import seo

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
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
        if image.get("licence_name"):  # Media RSS 1.5: the licence's name and its terms
            attrs = {"type": "text/html"}
            if image.get("licence_url"):
                attrs["href"] = image["licence_url"]
            handler.addQuickElement("media:license", image["licence_name"], attrs)
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
        if item.get("noted_at"):
            # RSS has no "updated": Atom's element says when a correction or update was added.
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["noted_at"]))
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
        items = presentation.listing(language, topic=topic)[: feed_size()]
        items = presentation.decorate(items, language, request)
        first_published = queries.first_publications(items)
        for item in items:
            item.story_first_published = first_published.get(item.translation_key)
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
        url = presentation.news_index_url(obj["language"])
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
        return seo.publication_datetime(item, getattr(item, "story_first_published", None))

    def item_updateddate(self, item):
        return seo.modification_datetime(item, getattr(item, "story_first_published", None))

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
                "title": seo.image_alt(item),
                "caption": item.image_caption,
                # The story's own credit, else the image's (news.image_rights).
                "credit": image_rights.credit(item.image, item.image_credit),
            }
            if (rights := image_rights.rights_of(item.image)) is not None:
                image["licence_name"] = rights.licence_label
                image["licence_url"] = rights.licence_link
        return {
            "content_language": item.content_language,
            "is_fallback": item.is_fallback,
            "image": image,
            "content_html": self._bodies.get(item.pk),
            "noted_at": item.updated_at,
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

    The blocks' data is the one block output (``news.rendering.bodies_data``, the
    same as the APIs'), drawn as simple HTML with absolute links because block
    templates are made for the site's pages. All bodies cost a constant number of
    queries together.
    """
    data = rendering.bodies_data(pages, i18n.active_language(), {"request": request})
    origin = request.build_absolute_uri("/")[:-1]

    def absolute(match):
        return match.group(1) + origin + match.group(2)

    html = {pk: "".join(_block_html(block) for block in blocks) for pk, blocks in data.items()}
    for page in pages:  # a live blog's entries follow its body (news.live)
        if getattr(page, "is_live_blog", False):
            html[page.pk] = html.get(page.pk, "") + _entries_html(page, request)
    return {pk: _ROOT_RELATIVE.sub(absolute, text) for pk, text in html.items()}


def _entries_html(page, request):
    """A live blog's entries for readers of the feed's language, newest first, as HTML."""
    language = i18n.active_language()
    entries = live.pinned_first(live.entries_for(page, language))
    url = page.get_url(request) or ""
    parts = []
    for entry in entries:
        block = entry.version.entries.stream_block.child_blocks["entry"].child_blocks["body"]
        context = {"request": request, "segment_languages": entry.segment_languages}
        body = "".join(
            _block_html(item) for item in block.get_api_representation(entry.body, context)
        )
        parts.append(
            format_html(
                '<article id="{}" lang="{}"><h2><a href="{}#{}">{}</a></h2>'
                '<p><time datetime="{}">{}</time></p>',
                entry.anchor,
                entry.content_language,
                url,
                entry.anchor,
                entry.headline,
                entry.at.isoformat() if entry.at else "",
                entry.at.strftime("%Y-%m-%d %H:%M") if entry.at else "",
            )
            + body
            + "</article>"
        )
    return "".join(parts)


def _block_html(block):
    kind, value = block["type"], block["value"]
    if kind == "paragraph":
        return value["html"]
    if kind == "heading":
        return format_html("<h{0}>{1}</h{0}>", value["level"], value["text"])
    if kind == "quote":
        return _quote_html(value)
    if kind == "image":
        return _image_html(value)
    if kind == "embed" and value["url"]:
        return format_html('<p><a href="{0}">{0}</a></p>', value["url"])
    return ""


def _quote_html(value):
    cite = value.get("attribution") or ""
    if value.get("role"):
        cite = f"{cite}, {value['role']}" if cite else value["role"]
    footer = format_html("<footer>— {}</footer>", cite) if cite else ""
    return format_html("<blockquote><p>{}</p>{}</blockquote>", value.get("text", ""), footer)


def _image_html(value):
    rendition = (value["image"] or {}).get("renditions", {}).get("medium")
    if rendition is None:  # no image, or its source file is missing
        return ""
    caption = " — ".join(part for part in (value["caption"], value["credit"]) if part)
    figcaption = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        rendition["url"],
        rendition["width"],
        rendition["height"],
        value["image"]["alt"],
        figcaption,
    )
