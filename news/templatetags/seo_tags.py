"""The <head> metadata of reader pages: title, description, Open Graph, Twitter, JSON-LD.

``{% seo_meta as seo %}`` reads what the page context already holds (``page``
and the ``news.queries.article_context`` variables: ``canonical_url``,
``content_language``, ``available_languages``, ``display_topics`` ...). The only
queries it may add are the hero image and its "og" rendition: two at most.
"""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from news import i18n, live
from news.models import NewsPage
from news.syndication import seo

register = template.Library()

HEADLINE_MAX = 110  # Google truncates NewsArticle headlines beyond this


def _page_language(context, page):
    language = context.get("content_language")
    if not language and page is not None and getattr(page, "locale_id", None):
        language = page.locale.language_code
    return language or context.get("current_language") or i18n.active_language()


def _feed_links(context):
    """The RSS and Atom feeds of the current language (and of the listed topic)."""
    links = []
    try:
        links.append(("application/rss+xml", reverse("news_feed_rss"), "RSS"))
        links.append(("application/atom+xml", reverse("news_feed_atom"), "Atom"))
        topic = context.get("topic")
        slug = getattr(topic, "slug", None)
        if slug:
            name = f"{topic.name}"
            links.append(
                (
                    "application/rss+xml",
                    reverse("topic_feed_rss", kwargs={"slug": slug}),
                    f"{name} — RSS",
                )
            )
            links.append(
                (
                    "application/atom+xml",
                    reverse("topic_feed_atom", kwargs={"slug": slug}),
                    f"{name} — Atom",
                )
            )
    except NoReverseMatch:  # feeds not routed (e.g. a URLconf without them)
        return []
    return [{"type": kind, "url": url, "label": label} for kind, url, label in links]


@register.simple_tag(takes_context=True)
def seo_meta(context):
    """Everything seo_head.html prints, as one dict."""
    request = context.get("request")
    page = context.get("page")
    site_name = context.get("site_name") or settings.WAGTAIL_SITE_NAME
    override = context.get("seo_title")

    if override:
        title = str(override)
    elif page is not None:
        title = seo.title_of(page)
    else:
        title = ""
    full_title = f"{title} — {site_name}" if title and title != site_name else site_name
    description = seo.description_of(page) if page is not None else ""
    canonical = context.get("canonical_url")
    if not canonical and request is not None:
        canonical = request.build_absolute_uri(request.path)
    language = _page_language(context, page)

    image = None
    hero = getattr(page, "image", None) if page is not None else None
    rendition = seo.share_rendition(hero)
    if rendition is not None:
        image = {
            "url": seo.absolute_url(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": seo.image_alt(page),
            "type": seo.SHARE_MIME_TYPE,
        }

    is_article = isinstance(page, NewsPage)
    topics = [topic.name for topic in context.get("display_topics") or []]
    alternates = [
        seo.og_locale(item["code"])
        for item in context.get("available_languages") or []
        if item.get("code") and item["code"] != language
    ]
    meta = {
        "title": full_title,
        "og_title": title or site_name,
        "description": description,
        "site_name": site_name,
        "url": canonical,
        "type": "article" if is_article else "website",
        "locale": seo.og_locale(language),
        "locale_alternates": alternates,
        "image": image,
        "twitter_card": "summary_large_image" if image else "summary",
        "tags": topics,
        "feeds": _feed_links(context),
        "published": None,
        "modified": None,
        "json_ld": "",
    }
    if is_article:
        published = seo.publication_datetime(page)
        modified = seo.modification_datetime(page)
        meta["published"] = published.isoformat() if published else None
        meta["modified"] = modified.isoformat() if modified else None
        meta["bylines"] = context.get("bylines") or []
        meta["corrections"] = context.get("corrections") or []
        data = news_article_data(page, meta, language, request, topics)
        if page.is_live_blog and context.get("live_entries") is not None:
            data = live.live_blog_posting(data, page, context["live_entries"], meta["url"])
        meta["json_ld"] = seo.json_ld_script(data)
    return meta


def news_article_data(page, meta, language, request, topics=()):
    """The schema.org NewsArticle of ``page``; ``inLanguage`` is the content's language."""
    # The publisher's site: the origin of the canonical URL (the Site's own host).
    parts = urlsplit(meta["url"] or "")
    home = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(page.title).chars(HEADLINE_MAX),
        "description": meta["description"],
        "inLanguage": language,
        "datePublished": meta["published"],
        "dateModified": meta["modified"] or meta["published"],
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta["url"]},
        "url": meta["url"],
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": meta["site_name"]},
    }
    if home:
        data["publisher"]["url"] = home
    if meta["image"]:
        data["image"] = {
            "@type": "ImageObject",
            "url": meta["image"]["url"],
            "width": meta["image"]["width"],
            "height": meta["image"]["height"],
            **seo.image_object_rights(page.image, getattr(page, "image_credit", "")),
        }
    authors = [
        {"@type": "Person", "name": byline["name"], "url": seo.absolute_url(request, byline["url"])}
        for byline in meta.get("bylines") or []
    ]
    if getattr(page, "byline", ""):
        authors.append({"@type": "Organization", "name": page.byline})
    if authors:
        data["author"] = authors
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": note["text"],
            "datePublished": note["at"].isoformat() if note["at"] else None,
        }
        for note in meta.get("corrections") or []
    ]
    if corrections:
        data["correction"] = corrections
    if topics:
        data["keywords"] = list(topics)
        data["articleSection"] = topics[0]
    return data
