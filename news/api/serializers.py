"""The JSON shapes of the API: the classes that build each answer are the ones its schema
is generated from, so the two cannot drift.

Each shape is a DRF serializer (``Shape``). Its declared fields give the JSON's keys, types
and documentation (drf-spectacular reads them); a field's value is the serializer's
``get_<name>(instance)`` when it has one, else the instance's attribute (or key) named by
the field's ``source``, converted as the field says (dates, UUIDs, nested shapes, lists).

Rendering runs a plan compiled once per serializer instance rather than DRF's generic
``Field.get_attribute``/``to_representation`` path, which costs several times more per
item on the list path: make one serializer per answer (``Shape(context=context(...))``)
and call ``to_representation`` for each item. Pages come loaded and decorated by
news.queries / news.presentation (the fallback rules live there); rendering runs no query.

One pagination envelope (``paginated``, rendered from a ``Window``) is used by every
paginated answer.
"""

import contextvars
import operator
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from wagtail.images import get_image_model

from news import i18n, image_rights, live, presentation, rendering, untranslated
from news.api.pagination import page_links
from news.image_rights import LICENCE_CHOICES
from news.kazakh_latin import edition
from news.queries import author_image_ids
from news.renditions import RENDITIONS, image_representation, images_with_renditions

# The detail's own text fields that ``field_locales`` reports on.
ITEM_TEXT_FIELDS = ("title", "lead")


def context(request, language, **extra):
    """The context every shape of one answer shares: the request, the requested language,
    the absolute base of the news API's URLs and a memo of fallback notices."""
    return {
        "request": request,
        "language": language,
        "news_api_base": request.build_absolute_uri(reverse("newsdesk_api:news-list")),
        "notices": {},
        **extra,
    }


# --- the renderer ------------------------------------------------------------------------


class Shape(serializers.Serializer):
    """A read-only serializer that renders through a compiled plan (module docstring).

    The plan is compiled once per class, from one instance whose fields are bound once
    (DRF deep-copies and binds every declared field for each new serializer, which cost
    more than rendering twenty items). Its getters read the context of the answer being
    rendered from a context variable that ``to_representation`` of the outer shape sets.
    """

    # True: instances are dicts (fields read keys), else objects (fields read attributes).
    renders_mappings = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._answer_context = kwargs.get("context")

    @property
    def context(self):
        return _answer_context.get() or {}

    @classmethod
    def _compiled(cls):
        plan = cls.__dict__.get("_plan")
        if plan is None:
            template = cls()
            plan = [
                (name, _getter(template, name, field)) for name, field in template.fields.items()
            ]
            cls._plan = plan
        return plan

    def to_representation(self, instance):
        plan = self._compiled()
        if self._answer_context is None:  # a nested shape: the outer one set the context
            return {name: get(instance) for name, get in plan}
        token = _answer_context.set(self._answer_context)
        try:
            return {name: get(instance) for name, get in plan}
        finally:
            _answer_context.reset(token)

    def api_url(self, page_id, language=None):
        language = language or self.context["language"]
        return f"{self.context['news_api_base']}{page_id}/?locale={language}"


_answer_context = contextvars.ContextVar("newsdesk_api_answer_context", default=None)


def _getter(shape, name, field):
    method = getattr(shape, f"get_{name}", None)
    if method is not None:
        return method
    if field.source == "*":
        read = _same
    elif shape.renders_mappings:
        read = operator.itemgetter(field.source)
    else:
        read = operator.attrgetter(field.source)
    convert = _converter(field)
    if convert is None:
        return read
    return lambda instance: convert(read(instance))


def _same(instance):
    return instance


