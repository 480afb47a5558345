"""Provenance of memory matches, people's reviews, and the glossary.

wagtail-localize keeps the translated text itself (``StringTranslation``); these rows only
say where a pre-filled text came from and whether a person has looked at it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail_localize.models import StringTranslation, TranslatableObject

# wagtail-localize's editor shows "Translated with <tool name> on <date>" under a segment;
# this name marks the segments that memory filled in (the side panel says it in the
# translator's language, with the provenance).
MEMORY_TOOL = "Translation memory"


class MemoryMatch(models.Model):
    """A segment translation that memory filled in, and where it came from."""

    string_translation = models.OneToOneField(
        StringTranslation, on_delete=models.CASCADE, related_name="memory_match"
    )
    data = models.TextField(help_text="The text memory filled in.")
    origin = models.ForeignKey(
        StringTranslation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_object = models.ForeignKey(
        TranslatableObject, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_repr = models.CharField(max_length=255, blank=True)
    origin_path = models.CharField(max_length=255, blank=True)
    origin_translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_translated_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the translation was published while this match was still unreviewed.
    published_unreviewed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.data} ← {self.origin_repr}"


class Review(models.Model):
    """A person's confirmation of a segment translation as it reads now.

    A machine translation becomes memory only with one (and only while its text is the
    reviewed text); a memory match with one is no longer listed for review.
    """

    string_translation = models.ForeignKey(
        StringTranslation, on_delete=models.CASCADE, related_name="memory_reviews"
    )
    data = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["string_translation", "reviewed_at"])]

    def __str__(self):
        return self.data


class GlossaryTerm(index.Indexed, models.Model):
    """One term of the newsroom's term base: a Kazakh term and how to render it."""

    KINDS = [
        ("person", _("Official's name")),
        ("position", _("Position")),
        ("place", _("Place name")),
        ("institution", _("Institution")),
        ("other", _("Other")),
    ]
    source = models.CharField(
        _("Kazakh term"),
        max_length=255,
        unique=True,
        help_text=_("In its dictionary form; inflected forms in a text match it too."),
    )
    russian = models.CharField(_("Russian"), max_length=255, blank=True)
    english = models.CharField(_("English"), max_length=255, blank=True)
    kind = models.CharField(_("Kind"), max_length=20, choices=KINDS, default="other")
    note = models.TextField(_("Note"), blank=True)

    panels = [
        FieldPanel("source"),
        FieldPanel("russian"),
        FieldPanel("english"),
        FieldPanel("kind"),
        FieldPanel("note"),
    ]
    search_fields = [
        index.SearchField("source"),
        index.SearchField("russian"),
        index.SearchField("english"),
        index.AutocompleteField("source"),
    ]

    # Source language and the targets, by language code.
    SOURCE_LANGUAGE = "kk"
    TARGET_FIELDS = {"ru": "russian", "en": "english"}

    class Meta:
        ordering = ["source"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self):
        return self.source

    def target(self, language_code):
        """The term in ``language_code`` ("" when the glossary has none)."""
        field = self.TARGET_FIELDS.get((language_code or "").split("-")[0])
        return getattr(self, field) if field else ""
