from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from news import live, presentation, queries
from news.models import FallbackRoutingMixin, NewsIndex, SlugNeverEmptyMixin


class HomePage(FallbackRoutingMixin, SlugNeverEmptyMixin, Page):
    """The root of the site: the latest news and the way into the news index."""

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])
    latest_count = models.PositiveSmallIntegerField(_("number of latest stories"), default=7)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("latest_count")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndex"]
    lists_news = True  # the latest stories: its content changes with every story published

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = queries.request_language(request)
        context.update(presentation.article_context(self, language, request))
        latest = presentation.listing(language)[: self.latest_count]
        context["latest_news"] = presentation.decorate(latest, language, request)
        context["live_banner"] = live.banner(language, request)  # breaking stories
        context["news_index"] = (
            NewsIndex.objects.live().descendant_of(self).select_related("locale").first()
        )
        return context