def _converter(field):
    if isinstance(field, serializers.ListSerializer):
        child = field.child.to_representation
        return lambda values: [child(value) for value in values]
    if isinstance(field, serializers.BaseSerializer):
        nested = field.to_representation
        return lambda value: None if value is None else nested(value)
    if isinstance(field, serializers.DateTimeField | serializers.DateField):
        return lambda value: value.isoformat() if value else None
    if isinstance(field, serializers.UUIDField):
        return lambda value: None if value is None else str(value)
    if isinstance(field, serializers.ListField):
        return list
    if isinstance(field, serializers.DictField):
        return dict
    return None


# The schema's enums (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names them).
LOCALE_CHOICES = edition.api_locale_choices([(code, code) for code, _name in settings.LANGUAGES])
HEADING_LEVELS = [(2, "h2"), (3, "h3"), (4, "h4")]
NOTE_KINDS = [(kind, kind) for kind in ("correction", "update", "clarification")]


def locale_field(**kwargs):
    """A language code of the site (the ``LocaleCode`` enum in the schema)."""
    return serializers.ChoiceField(choices=LOCALE_CHOICES, **kwargs)


# --- images, topics, authors -------------------------------------------------------------


class RenditionSerializer(Shape):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionSetSerializer(Shape):
    card = RenditionSerializer(help_text="640×360 crop (WebP) for cards.")
    small = RenditionSerializer(help_text="480 px wide (WebP).")
    medium = RenditionSerializer(help_text="960 px wide (WebP).")
    large = RenditionSerializer(help_text="1600 px wide (WebP).")
    og = RenditionSerializer(help_text="1200×630 crop (JPEG) for social cards.")


class ImageRightsSerializer(Shape):
    """An image's credit and licence, stored once on the image (news.image_rights)."""

    credit = serializers.CharField(allow_blank=True, help_text="The image's own credit.")
    licence = serializers.ChoiceField(
        choices=[code for code, _label in LICENCE_CHOICES if code],
        allow_null=True,
        help_text="The licence's code; null when not stated.",
    )
    licence_name = serializers.CharField(
        allow_blank=True, help_text="The licence as readers see it, e.g. CC BY 4.0."
    )
    licence_url = serializers.CharField(allow_blank=True, help_text="The licence's terms.")
    licence_expires = serializers.DateField(
        allow_null=True, help_text="The last day the image may be published; null: no end."
    )
    source_url = serializers.CharField(allow_blank=True, help_text="Where it was obtained.")


class ImageSerializer(Shape):
    """An image with its renditions, as ``news.renditions.image_representation`` draws it
    (the same JSON in body blocks and feeds)."""

    id = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSetSerializer()
    rights = ImageRightsSerializer(
        allow_null=True, help_text="Credit and licence of the image; null when none are stored."
    )

    def to_representation(self, image):
        return image_representation(image)


class TopicSerializer(Shape):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="In the requested language where translated.")
    slug = serializers.CharField()


class AuthorSerializer(Shape):
    """An author localized by ``queries.localized_authors`` (or marked alike), its photo's
    renditions loaded by ``load_author_images``."""

    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    translation_key = serializers.UUIDField(help_text="Shared by all translations of an author.")
    locale = locale_field(
        source="content_language", allow_null=True, help_text="Language of the name and role."
    )
    is_fallback = serializers.BooleanField(
        help_text="True when the author is not translated into the requested language."
    )
    name = serializers.CharField()
    slug = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True, help_text="The author's HTML page.")
    api_url = serializers.URLField()
    image = ImageSerializer(allow_null=True)

    def get_url(self, author):
        return presentation.author_url(author, self.context["language"])

    def get_api_url(self, author):
        path = reverse("newsdesk_api:author-detail", kwargs={"pk": author.pk})
        return self.context["request"].build_absolute_uri(path) + (
            f"?locale={self.context['language']}"
        )


class AuthorLinkSerializer(Shape):
    label = serializers.CharField()
    url = serializers.CharField()

    def get_label(self, link):
        return link.value.get("label") or ""

    def get_url(self, link):
        return link.value.get("url") or ""


# --- news --------------------------------------------------------------------------------


