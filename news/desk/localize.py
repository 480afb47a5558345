"""How wagtail-localize is fitted to a Cyrillic newsroom."""

from functools import partial

from django.conf import settings
from django.utils.text import slugify
from wagtail_localize import models as localize_models


def keep_unicode_slugs():
    """Keep the slug a translator gives a page, Cyrillic included.

    wagtail-localize passes every translated page slug through ``slugify()``
    without ``allow_unicode``, so «жаңалықтар» or «новости» becomes an empty
    slug. Its module-level ``slugify`` is swapped for one that honours
    ``WAGTAIL_ALLOW_UNICODE_SLUGS``; an empty result is still replaced by a slug
    made from the title (see ``SlugNeverEmptyMixin``).
    """
    localize_models.slugify = partial(
        slugify, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    )
