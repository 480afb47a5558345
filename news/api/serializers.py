"""The JSON shapes of the API.

Items are built as plain dicts from pages that ``news.queries`` has already
loaded and decorated (fallback rules live there, never here); building them
runs no query per item. The DRF serializer classes at the end describe the
same shapes for the OpenAPI schema only, and the schema test checks that every
answer matches them.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from wagtail.images import get_image_model

from news import i18n, presentation, rendering, untranslated
from news.queries import author_image_ids
from news.renditions import RENDITIONS, image_representation, images_with_renditions

# The detail's own text fields that ``field_locales`` reports on.
ITEM_TEXT_FIELDS = ("title", "lead")


class ItemBuilder:
    """Builds items for one request: ``requested`` language, absolute API URLs."""

    def __init__(self, request, language):
        self.request = request
        self.language = language
        self.news_api_base = request.build_absolute_uri(reverse("newsdesk_api:news-list"))
        self._notices = {}

    # --- shared pieces ---------------------------------------------------------

    def api_url(self, page_id, language=None):
        return f"{self.news_api_base}{page_id}/?locale={language or self.language}"

    def author(self, author):
        """An author localized by ``queries.localized_authors`` (or marked alike), its
        photo's renditions loaded by ``load_author_images``."""
        return {
            "id": author.pk,
            "translation_key": str(author.translation_key),
            "locale": author.content_language,
            "is_fallback": author.is_fallback,
            "name": author.name,
            "slug": author.slug,
            "role": author.role,
            "url": presentation.author_url(author, self.language),
            "api_url": self.request.build_absolute_uri(
                reverse("newsdesk_api:author-detail", kwargs={"pk": author.pk})
            )
            + f"?locale={self.language}",
            "image": image_representation(author.image),
        }

    def author_detail(self, author):
        """An author's own page: the list shape plus the bio and the links."""
        item = self.author(author)
        item["bio"] = author.bio
        item["links"] = [
            {"label": link.value.get("label") or "", "url": link.value.get("url") or ""}
            for link in author.links or []
        ]
        return item

    def hero_image(self, page):
        """The hero image; its ``alt`` is the page's alt text, else the caption (translated
        with the page), never the image file's title."""
        image = image_representation(page.image)
        if image is not None:
            image["alt"] = page.image_alt_text
        return image

    def notice(self, page):
        if not page.is_fallback:
            return None
        key = tuple(page.available_languages)
        if key not in self._notices:
            self._notices[key] = i18n.fallback_notice(key, self.language)
        return self._notices[key]

    # --- list items ------------------------------------------------------------

    def summary(self, page):
        """The list shape of a page that ``queries.decorate`` has prepared."""
        return {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "locale": page.content_language,
            "requested_locale": self.language,
            "is_fallback": page.is_fallback,
            "fallback_notice": self.notice(page),
            "title": page.title,
            "slug": page.slug,
            "url": page.display_url,
            "api_url": self.api_url(page.pk),
            "date": page.date.isoformat() if page.date else None,
            "lead": page.lead,
            "topics": [
                {"id": topic.pk, "name": topic.name, "slug": topic.slug}
                for topic in page.display_topics
            ],
            "image": self.hero_image(page),
            "authors": [self.author(author) for author in page.display_authors],
            "byline": page.byline,
            "updated_at": _datetime(page.updated_at),
            "available_locales": list(page.available_languages),
            "field_locales": dict(getattr(page, "field_locales", {})),
        }

    # --- detail ----------------------------------------------------------------

    def detail(self, page, versions):
        """The detail shape: the summary plus body, translations, SEO and dates.

        ``versions`` is ``queries.translations_of(page)``; images of the body must
        have been attached by ``load_body_images``.
        """
        item = self.summary(page)
        languages = untranslated.field_languages(page)
        item["body"] = self.body(page, languages)
        # Untranslated segments of a translation are in the source's language (news.untranslated).
        item["field_locales"] = {
            name: code for name, code in languages.fields.items() if name in ITEM_TEXT_FIELDS
        }
        item["translations"] = [
            {
                "locale": code,
                "id": version.pk,
                "title": version.title,
                "url": version.get_url(None),
                "api_url": self.api_url(version.pk, code),
            }
            for code in i18n.language_codes()
            if (version := versions.get(code)) is not None
        ]
        item["seo"] = {
            "title": page.seo_title or page.title,
            "description": page.search_description or page.lead,
            "canonical_url": page.get_full_url(None),
        }
        item["corrections"] = [
            {
                "id": note["id"],
                "kind": note["kind"],
                "at": _datetime(note["at"]),
                "text": note["text"],
                "lang": note["lang"] or page.content_language,
                "is_translated": note["lang"] is None,
            }
            for note in page.display_notes
        ]
        item["first_published_at"] = _datetime(page.first_published_at)
        item["last_published_at"] = _datetime(page.last_published_at)
        return item

    def body(self, page, languages=None):
        """Typed blocks ``{id, type, value}``: each block's own output (news.rendering).

        With ``languages`` (news.untranslated), a block whose fields are untranslated
        also says which: ``field_locales``, e.g. ``{"role": "kk"}``.
        """
        return rendering.body_data(
            page,
            self.language,
            {"request": self.request, "segment_languages": languages},
            images=getattr(page, "_api_body_images", None),
        )

    # --- home and index pages (resolve/) ------------------------------------------

    def page(self, page, versions):
        """A home or news index page as ``resolve/`` returns it."""
        content_language = page.locale.language_code
        is_fallback = content_language != self.language
        available = [code for code in i18n.language_codes() if code in versions]
        url = page.get_url(None)
        return {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "locale": content_language,
            "requested_locale": self.language,
            "is_fallback": is_fallback,
            "fallback_notice": (
                i18n.fallback_notice(available, self.language) if is_fallback else None
            ),
            "title": page.title,
            "slug": page.slug,
            "url": i18n.swap_language_prefix(url, self.language) if is_fallback else url,
            "news_api_url": f"{self.news_api_base}?locale={self.language}",
            "intro": rendering.rich_text_html(getattr(page, "intro", ""), self.language),
            "available_locales": available,
            "translations": [
                {
                    "locale": code,
                    "id": version.pk,
                    "title": version.title,
                    "url": version.get_url(None),
                }
                for code in i18n.language_codes()
                if (version := versions.get(code)) is not None
            ],
            "seo": {
                "title": page.seo_title or page.title,
                "description": page.search_description or "",
                "canonical_url": page.get_full_url(None),
            },
        }