class NewsSummarySerializer(Shape):
    """The list shape of a page that ``presentation.decorate`` has prepared."""

    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    translation_key = serializers.UUIDField(help_text="Shared by all translations of a story.")
    locale = locale_field(source="content_language", help_text="Language of the content.")
    requested_locale = locale_field(help_text="Language the client asked for.")
    is_fallback = serializers.BooleanField(
        help_text="True when the story is not translated into the requested language."
    )
    fallback_notice = serializers.CharField(
        allow_null=True, help_text="Notice in the requested language, or null."
    )
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField(
        source="display_url", help_text="The HTML page, under the requested language prefix."
    )
    api_url = serializers.URLField()
    date = serializers.DateField(allow_null=True)
    lead = serializers.CharField(allow_blank=True)
    topics = TopicSerializer(many=True, source="display_topics")
    image = ImageSerializer(
        allow_null=True, help_text="The hero image; `alt` is the story's alt text or caption."
    )
    authors = AuthorSerializer(
        many=True, source="display_authors", help_text="In the editor's order."
    )
    byline = serializers.CharField(allow_blank=True, help_text="An agency or guest byline.")
    image_credit = serializers.CharField(
        allow_blank=True,
        help_text="The hero image's credit: the story's own, else the image's (`image.rights`).",
    )
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="Time of the latest correction, update or clarification."
    )
    available_locales = serializers.ListField(child=locale_field(), source="available_languages")
    field_locales = serializers.DictField(
        child=locale_field(),
        help_text="Fields still in another language than `locale`: untranslated segments "
        'of a translation, e.g. {"lead": "kk"}.',
    )

    def get_requested_locale(self, page):
        return self.context["language"]

    def get_fallback_notice(self, page):
        if not page.is_fallback:
            return None
        notices, key = self.context["notices"], tuple(page.available_languages)
        if key not in notices:
            notices[key] = i18n.fallback_notice(key, self.context["language"])
        return notices[key]

    def get_api_url(self, page):
        return self.api_url(page.pk)

    def get_image(self, page):
        """Its ``alt`` is the page's alt text, else the caption (translated with the
        page), never the image file's title."""
        image = image_representation(page.image)
        if image is not None:
            image["alt"] = page.image_alt_text
        return image

    def get_image_credit(self, page):
        return image_rights.credit(page.image, page.image_credit)

    def get_field_locales(self, page):
        return dict(getattr(page, "field_locales", {}))


class HeadingValueSerializer(Shape):
    text = serializers.CharField()
    level = serializers.ChoiceField(choices=HEADING_LEVELS, help_text="h2, h3 or h4.")


class ParagraphValueSerializer(Shape):
    html = serializers.CharField(allow_blank=True)


class QuoteValueSerializer(Shape):
    text = serializers.CharField(allow_blank=True)
    attribution = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)


class ImageBlockValueSerializer(Shape):
    image = ImageSerializer(allow_null=True)
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(
        allow_blank=True, help_text="The block's own credit, else the image's (`image.rights`)."
    )


class EmbedValueSerializer(Shape):
    url = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)


def _block(kind, value_serializer):
    return type(
        f"{kind.title()}BlockSerializer",
        (Shape,),
        {
            "id": serializers.CharField(allow_blank=True),
            "type": serializers.ChoiceField(choices=[kind]),
            "value": value_serializer(),
            "field_locales": serializers.DictField(
                child=locale_field(),
                required=False,
                help_text="Only when some of the block's fields are untranslated: their "
                'language, e.g. {"role": "kk"} (the item\'s `locale` otherwise).',
            ),
        },
    )


