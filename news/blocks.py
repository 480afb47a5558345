"""StreamField blocks of a news body, and the one definition of each block's output.

Every StructBlock carries its full Meta (icon, template, preview, description), and
``get_api_representation`` gives headless frontends what they really need: rendition
URLs instead of image ids, real hrefs instead of internal link markup. It is the
only block output: API v2 calls it natively, API v1 and the full feeds through
``news.rendering.body_data``; the HTML block templates (news/templates/news/blocks/)
show the same fields. Internal links are expanded by ``expand_db_html``, whose
``page`` link rule news.links registers (this module does not import it: content
sits below delivery).

A translated page may still hold source-language text (news.untranslated). Each
block learns the language of its untranslated fields from the ``segment_languages``
of its render or API context (keyed by the block's id): its template marks those
elements with ``lang`` (``field_lang``), and the body's API output lists them under
the block's ``field_locales``.

Loading is batched the Wagtail way, in ``bulk_to_python``: a body's images come with
their renditions in one query. A surface that renders many bodies at once loads
their images and cached embeds once and hands them over with :func:`preloaded`.
"""

import contextlib
import contextvars

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.models import Embed
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html

from news import image_rights, renditions
from news.renditions import image_representation
from news.sanitize import clean_rich_text, safe_url

# {"images": {pk: image}, "embeds": {url: Embed}} handed over by ``preloaded``.
_preloaded = contextvars.ContextVar("newsdesk_block_preloads", default=None)


@contextlib.contextmanager
def preloaded(*, images=None, embeds=None):
    """Within the block, body images and cached embeds come from these dicts (no query).

    ``images`` ({pk: image with prefetched renditions}) must hold every image the
    bodies converted inside the block refer to: an id missing from it is a deleted image.
    ``embeds`` maps a URL to its cached oEmbed row; a URL missing from it has none.
    """
    token = _preloaded.set({"images": images, "embeds": embeds})
    try:
        yield
    finally:
        _preloaded.reset(token)


def _preloaded_value(kind):
    loads = _preloaded.get()
    return None if loads is None else loads.get(kind)


def cached_embeds(urls):
    """``{url: Embed}``: the cached oEmbed rows of ``urls``, one query, never the network."""
    found = {}
    urls = {url for url in urls if url}
    if urls:
        for embed in Embed.objects.filter(url__in=urls).order_by("url", "-last_updated"):
            found.setdefault(embed.url, embed)
    return found


def image_ids(raw_data):
    """Ids of the images that the image blocks of a stored body (raw data) show."""
    return {
        raw["value"]["image"]
        for raw in raw_data
        if isinstance(raw, dict)
        and raw.get("type") == "image"
        and isinstance(raw.get("value"), dict)
        and isinstance(raw["value"].get("image"), int)
    }


def images_with_renditions(ids):
    """``{pk: image}`` with every configured rendition attached: one query (news.renditions)."""
    return renditions.images_with_renditions(ids)


def block_languages(context, block_id):
    """``{child field: language}`` of a block's untranslated fields, from the context."""
    languages = (context or {}).get("segment_languages")
    return languages.of_block(block_id) if languages else {}


class FieldLanguageMixin:
    """A block whose template receives ``field_lang``: its fields' languages where untranslated.

    ``whole_value_field`` names the API field that carries a block's whole value
    (a paragraph's ``html``); a struct block's children keep their own names.
    """

    whole_value_field = None

    def field_locales(self, languages):
        if self.whole_value_field is None:
            return dict(languages)
        return {self.whole_value_field: languages[""]} if "" in languages else {}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["field_lang"] = self.field_locales(
            block_languages(parent_context, (parent_context or {}).get("id"))
        )
        return context