def _datetime(value):
    return value.isoformat() if value else None


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


# --- Schema-only serializers ----------------------------------------------------------


class RenditionSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionSetSerializer(serializers.Serializer):
    card = RenditionSerializer(help_text="640×360 crop (WebP) for cards.")
    small = RenditionSerializer(help_text="480 px wide (WebP).")
    medium = RenditionSerializer(help_text="960 px wide (WebP).")
    large = RenditionSerializer(help_text="1600 px wide (WebP).")
    og = RenditionSerializer(help_text="1200×630 crop (JPEG) for social cards.")


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSetSerializer()


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="In the requested language where translated.")
    slug = serializers.CharField()


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    translation_key = serializers.UUIDField(help_text="Shared by all translations of an author.")
    locale = serializers.CharField(allow_null=True, help_text="Language of the name and role.")
    is_fallback = serializers.BooleanField(
        help_text="True when the author is not translated into the requested language."
    )
    name = serializers.CharField()
    slug = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True, help_text="The author's HTML page.")
    api_url = serializers.URLField()
    image = ImageSerializer(allow_null=True)


class NoteSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["correction", "update", "clarification"])
    at = serializers.DateTimeField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    lang = serializers.CharField(help_text="Language of the text (the source's until translated).")
    is_translated = serializers.BooleanField()


class NewsSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of the version served (may be a fallback).")
    translation_key = serializers.UUIDField(help_text="Shared by all translations of a story.")
    locale = serializers.CharField(help_text="Language of the content.")
    requested_locale = serializers.CharField(help_text="Language the client asked for.")
    is_fallback = serializers.BooleanField(
        help_text="True when the story is not translated into the requested language."
    )
    fallback_notice = serializers.CharField(
        allow_null=True, help_text="Notice in the requested language, or null."
    )
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField(help_text="The HTML page, under the requested language prefix.")
    api_url = serializers.URLField()
    date = serializers.DateField(allow_null=True)
    lead = serializers.CharField(allow_blank=True)
    topics = TopicSerializer(many=True)
    image = ImageSerializer(allow_null=True)
    authors = AuthorSerializer(many=True, help_text="In the editor's order.")
    byline = serializers.CharField(allow_blank=True, help_text="An agency or guest byline.")
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="Time of the latest correction, update or clarification."
    )
    available_locales = serializers.ListField(child=serializers.CharField())
    field_locales = serializers.DictField(
        child=serializers.CharField(),
        help_text="Fields still in another language than `locale`: untranslated segments "
        'of a translation, e.g. {"lead": "kk"}.',
    )


class HeadingValueSerializer(serializers.Serializer):
    text = serializers.CharField()
    level = serializers.IntegerField(min_value=2, max_value=4)


class ParagraphValueSerializer(serializers.Serializer):
    html = serializers.CharField(allow_blank=True)


class QuoteValueSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    attribution = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)


class ImageBlockValueSerializer(serializers.Serializer):
    image = ImageSerializer(allow_null=True)
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)


class EmbedValueSerializer(serializers.Serializer):
    url = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)


def _block(kind, value_serializer):
    return type(
        f"{kind.title()}BlockSerializer",
        (serializers.Serializer,),
        {
            "id": serializers.CharField(allow_blank=True),
            "type": serializers.ChoiceField(choices=[kind]),
            "value": value_serializer(),
            "field_locales": serializers.DictField(
                child=serializers.CharField(),
                required=False,
                help_text="Only when some of the block's fields are untranslated: their "
                'language, e.g. {"role": "kk"} (the item\'s `locale` otherwise).',
            ),
        },
    )


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


class TranslationSerializer(serializers.Serializer):
    locale = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    api_url = serializers.URLField()


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    canonical_url = serializers.CharField()


class NewsDetailSerializer(NewsSummarySerializer):
    body = BodyField()
    field_locales = serializers.DictField(
        child=serializers.CharField(),
        help_text="Fields (title, lead) whose text is still in another language than "
        '`locale`: untranslated segments of a translation, e.g. {"lead": "kk"}.',
    )
    translations = TranslationSerializer(many=True)
    seo = SeoSerializer()
    corrections = NoteSerializer(
        many=True, help_text="Corrections, updates and clarifications, in order."
    )
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)


class NewsListSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NewsSummarySerializer(many=True)


class OtherNewsSerializer(serializers.Serializer):
    results = NewsSummarySerializer(many=True)


class AuthorListSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AuthorSerializer(many=True)


class AuthorLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class AuthorDetailSerializer(AuthorSerializer):
    bio = serializers.CharField(allow_blank=True)
    links = AuthorLinkSerializer(many=True)
    news = NewsListSerializer(help_text="The author's stories, newest first (paginated).")


class LocaleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The language's name in that language.")
    is_default = serializers.BooleanField()
    fallback_chain = serializers.ListField(
        child=serializers.CharField(), help_text="Languages tried, in order, when missing."
    )


class LocaleListSerializer(serializers.Serializer):
    results = LocaleSerializer(many=True)


class PageTranslationSerializer(serializers.Serializer):
    locale = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class PageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    translation_key = serializers.UUIDField()
    locale = serializers.CharField()
    requested_locale = serializers.CharField()
    is_fallback = serializers.BooleanField()
    fallback_notice = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()
    news_api_url = serializers.URLField()
    intro = serializers.CharField(allow_blank=True)
    available_locales = serializers.ListField(child=serializers.CharField())
    translations = PageTranslationSerializer(many=True)
    seo = SeoSerializer()


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="ResolvedItem",
        serializers=[NewsDetailSerializer, PageSerializer],
        resource_type_field_name=None,
    )
)
class ResolvedItemField(serializers.JSONField):
    """A news detail (type "news") or a page (types "home" and "index")."""


class ResolveSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["home", "index", "news"],
        help_text="news: item has the news detail shape; home and index: the page shape.",
    )
    requested_locale = serializers.CharField()
    item = ResolvedItemField()


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