# Each block's JSON is the block's own ``get_api_representation`` (news.blocks, through
# news.rendering.body_data); these describe it, and the schema test checks real bodies.
BLOCK_SERIALIZERS = {
    "heading": _block("heading", HeadingValueSerializer),
    "paragraph": _block("paragraph", ParagraphValueSerializer),
    "quote": _block("quote", QuoteValueSerializer),
    "image": _block("image", ImageBlockValueSerializer),
    "embed": _block("embed", EmbedValueSerializer),
}


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="Block",
        serializers=BLOCK_SERIALIZERS,
        resource_type_field_name="type",
        many=True,
    )
)
class BodyField(serializers.JSONField):
    """Typed blocks ``{id, type, value}`` of the article body."""


class Version(NamedTuple):
    """One language version of a page, for ``translations``."""

    locale: str
    page: Any


class PageTranslationSerializer(Shape):
    locale = locale_field()
    id = serializers.IntegerField(source="page.pk")
    title = serializers.CharField(source="page.title")
    url = serializers.CharField()

    def get_url(self, version):
        return version.page.get_url(None)


class TranslationSerializer(PageTranslationSerializer):
    api_url = serializers.URLField()

    def get_api_url(self, version):
        return self.api_url(version.page.pk, version.locale)


class SeoSerializer(Shape):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    canonical_url = serializers.CharField()

    def get_title(self, page):
        return page.seo_title or page.title

    def get_description(self, page):
        return page.search_description or getattr(page, "lead", "")

    def get_canonical_url(self, page):
        return page.get_full_url(None)


class NoteSerializer(Shape):
    """A note of ``presentation.display_notes`` (its ``lang`` is set while untranslated)."""

    renders_mappings = True

    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=NOTE_KINDS)
    at = serializers.DateTimeField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    lang = locale_field(help_text="Language of the text (the source's until translated).")
    is_translated = serializers.BooleanField()

    def get_lang(self, note):
        return note["lang"] or note["page"].content_language

    def get_is_translated(self, note):
        return note["lang"] is None


def versions_of(versions):
    """``Version``s of ``{code: page}`` in the site's language order."""
    return [
        Version(code, version)
        for code in i18n.language_codes()
        if (version := versions.get(code)) is not None
    ]


# --- Live blogs (news.live) ------------------------------------------------------------


class LiveEntrySerializer(Shape):
    """One live entry (``news.live.Entry``) as readers of the requested language get it."""

    id = serializers.CharField(help_text="Stable id, the same in every language.")
    anchor = serializers.CharField(help_text="The entry's #anchor on the story's page.")
    url = serializers.CharField(help_text="The story's URL in the requested language, #anchor.")
    locale = locale_field(
        source="content_language",
        help_text="Language of the entry (the source's until translated).",
    )
    is_fallback = serializers.BooleanField(help_text="True when `locale` is not the requested one.")
    at = serializers.DateTimeField(help_text="The entry's time (datePublished).")
    modified_at = serializers.DateTimeField(
        source="modified", help_text="When the entry last changed in this language (the cursor's)."
    )
    headline = serializers.CharField()
    body = BodyField()
    authors = serializers.ListField(
        child=serializers.DictField(), help_text="`{id, name, slug, locale}` of each author."
    )
    key_event = serializers.BooleanField()
    pinned = serializers.BooleanField()
    field_locales = serializers.DictField(
        child=locale_field(),
        help_text='Fields still in another language than `locale`, e.g. {"headline": "kk"}.',
    )

    def get_url(self, entry):
        base = self.context.get("live_page_url") or ""
        return f"{base}#{entry.anchor}"

    def get_at(self, entry):
        return entry.at.isoformat() if entry.at else None

    def get_modified_at(self, entry):
        return entry.modified.isoformat() if entry.modified else None

    def get_body(self, entry):
        block = entry.version.entries.stream_block.child_blocks["entry"].child_blocks["body"]
        context = {
            "request": self.context.get("request"),
            "segment_languages": entry.segment_languages,
        }
        return block.get_api_representation(entry.body, context)

    def get_authors(self, entry):
        return [
            {
                "id": author.pk,
                "name": author.name,
                "slug": author.slug,
                "locale": getattr(author, "content_language", None) or author.locale.language_code,
            }
            for author in entry.authors
        ]

    def get_field_locales(self, entry):
        return dict(entry.segment_languages.fields)


