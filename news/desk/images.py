"""The editor's side of image rights (news.image_rights): the image form, the publish warning.

``ImageRightsForm``: the image edit form with the image's credit and licence.

Set as Wagtail's image form base (``WAGTAILIMAGES_IMAGE_FORM_BASE =
"news.desk.images.ImageRightsForm"``): Wagtail builds its add and edit forms on it,
so the fields appear on the image's own edit screen, in the admin's language, and the
``ImageRights`` row is saved with the image (none is written while every field is empty).

``warn_expired_licences`` (Wagtail's ``after_publish_page`` hook): publishing a story
whose hero or body image has an expired licence tells the editor which images, by title
and date. Publishing is not blocked: the editor may have renewed the licence without
recording it, or be about to replace the picture; the warning names what to fix.
"""

from django.contrib import messages
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.images.forms import BaseImageForm

from news import rendering
from news.image_rights import ImageRights

FIELDS = ("credit", "licence", "licence_name", "licence_url", "licence_expires", "source_url")


def _form_field(name):
    model_field = ImageRights._meta.get_field(name)
    # A URL typed without a scheme is an https one (Django 6's default, asked for now).
    extra = {"assume_scheme": "https"} if isinstance(model_field, models.URLField) else {}
    field = model_field.formfield(**extra)
    if name == "licence_expires":
        # The admin's date picker, in the admin's date format (28.11.2026 in Kazakh).
        from wagtail.admin.widgets import AdminDateInput

        field.widget = AdminDateInput()
    return field


class ImageRightsForm(BaseImageForm):
    """Wagtail's image form plus the image's rights, saved in the same transaction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rights = None
        if self.instance.pk:
            rights = ImageRights.objects.filter(image_id=self.instance.pk).first()
        for name in FIELDS:
            self.fields[name] = _form_field(name)
            if rights is not None and not self.is_bound:
                self.initial[name] = getattr(rights, name)

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            image = super().save(commit=True)
            # Only the fields the request sent: a partial update (Wagtail's images API
            # builds this form with the fields it was given) leaves the others as they are.
            sent = [name for name in FIELDS if self.add_prefix(name) in self.data]
            values = {name: self.cleaned_data.get(name) for name in sent}
            values = {
                name: value if value is not None or name == "licence_expires" else ""
                for name, value in values.items()
            }
            rights = ImageRights.objects.filter(image=image).first()
            if not values or rights is None and not any(values.values()):
                return image
            rights = rights or ImageRights(image=image)
            changed = rights.pk is None or any(
                getattr(rights, name) != value for name, value in values.items()
            )
            if changed:
                for name, value in values.items():
                    setattr(rights, name, value)
                rights.save()  # purges the stories using the image (news.apps)
        return image


def expired_rights(page, today=None):
    """The ``ImageRights`` of ``page``'s hero and body images whose licence has expired
    (one query), by image title."""
    ids = set(rendering.body_image_ids([page]))
    if getattr(page, "image_id", None):
        ids.add(page.image_id)
    if not ids:
        return []
    today = today or timezone.localdate()
    return list(
        ImageRights.objects.filter(image_id__in=ids, licence_expires__lt=today)
        .select_related("image")
        .order_by("image__title")
    )


def warn_expired_licences(request, page):
    """After a publish: a warning per image whose licence has expired (nothing is blocked)."""
    if not hasattr(page, "body"):
        return
    for rights in expired_rights(page):
        messages.warning(
            request,
            _(
                "The licence of the image “%(title)s” expired on %(date)s: replace the "
                "image or renew its licence."
            )
            % {
                "title": rights.image.title,
                "date": formats.date_format(rights.licence_expires, "SHORT_DATE_FORMAT"),
            },
        )
