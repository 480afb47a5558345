"""Image renditions used by templates, feeds and the API, defined once.

Loading is hand-written where Wagtail's ``prefetch_renditions`` costs two queries (the
images, then their renditions): :func:`images_with_renditions` reads the renditions
joined to their images in one, and only images that have no rendition yet take
Wagtail's own path. The rendition URLs of a file-system storage are remembered per
process (a rendition's file name never changes; building its URL is a quarter of an
uncached API list), and the filters are parsed once, not once per image.
"""

import functools
import logging

from django.core.files.storage import FileSystemStorage
from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

from news import image_rights, prepared

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


# The same specs as parsed filters: Wagtail parses a spec string again for every image.
FILTERS = {name: Filter(spec=spec) for name, spec in RENDITIONS.items()}


def images_with_renditions(ids):
    """``{pk: image}`` with every configured rendition attached: one query.

    The renditions of the configured specs come joined to their images; an image with
    none of them yet (just uploaded) is loaded the Wagtail way (two more queries), and
    ``get_renditions`` creates whatever is still missing, as it would anyway.
    """
    ids = {pk for pk in ids if isinstance(pk, int)}
    if not ids:
        return {}
    image_model = get_image_model()
    images = {}
    specs = list(RENDITIONS.values())

    def renditions(ids):
        # The image's credit and licence (news.image_rights) come in the same join.
        return (
            image_model.get_rendition_model()
            .objects.filter(image_id__in=ids, filter_spec__in=specs)
            .select_related("image", "image__rights")
        )

    # Compiled once per process and number of images (news.prepared).
    key = ("renditions", image_model._meta.label, *specs)
    for rendition in prepared.run(key, renditions, prepared.padded(sorted(ids))):
        image = images.get(rendition.image_id)
        if image is None:
            image = images[rendition.image_id] = rendition.image
            image.prefetched_renditions = []
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    missing = ids - images.keys()
    if missing:
        images.update(
            (image.pk, image)
            for image in image_model.objects.filter(pk__in=missing)
            .select_related("rights")
            .prefetch_renditions(*RENDITIONS.values())
        )
    return images


@functools.lru_cache(maxsize=8192)
def _stored_url(storage, name):
    return storage.url(name)


def rendition_url(rendition):
    """``rendition.url``; remembered for file-system storages (cloud ones may sign URLs)."""
    file = rendition.file
    if isinstance(file.storage, FileSystemStorage):
        return _stored_url(file.storage, file.name)
    return file.url


def image_prefetch(lookup="image"):
    """A Prefetch that loads the image and all its renditions in two queries."""
    return Prefetch(
        lookup,
        queryset=get_image_model()
        .objects.select_related("rights")
        .prefetch_renditions(*RENDITIONS.values()),
    )


def renditions_for(image):
    """``{name: rendition}`` for every configured rendition, using prefetched ones.

    ``{}`` when the original file is missing or unreadable: a lost media file must cost
    the reader a picture, not the whole article or API answer (HTTP 500).
    """
    if image is None:
        return {}
    try:
        by_spec = image.get_renditions(*FILTERS.values())
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
            name: {"url": rendition_url(r), "width": r.width, "height": r.height}
            for name, r in renditions.items()
        },
        "rights": image_rights.representation(image),
    }