class LiveSerializer(Shape):
    """A live blog's state and entries (pinned first, then newest first)."""

    renders_mappings = True

    status = serializers.ChoiceField(choices=[("live", "live"), ("ended", "ended")])
    coverage_start = serializers.DateTimeField(allow_null=True)
    coverage_end = serializers.DateTimeField(allow_null=True)
    breaking = serializers.BooleanField(help_text="Shown in the breaking banner.")
    cursor = serializers.CharField(
        allow_blank=True, help_text="Pass as `since` to the updates endpoint."
    )
    entries = LiveEntrySerializer(many=True)


class LiveUpdatesSerializer(LiveSerializer):
    """The updates endpoint: the entries added or changed after `since`, newest first."""

    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    locale = locale_field(help_text="Language of the story's version served.")
    requested_locale = locale_field()
    entry_ids = serializers.ListField(
        child=serializers.CharField(),
        help_text="Every current entry's id, in page order: entries missing here were removed.",
    )


def live_data(page, entries, latest, context, **extra):
    """The ``live`` object of ``page`` (a live blog) with ``entries`` (``news.live.Entry``)."""
    request = context.get("request")
    url = getattr(page, "display_url", None) or page.get_url(request)
    base = request.build_absolute_uri(url) if request is not None and url else url
    shape = LiveUpdatesSerializer if extra else LiveSerializer
    token = _answer_context.set({**context, "live_page_url": base})
    try:
        return shape().to_representation(
            {
                "status": page.live_status,
                "coverage_start": page.coverage_start,
                "coverage_end": page.coverage_end,
                "breaking": page.breaking,
                "cursor": live.cursor(latest),
                "entries": entries,
                **extra,
            }
        )
    finally:
        _answer_context.reset(token)


class NewsDetailSerializer(NewsSummarySerializer):
    """The summary plus body, translations, SEO and dates.

    The context's ``versions`` is ``queries.translations_of(page)``; images of the body must
    have been attached by ``load_images``.
    """

    body = BodyField()
    field_locales = serializers.DictField(
        child=locale_field(),
        help_text="Fields (title, lead) whose text is still in another language than "
        '`locale`: untranslated segments of a translation, e.g. {"lead": "kk"}.',
    )
    translations = TranslationSerializer(many=True)
    seo = SeoSerializer(source="*")
    corrections = NoteSerializer(
        many=True, help_text="Corrections, updates and clarifications, in order."
    )
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    live = LiveSerializer(
        allow_null=True, help_text="A live blog's status and entries; null for a story."
    )

    def to_representation(self, page):
        # Untranslated segments of a translation are in the source's language
        # (news.untranslated): the body's blocks and the text fields say which.
        page.api_segment_languages = untranslated.field_languages(page)
        return super().to_representation(page)

    def get_body(self, page):
        """Typed blocks ``{id, type, value}``: each block's own output (news.rendering)."""
        return rendering.body_data(
            page,
            self.context["language"],
            {"request": self.context["request"], "segment_languages": page.api_segment_languages},
            images=getattr(page, "_api_body_images", None),
        )

    def get_field_locales(self, page):
        fields = page.api_segment_languages.fields
        return {name: code for name, code in fields.items() if name in ITEM_TEXT_FIELDS}

    def get_translations(self, page):
        render = self.fields["translations"].child.to_representation
        return [render(version) for version in versions_of(self.context["versions"])]

    def get_corrections(self, page):
        render = self.fields["corrections"].child.to_representation
        return [render(note) for note in page.display_notes]

    def get_live(self, page):
        if not page.is_live_blog:
            return None
        language = self.context["language"]
        entries = live.localize_authors(
            live.entries_for(page, language, self.context.get("versions")), language
        )
        return live_data(
            page, live.pinned_first(entries), live.latest_change(entries), self.context
        )


