"""News content: topics, the news index and news pages.

What is translated and what is synchronised is said explicitly on each model
(``override_translatable_fields``): dates, images, URLs and curated related items
are synchronised; titles, leads, captions, quote text, speakers and roles are
translated.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from news.api.fields import TopicField
from news.api.preview import HeadlessPreviewMixin
from news.blocks import NewsBodyBlock
from news.routing import FallbackRoutingMixin, PreferTranslationMixin


class SlugNeverEmptyMixin:
    """A page's slug is never empty, even when a translator leaves it blank."""

    def full_clean(self, *args, **kwargs):
        self.ensure_slug()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.ensure_slug()
        return super().save(*args, **kwargs)

    def ensure_slug(self):
        if not self.slug:
            self.slug = (
                slugify(self.title or "", allow_unicode=True)
                or f"page-{self.translation_key.hex[:8]}"
            )


@register_snippet
class NewsTopic(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_topic_slug_per_locale")
        ]

    def __str__(self):
        return self.name


class NewsIndex(PreferTranslationMixin, FallbackRoutingMixin, SlugNeverEmptyMixin, Page):
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        from news import queries

        context = super().get_context(request, *args, **kwargs)
        language = queries.request_language(request)
        topic = queries.topic_from_slug(request.GET.get("topic"), language)
        items = queries.news_for_locale(language, index=self, topic=topic)
        paginator = queries.MemoizedCountPaginator(items, settings.NEWSDESK_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(queries.article_context(self, language, request))
        context.update(
            {
                "news_items": queries.decorate(page_obj.object_list, language, request),
                "page_obj": page_obj,
                "paginator": paginator,
                "topic": topic,
                "topic_slug_unknown": bool(request.GET.get("topic")) and topic is None,
            }
        )
        return context


class NewsPageTopic(Orderable):
    page = ParentalKey("news.NewsPage", related_name="topic_links", on_delete=models.CASCADE)
    topic = models.ForeignKey(
        NewsTopic, verbose_name=_("topic"), related_name="+", on_delete=models.CASCADE
    )

    panels = [FieldPanel("topic")]
    api_fields = [APIField("topic", serializer=TopicField())]

    class Meta(Orderable.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class NewsPageRelated(Orderable):
    """A curated "other news" item chosen by the editor."""

    page = ParentalKey("news.NewsPage", related_name="related_news", on_delete=models.CASCADE)
    related_page = models.ForeignKey(
        "news.NewsPage",
        verbose_name=_("related news item"),
        related_name="+",
        on_delete=models.CASCADE,
    )

    panels = [FieldPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related news item")
        verbose_name_plural = _("related news")


class NewsPage(PreferTranslationMixin, HeadlessPreviewMixin, SlugNeverEmptyMixin, Page):
    date = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("The publication date readers see.")
    )
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("The standfirst, one or two sentences.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_caption = models.CharField(_("image caption"), max_length=500, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=255, blank=True)
    body = StreamField(NewsBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_caption"), FieldPanel("image_credit")],
            heading=_("Hero image"),
        ),
        FieldPanel("body"),
        InlinePanel("topic_links", label=_("Topics")),
        InlinePanel("related_news", label=_("Related news"), heading=_("Other news (curated)")),
    ]

    # Wagtail's API v2 (/api/v2/pages/?type=news.NewsPage&fields=…), kept for tools expecting it.
    api_fields = [
        APIField("date"),
        APIField("lead"),
        APIField("image"),
        APIField(
            "image_card",
            serializer=ImageRenditionField("fill-640x360|format-webp", source="image"),
        ),
        APIField("image_caption"),
        APIField("image_credit"),
        APIField("topic_links"),
        APIField("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("locale"),
    ]

    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("lead"),
        TranslatableField("image_caption"),
        TranslatableField("image_credit"),
        TranslatableField("body"),
        SynchronizedField("date"),
        SynchronizedField("image"),
        SynchronizedField("topic_links"),
        SynchronizedField("related_news"),
    ]

    parent_page_types = ["news.NewsIndex"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")
        # Serves news.queries.LISTING_ORDER: listings walk it and stop after one page.
        indexes = [models.Index(fields=["-date", "-page_ptr"], name="newspage_date_id_desc")]

    def get_context(self, request, *args, **kwargs):
        from news import queries

        context = super().get_context(request, *args, **kwargs)
        language = queries.request_language(request)
        context.update(queries.news_page_context(self, language, request))
        return context


class ContentVersion(models.Model):
    """One row: a counter bumped on every change readers can see.

    Every worker reads it (one indexed query, or Redis when configured) to key
    and validate cached responses, so a publish is visible at once everywhere.
    """

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
