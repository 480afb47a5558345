"""A story's body as typed block data for the reader of one language: written once.

Each block's output is its ``get_api_representation`` (news.blocks); internal links
follow news.links's rule through ``expand_db_html``. API v2 calls the blocks
natively; API v1 (``news.api.serializers``) and the full feeds (``full_bodies``) call
:func:`bodies_data` here, which runs ``stream_block.get_api_representation`` under
the reader's language, in a constant number of queries for any number of bodies:
the images of every body with their renditions (two queries, or none when the
caller already has them), the cached embeds (one) and every page link (one).

Raw stream data may come from an older schema or an import: a block whose stored
value has the wrong shape is left out instead of failing the answer.
"""

from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail.rich_text import expand_db_html

from news import blocks, links
from news.sanitize import clean_rich_text

# The stored shape of each block type's value.
_SHAPES = {"paragraph": str, "heading": dict, "quote": dict, "image": dict, "embed": str}


def raw_blocks(page):
    """The stored blocks of ``page``'s body whose values have their type's shape."""
    body = getattr(page, "body", None)
    if not body:
        return []
    return [
        raw
        for raw in body.raw_data
        if isinstance(raw, dict)
        and isinstance(raw.get("value"), _SHAPES.get(raw.get("type"), type(None)))
        and raw.get("type") in _SHAPES
    ]


def body_image_ids(pages):
    """Ids of the images in the bodies of ``pages``."""
    return {
        raw["value"].get("image")
        for page in pages
        for raw in raw_blocks(page)
        if raw["type"] == "image" and isinstance(raw["value"].get("image"), int)
    }


def bodies_data(pages, language, context=None, images=None):
    """``{page.pk: [{id, type, value}, …]}`` for readers of ``language``.

    ``images`` ({pk: image with renditions}) may hold the body images already
    loaded (API v1 loads them with the hero images); else they are loaded here.
    """
    pages = list(pages)
    stored = {page.pk: raw_blocks(page) for page in pages}
    all_raw = [raw for page_blocks in stored.values() for raw in page_blocks]
    if images is None:
        images = blocks.images_with_renditions(body_image_ids(pages))
    embeds = blocks.cached_embeds(raw["value"] for raw in all_raw if raw["type"] == "embed")
    sources = [raw["value"] for raw in all_raw if raw["type"] == "paragraph"]
    out = {}
    with (
        translation.override(language),
        blocks.preloaded(images=images, embeds=embeds),
        links.resolved(sources, language),
    ):
        for page in pages:
            stream_block = page.body.stream_block
            value = StreamValue(stream_block, stored[page.pk], is_lazy=True)
            # Each block as NewsBodyBlock outputs it (with its ``field_locales`` if any).
            out[page.pk] = [
                {**block, "id": block["id"] or ""}
                for block in stream_block.get_api_representation(value, context)
            ]
    return out


def body_data(page, language, context=None, images=None):
    """The typed blocks of one page's body for readers of ``language``."""
    return bodies_data([page], language, context, images)[page.pk]


def rich_text_html(source, language):
    """Stored rich text (e.g. an index's intro) as HTML for readers of ``language``."""
    with translation.override(language):
        return expand_db_html(clean_rich_text(source or ""))