class SearchItemSerializer(NewsSummarySerializer):
    snippet = serializers.CharField(help_text="HTML: escaped text, matched words in <mark>.")

    def get_snippet(self, page):
        return str(page.search_snippet)


# --- home and index pages (resolve/) -----------------------------------------------------


class PageSerializer(Shape):
    """A home or news index page as ``resolve/`` returns it (context: ``versions``)."""

    id = serializers.IntegerField()
    translation_key = serializers.UUIDField()
    locale = locale_field()
    requested_locale = locale_field()
    is_fallback = serializers.BooleanField()
    fallback_notice = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()
    news_api_url = serializers.URLField()
    intro = serializers.CharField(allow_blank=True)
    available_locales = serializers.ListField(child=locale_field())
    translations = PageTranslationSerializer(many=True)
    seo = SeoSerializer(source="*")

    def get_locale(self, page):
        return page.locale.language_code

    def get_requested_locale(self, page):
        return self.context["language"]

    def get_is_fallback(self, page):
        return i18n.localized(page, self.context["language"]).is_fallback

    def get_available_locales(self, page):
        return [version.locale for version in versions_of(self.context["versions"])]

    def get_fallback_notice(self, page):
        if not self.get_is_fallback(page):
            return None
        return i18n.fallback_notice(self.get_available_locales(page), self.context["language"])

    def get_url(self, page):
        return i18n.localized(page, self.context["language"]).url(page.get_url(None))

    def get_news_api_url(self, page):
        return f"{self.context['news_api_base']}?locale={self.context['language']}"

    def get_intro(self, page):
        return rendering.rich_text_html(getattr(page, "intro", ""), self.context["language"])

    def get_translations(self, page):
        render = self.fields["translations"].child.to_representation
        return [render(version) for version in versions_of(self.context["versions"])]


class Resolved(NamedTuple):
    type: str
    requested_locale: str
    item: Any


class ResolveNewsSerializer(Shape):
    type = serializers.ChoiceField(choices=["news"])
    requested_locale = locale_field()
    item = NewsDetailSerializer()


class ResolvePageSerializer(Shape):
    type = serializers.ChoiceField(choices=["home", "index"])
    requested_locale = locale_field()
    item = PageSerializer()


RESOLVE_SCHEMA = PolymorphicProxySerializer(
    component_name="Resolve",
    serializers={
        "news": ResolveNewsSerializer,
        "home": ResolvePageSerializer,
        "index": ResolvePageSerializer,
    },
    resource_type_field_name="type",
)


# --- the pagination envelope -------------------------------------------------------------


class Window(NamedTuple):
    """One page of a paginated answer: its items already rendered by their shape."""

    results: list
    count: int
    page: int
    page_size: int


class PaginatedSerializer(Shape):
    """The one envelope of paginated answers: ``{count, next, previous, results}``."""

    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)

    def get_next(self, window):
        return self._links(window)[0]

    def get_previous(self, window):
        return self._links(window)[1]

    def _links(self, window):
        return page_links(self.context["request"], window.page, window.page_size, window.count)

    def get_results(self, window):
        return window.results


def paginated(item, name):
    """The envelope's shape for pages of ``item`` (a Shape class), named ``name``."""
    return type(
        f"{name}Serializer",
        (PaginatedSerializer,),
        {
            "__doc__": f"A page of {item.__name__.removesuffix('Serializer')} items.",
            "results": item(many=True),
        },
    )


NewsListSerializer = paginated(NewsSummarySerializer, "NewsList")


AuthorListSerializer = paginated(AuthorSerializer, "AuthorList")


class AuthorDetailSerializer(AuthorSerializer):
    """An author's own page (context: ``news``, the envelope of their stories)."""

    bio = serializers.CharField(allow_blank=True)
    links = AuthorLinkSerializer(many=True)
    news = NewsListSerializer(help_text="The author's stories, newest first (paginated).")

    def get_links(self, author):
        render = self.fields["links"].child.to_representation
        return [render(link) for link in author.links or []]

    def get_news(self, author):
        return self.context["news"]


