"""StreamField blocks of a news body.

Every StructBlock carries its full Meta (icon, template, preview, description), and
``get_api_representation`` gives headless frontends what they really need: rendition
URLs instead of image ids, real hrefs instead of internal link markup.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html

from news.renditions import image_representation
from news.sanitize import clean_rich_text, safe_url

HEADING_LEVELS = [("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))]


class HeadingBlock(blocks.StructBlock):
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
        return {"text": value["text"], "level": int(level[1])}


class ParagraphBlock(blocks.RichTextBlock):
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
        # Internal links become real URLs of the locale being served.
        return {"html": expand_db_html(value.source)}


def _safe_source(struct_value):
    if struct_value.get("source_url"):
        struct_value["source_url"] = safe_url(struct_value["source_url"])
    return struct_value


class QuoteBlock(blocks.StructBlock):
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
            "text": value["text"],
            "attribution": value.get("attribution") or "",
            "role": value.get("role") or "",
            "source_url": value.get("source_url") or "",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), max_length=500, required=False)
    credit = blocks.CharBlock(label=_("Credit"), max_length=255, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/image_block.html"
        description = _("A picture with its caption and credit.")

    def get_api_representation(self, value, context=None):
        return {
            "image": image_representation(value.get("image")),
            "caption": value.get("caption") or "",
            "credit": value.get("credit") or "",
        }


class NewsEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        label = _("Embed")
        template = "news/blocks/embed_block.html"
        description = _("A video or post from YouTube, Vimeo, X and other oEmbed providers.")

    def get_api_representation(self, value, context=None):
        if not value:
            return {"url": "", "html": "", "title": ""}
        embed = getattr(value, "embed", None)
        return {
            "url": value.url,
            "html": getattr(embed, "html", "") if embed else "",
            "title": getattr(embed, "title", "") if embed else "",
        }


class NewsBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = NewsEmbedBlock()

    class Meta:
        block_counts = {}
