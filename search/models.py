"""The search index: one row per live news page version, with pre-stemmed terms.

Terms are stemmed in Python (``search.analysis``) with the analyzer of the
page's language and stored space-padded (`` term term ``), so every database
matches them the same way: PostgreSQL through ``to_tsvector('simple', …)`` with
a GIN index (migration 0002), SQLite through an FTS5 table kept by triggers
(migration 0004), any other database through a whole-term LIKE. Only live
pages have a row; whether a page is public is checked at query time with the
news queries, so a view restriction takes effect at once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        related_name="search_entry",
        on_delete=models.CASCADE,
    )
    translation_key = models.UUIDField(_("translation key"), db_index=True)
    language = models.CharField(_("language"), max_length=20)
    # Lowercased title words, space-padded, for prefix suggestions.
    title_words = models.TextField(_("title words"), blank=True)
    title_terms = models.TextField(_("title terms"), blank=True)
    body_terms = models.TextField(_("body terms"), blank=True)
    # The story's own text (lead and body; no title, byline, captions or credits): snippets.
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.language}: {self.title_words.strip()}"