HEADING_LEVELS = [("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))]


class HeadingBlock(FieldLanguageMixin, blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=HEADING_LEVELS, default="h2", required=False
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "news/blocks/heading_block.html"
        description = _("A section heading inside the article.")
        preview_value = {"text": "Экономикалық ынтымақтастық", "level": "h2"}

    def get_api_representation(self, value, context=None):
        level = value.get("level") or "h2"
        level = level if level in ("h2", "h3", "h4") else "h2"
        return {"text": value.get("text") or "", "level": int(level[1])}


class ParagraphBlock(FieldLanguageMixin, blocks.RichTextBlock):
    whole_value_field = "html"

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "document-link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "news/blocks/paragraph_block.html"
        description = _("Body text with links and lists.")
        preview_value = (
            "<p>Кездесу барысында тараптар ынтымақтастықтың жаңа бағыттарын талқылады.</p>"
        )

    def to_python(self, value):
        # Stored HTML may come from imports or scripts, not only the editor: strip
        # anything executable before any template, feed or API sees it.
        return super().to_python(clean_rich_text(value))

    def get_api_representation(self, value, context=None):
        # Internal links become real URLs of the reader's language (news.links).
        return {"html": expand_db_html(value.source) if value else ""}


def _safe_source(struct_value):
    if struct_value.get("source_url"):
        struct_value["source_url"] = safe_url(struct_value["source_url"])
    return struct_value


class QuoteBlock(FieldLanguageMixin, blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), help_text=_("The words as they were said."))
    attribution = blocks.CharBlock(
        label=_("Speaker"), max_length=255, required=False, help_text=_("Who said it.")
    )
    role = blocks.CharBlock(
        label=_("Role"),
        max_length=255,
        required=False,
        help_text=_("The speaker's position, e.g. “Ambassador of Japan to Kazakhstan”."),
    )
    source_url = blocks.URLBlock(
        label=_("Source URL"), required=False, help_text=_("Where the quote was published.")
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote_block.html"
        description = _("A quotation with its speaker and the speaker's role.")
        preview_value = {
            "text": "Біз жапондық нарыққа шығуды қалаймыз, бірақ бұл өте қиын.",
            "attribution": "Марат Сұлтанғазиев",
            "role": "Алматы облысының әкімі",
            "source_url": "",
        }

    # Whatever is stored, a source link is never ``javascript:`` or another
    # non-web scheme by the time a template, feed or the API sees it.
    def to_python(self, value):
        return _safe_source(super().to_python(value))

    def bulk_to_python(self, values):
        return [_safe_source(value) for value in super().bulk_to_python(values)]

    def get_api_representation(self, value, context=None):
        return {
            "text": value.get("text") or "",
            "attribution": value.get("attribution") or "",
            "role": value.get("role") or "",
            "source_url": value.get("source_url") or "",
        }


class ImageBlock(FieldLanguageMixin, blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), max_length=500, required=False)
    # An override for this story only: the image's own credit is stored once, on the image
    # (news.image_rights), and shows when this is empty.
    credit = blocks.CharBlock(
        label=_("Credit"),
        max_length=255,
        required=False,
        help_text=_("Only for this story; empty: the image's own credit."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/image_block.html"
        description = _("A picture with its caption and credit.")

    def bulk_to_python(self, values):
        """Structs whose images carry their renditions: preloaded ones, else two queries."""
        values = [value if isinstance(value, dict) else {} for value in values]
        images = _preloaded_value("images")
        if images is None:
            images = images_with_renditions({value.get("image") for value in values})
        structs = super().bulk_to_python(
            [{key: item for key, item in value.items() if key != "image"} for value in values]
        )
        for struct, value in zip(structs, values, strict=True):
            struct["image"] = images.get(value.get("image"))
        return structs

    def get_api_representation(self, value, context=None):
        return {
            "image": image_representation(value.get("image")),
            "caption": value.get("caption") or "",
            "credit": image_rights.credit(value.get("image"), value.get("credit") or ""),
        }


class NewsEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        label = _("Embed")
        template = "news/blocks/embed_block.html"
        description = _("A video or post from YouTube, Vimeo, X and other oEmbed providers.")

    def to_python(self, value):
        # As a quote's source: never a ``javascript:`` or other non-web URL on any surface.
        return super().to_python(safe_url(value) if isinstance(value, str) else value)

    def get_api_representation(self, value, context=None):
        """The URL, with the provider's HTML and title when cached: never a network fetch."""
        if not value:
            return {"url": "", "html": "", "title": ""}
        url = value.url
        embeds = _preloaded_value("embeds")
        embed = embeds.get(url) if embeds is not None else cached_embeds([url]).get(url)
        return {
            "url": url,
            "html": embed.html if embed else "",
            "title": embed.title if embed else "",
        }


class NewsBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = NewsEmbedBlock()

    class Meta:
        block_counts = {}

    def get_api_representation(self, value, context=None):
        """Wagtail's ``{type, value, id}``, plus ``field_locales`` where a field is untranslated."""
        items = super().get_api_representation(value, context)
        if (context or {}).get("segment_languages"):
            for item in items:
                child = self.child_blocks.get(item["type"])
                languages = block_languages(context, item["id"])
                if languages and isinstance(child, FieldLanguageMixin):
                    if locales := child.field_locales(languages):
                        item["field_locales"] = locales
        return items


NOTE_KINDS = [
    ("correction", _("Correction")),
    ("update", _("Update")),
    ("clarification", _("Clarification")),
]


class EditorsNoteBlock(blocks.StructBlock):
    """A correction, update or clarification appended to a published story.

    wagtail-localize extracts only the text: the kind and the time are not text
    segments, so a translation always carries the source's (they are synchronised).
    """

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=NOTE_KINDS, default="correction")
    at = blocks.DateTimeBlock(label=_("Date and time"), help_text=_("When the story changed."))
    text = blocks.TextBlock(
        label=_("Text"), help_text=_("What changed, and why, in a sentence or two.")
    )

    class Meta:
        icon = "warning"
        label = _("Editor's note")
        template = "news/blocks/editors_note_block.html"
        description = _("A correction, update or clarification shown to readers.")
        preview_value = {
            "kind": "correction",
            "at": "2026-11-28T10:00:00",
            "text": "Мақаланың алғашқы нұсқасында фестиваль күні қате көрсетілген.",
        }


class EditorsNotesBlock(blocks.StreamBlock):
    note = EditorsNoteBlock()

    class Meta:
        block_counts = {}


class AuthorLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100, help_text=_("e.g. Telegram"))
    url = blocks.URLBlock(label=_("URL"))

    class Meta:
        icon = "link"
        label = _("Link")
        template = "news/blocks/author_link_block.html"
        description = _("A link to the author's profile elsewhere.")
        preview_value = {"label": "Telegram", "url": "https://t.me/example"}

    def to_python(self, value):
        value = super().to_python(value)
        if value.get("url"):
            value["url"] = safe_url(value["url"])
        return value