class OtherNewsSerializer(Shape):
    results = NewsSummarySerializer(many=True)

    def get_results(self, results):
        return results


class TopicItemSerializer(Shape):
    """A topic in the requested language where translated, else along its fallback chain."""

    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    translation_key = serializers.UUIDField(help_text="Shared by all translations of a topic.")
    locale = locale_field(source="language_code", help_text="Language of the name.")
    is_fallback = serializers.BooleanField(
        help_text="True when the topic is not translated into the requested language."
    )
    name = serializers.CharField()
    slug = serializers.CharField(help_text="The news list's `topic` parameter, in `locale`.")
    count = serializers.IntegerField(
        min_value=0, help_text="Live, public stories with this topic in the requested language."
    )
    news_api_url = serializers.URLField(help_text="The news list narrowed to this topic.")

    def get_is_fallback(self, topic):
        return i18n.localized(topic, self.context["language"], topic.language_code).is_fallback

    def get_count(self, topic):
        return self.context["counts"].get(topic.translation_key, 0)

    def get_news_api_url(self, topic):
        query = urlencode({"locale": self.context["language"], "topic": topic.slug})
        return f"{self.context['news_api_base']}?{query}"


class TopicListSerializer(Shape):
    results = TopicItemSerializer(many=True, source="*")


class StoryRefSerializer(Shape):
    """The story a correction belongs to."""

    id = serializers.IntegerField()
    locale = locale_field(source="content_language")
    title = serializers.CharField()
    url = serializers.CharField(source="display_url")
    api_url = serializers.URLField()

    def get_api_url(self, page):
        return self.api_url(page.pk)


class CorrectionSerializer(NoteSerializer):
    """A correction as the corrections page shows it, with its story."""

    story = StoryRefSerializer(source="page")


CorrectionListSerializer = paginated(CorrectionSerializer, "CorrectionList")


class LocaleSerializer(Shape):
    code = locale_field(source="*")
    name = serializers.CharField(help_text="The language's name in that language.")
    is_default = serializers.BooleanField()
    fallback_chain = serializers.ListField(
        child=locale_field(), help_text="Languages tried, in order, when missing."
    )

    def get_name(self, code):
        return i18n.local_name(code)

    def get_is_default(self, code):
        return code == settings.LANGUAGE_CODE

    def get_fallback_chain(self, code):
        return i18n.fallback_chain(code)[1:]


class LocaleListSerializer(Shape):
    results = LocaleSerializer(many=True, source="*")


# --- problems (news.api.errors builds them) -----------------------------------------------


class ProblemErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: application/problem+json."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    errors = ProblemErrorSerializer(many=True)


# --- loading what the shapes show ---------------------------------------------------------


def load_images(pages):
    """Hero, body and authors' images of ``pages`` with their renditions: one query in all."""
    ids = set()
    for page in pages:
        if page.image_id:
            ids.add(page.image_id)
        ids |= rendering.body_image_ids([page])
        ids |= author_image_ids(page)
    images = images_with_renditions(ids)
    for page in pages:
        page.image = images.get(page.image_id) if page.image_id else None
        page._api_body_images = images
        page.newsdesk_images = images  # the authors' photos (news.queries.authors_of)
    return pages


def load_author_images(authors):
    """The renditions of the authors' photos, one query for all (none without photos)."""
    images = [
        author.image
        for author in authors
        if author.image is not None and not hasattr(author.image, "prefetched_renditions")
    ]
    if images:
        prefetch_related_objects(
            images,
            Prefetch(
                "renditions",
                queryset=get_image_model()
                .get_rendition_model()
                .objects.filter(filter_spec__in=list(RENDITIONS.values())),
                to_attr="prefetched_renditions",
            ),
        )
    return authors
