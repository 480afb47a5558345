"""Image renditions used by templates, feeds and the API, defined once."""

import logging

from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)

# name -> Wagtail filter spec. Widths give a srcset; "card" is the listing crop.
# The templates name the same specs in Wagtail's image tags ("fill-640x360 format-webp",
# "width-{960,480,1600} format-webp"): listings prefetch exactly these, so a spec changed
# in one place only costs a query per item (the query-count tests notice).
RENDITIONS = {
    "card": "fill-640x360|format-webp",
    "small": "width-480|format-webp",
    "medium": "width-960|format-webp",
    "large": "width-1600|format-webp",
    "og": "fill-1200x630|format-jpeg",
}


def image_prefetch(lookup="image"):
    """A Prefetch that loads the image and all its renditions in two queries."""
    return Prefetch(
        lookup, queryset=get_image_model().objects.prefetch_renditions(*RENDITIONS.values())
    )


def renditions_for(image):
    """``{name: rendition}`` for every configured rendition, using prefetched ones.

    ``{}`` when the original file is missing or unreadable: a lost media file must cost
    the reader a picture, not the whole article or API answer (HTTP 500).
    """
    if image is None:
        return {}
    try:
        by_spec = image.get_renditions(*RENDITIONS.values())
    except SourceImageIOError:
        logger.warning("Image %s: original file missing, not shown", image.pk, exc_info=True)
        return {}
    return {name: by_spec[spec] for name, spec in RENDITIONS.items()}


def image_representation(image):
    """The JSON a frontend needs to draw an image with ``srcset``."""
    if image is None:
        return None
    renditions = renditions_for(image)
    return {
        "id": image.pk,
        "alt": getattr(image, "default_alt_text", "") or image.title,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {"url": r.url, "width": r.width, "height": r.height}
            for name, r in renditions.items()
        },
    }
