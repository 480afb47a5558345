"""An image's credit and licence, stored once on the image and shown wherever it is used.

``ImageRights`` is a row linked one-to-one to Wagtail's image model (``image.rights``),
not a custom image model. Why a linked model:

* Newsdesk is a plugin. A custom image model (``WAGTAILIMAGES_IMAGE_MODEL``) is a
  decision of the host site, made once before its first migration: a site already on
  ``wagtailimages.Image`` (ours, and most hosts) cannot switch without moving every image,
  rendition and reference by hand. A linked row needs one ``migrate`` and leaves existing
  images, renditions and references as they are; it follows whatever image model the
  host has (``get_image_model_string``).
* Editors still edit it where they edit the image: ``ImageRightsForm`` is the image
  form's base (``WAGTAILIMAGES_IMAGE_FORM_BASE``, set by the reference site and named in
  docs/install.md; ``news.checks`` warns when it is not), which adds the fields to
  Wagtail's own image edit screen and saves the row with the image.
* Reading costs no query: every surface loads images through ``news.renditions``, which
  joins the row (``select_related("rights")``), so credits come with the images.

A story's own credit (the hero's ``image_credit``, an image block's ``credit``) stays as
an override for that story (a photo credited differently in one use, "Photo: from the
family's archive"); empty, the image's credit shows (:func:`credit`). Existing credits
typed into stories keep showing, so no data migration is needed.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string

# Licences with a canonical deed (the URL shown when the editor gives none).
KNOWN_LICENCES = {
    "cc-by-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc-by-nd-4.0": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "cc-by-nc-4.0": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "cc0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}

LICENCE_CHOICES = [
    ("", _("Not stated")),
    ("all-rights-reserved", _("All rights reserved")),
    *((code, name) for code, (name, _url) in KNOWN_LICENCES.items()),
    ("public-domain", _("Public domain")),
    ("other", _("Other licence (named below)")),
]


class ImageRights(models.Model):
    """Who made an image and under which licence it may be published: one row per image."""

    image = models.OneToOneField(
        get_image_model_string(),
        on_delete=models.CASCADE,
        related_name="rights",
        verbose_name=_("Image"),
    )
    credit = models.CharField(
        _("Credit"),
        max_length=255,
        blank=True,
        help_text=_("The photographer or agency, e.g. Aigul Seitova / Kazinform."),
    )
    licence = models.CharField(
        _("Licence"), max_length=32, choices=LICENCE_CHOICES, blank=True, default=""
    )
    licence_name = models.CharField(
        _("Licence name"),
        max_length=255,
        blank=True,
        help_text=_("When the licence is not in the list, e.g. an agency's terms."),
    )
    licence_url = models.URLField(
        _("Licence URL"),
        blank=True,
        help_text=_("Where the licence's terms are (a Creative Commons licence has its own)."),
    )
    licence_expires = models.DateField(
        _("Licence expires"),
        null=True,
        blank=True,
        help_text=_("The last day the image may be published; empty: no end."),
    )
    source_url = models.URLField(
        _("Source URL"), blank=True, help_text=_("Where the image was obtained.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "news"
        verbose_name = _("image rights")
        verbose_name_plural = _("image rights")

    def __str__(self):
        return self.credit or str(self.image_id)

    @property
    def licence_label(self):
        """The licence's name as readers see it ("" when not stated)."""
        if self.licence in KNOWN_LICENCES:
            return KNOWN_LICENCES[self.licence][0]
        if self.licence == "other" or (not self.licence and self.licence_name):
            return self.licence_name
        return str(self.get_licence_display()) if self.licence else ""

    @property
    def licence_link(self):
        """The licence's terms: the editor's URL, else the known deed's."""
        return self.licence_url or KNOWN_LICENCES.get(self.licence, ("", ""))[1]

    def expired(self, today=None):
        """True when the licence ended before ``today`` (the local date)."""
        today = today or timezone.localdate()
        return self.licence_expires is not None and self.licence_expires < today


def rights_of(image):
    """``image.rights`` or None; no query when loaded with the image (``news.renditions``)."""
    if image is None:
        return None
    try:
        return image.rights
    except ImageRights.DoesNotExist:
        return None


def rights_changed(image):
    """When ``image``'s rights were last edited, or None."""
    rights = rights_of(image)
    return rights.updated_at if rights is not None else None


def credit(image, override=""):
    """The credit a use of ``image`` shows: the story's own ``override``, else the image's."""
    if override:
        return override
    rights = rights_of(image)
    return rights.credit if rights is not None else ""


def representation(image):
    """The rights as the API gives them (``ImageRightsSerializer``), or None when unset."""
    rights = rights_of(image)
    if rights is None:
        return None
    return {
        "credit": rights.credit,
        "licence": rights.licence or None,
        "licence_name": rights.licence_label,
        "licence_url": rights.licence_link,
        "licence_expires": (
            rights.licence_expires.isoformat()
            if isinstance(rights.licence_expires, datetime.date)
            else None
        ),
        "source_url": rights.source_url,
    }


def expired_images(images, today=None):
    """The images among ``images`` whose licence has expired, in order, once each."""
    seen, expired = set(), []
    for image in images:
        if image is None or image.pk in seen:
            continue
        seen.add(image.pk)
        rights = rights_of(image)
        if rights is not None and rights.expired(today):
            expired.append(image)
    return expired
