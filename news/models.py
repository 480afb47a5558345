"""News content: topics, the news index and news pages.

What is translated and what is synchronised is said explicitly on each model
(``override_translatable_fields``): dates, images, URLs and curated related items
are synchronised; titles, leads, captions, quote text, speakers and roles are
translated.
"""

import datetime
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.forms import BaseChildFormSet
from rest_framework import serializers
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from news import i18n, prepared
from news.blocks import AuthorLinkBlock, EditorsNotesBlock, NewsBodyBlock
from news.conf import conf
from news.image_rights import ImageRights  # noqa: F401 - a model of this app
from news.kazakh_latin.preview import LatinPreviewMixin, new_story_slug
from news.kazakh_latin.spellings import LatinSpelling  # noqa: F401 - a model of this app
from news.live_blocks import LiveCoverageMixin
from news.notes import AMENDED, WITHDRAWN, NewsPageForm
from news.previews import HeadlessPreviewMixin, PreviewSnapshot  # noqa: F401 - a model of this app
from news.querysets import NewsPageQuerySet, in_languages, is_visible, restricted_paths


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


@functools.cache
def single_child_model(page_class):
    """The one page type ``page_class`` allows below it (``subpage_types``), or None."""
    models = page_class.allowed_subpage_models()
    return models[0] if len(models) == 1 else None


def child_by_slug(page, slug):
    """The child of ``page`` with ``slug``, specific and with its locale, in one query.

    Wagtail's ``Page.route`` finds a child, then loads its specific page: two queries
    per path segment. Where the parent allows a single page type (a home page holds news
    indexes), that type's table is asked directly. None when it does not find one (or
    the parent allows several types): Wagtail's route decides. A news index's child is
    found by ``story_child``.
    """
    model = single_child_model(type(page))
    if model is None:
        return None
    rows = prepared.run(  # compiled once per process and parent (news.prepared)
        # Wagtail's ``child_of`` reads the parent's pk, path and depth: all in the key.
        ("child-by-slug", model._meta.label, page.pk, page.path, page.depth),
        lambda slug: (
            model.objects.child_of(page)
            .filter(slug=slug)
            .select_related("locale")
            .order_by("pk")[:1]
        ),
        slug,
    )
    return rows[0] if rows else None


def _fallback_languages(page):
    """The languages a child missing under ``page`` is looked for in, best first."""
    return [
        code
        for code in i18n.fallback_chain(i18n.active_language())
        if code != page.locale.language_code
    ]


def story_child(page, slug, model):
    """``(story, own)``: the child of the news index ``page`` with ``slug``, else the best
    live child with ``slug`` under a translation of ``page`` (``fallback_child``'s rule),
    or ``(None, False)``; ``own``: the child is ``page``'s own.

    One query, whichever it is: every version of the stories that have a page with
    ``slug`` under a translation of ``page`` (its own included: translations of an index
    sit at its depth, so their paths are as long as its), with what the article shows
    (``for_reading``); the article links its translations, so the story's versions come
    with it (``story_versions``). Asking for the index's own child, and then for the
    fallback, cost two such queries and one for the translations of the index.
    """
    depth, parent_length = page.depth, len(page.path)

    def versions_of(slug, translation_key):
        parents = (
            Page.objects.filter(translation_key=translation_key, depth=depth)
            .values("path")
            .order_by()
        )
        routed = Q(slug=slug, depth=depth + 1, newsdesk_parent_path__in=Subquery(parents))
        parent_path = Substr("path", 1, parent_length)
        with_slug = model.objects.alias(newsdesk_parent_path=parent_path).filter(routed)
        keys = with_slug.values("translation_key").order_by()
        return (
            model.objects.filter(translation_key__in=Subquery(keys))
            .alias(newsdesk_parent_path=parent_path)
            .annotate(newsdesk_routed=ExpressionWrapper(routed, output_field=BooleanField()))
            .select_related("locale")
            .for_reading()
        )

    # Built and compiled once per process and index depth (news.prepared).
    versions = prepared.run(
        ("story-child", model._meta.label, depth, parent_length),
        versions_of,
        slug,
        page.translation_key,
    )
    routed_versions = [v for v in versions if v.newsdesk_routed]
    # The index's own child, drafts included (Wagtail's route then answers 404 for one).
    child = next((v for v in routed_versions if v.is_descendant_of(page)), None)
    own = child is not None
    if child is None:
        chain = _fallback_languages(page)
        child = i18n.best_version(
            [v for v in routed_versions if v.live and v.locale.language_code in chain],
            i18n.active_language(),
        )
    if child is not None:
        child.story_versions = {
            v.locale.language_code: v
            for v in versions
            if v.translation_key == child.translation_key and is_visible(v)
        }
    return child, own


def fallback_child(page, slug):
    """The best live child with ``slug`` under any translation of ``page``, or None.

    Wagtail routes ``/ru/novosti/<slug>/`` through the Russian tree only, so a story
    that exists only in Kazakh would be a 404 for a Russian reader. The missing child
    is looked for among the children of ``page``'s translations, in the order of the
    requested language's fallback chain. One query for the parents, one for the child.
    A news index's children are found by ``story_child`` (the same rule, one query).
    """
    chain = _fallback_languages(page)
    if not chain:
        return None
    parent_paths = list(
        Page.objects.filter(
            translation_key=page.translation_key, locale__language_code__in=chain
        ).values_list("path", flat=True)
    )
    if not parent_paths:
        return None
    under_parent = Q()
    for path in parent_paths:
        under_parent |= Q(path__startswith=path)
    # By language rank, unordered: a locale filter or the default path order would let
    # SQLite walk the whole tree instead of the slug index.
    model = single_child_model(type(page)) or Page  # specific at once where it can be
    candidates = in_languages(
        model.objects.live().filter(under_parent, depth=page.depth + 1, slug=slug), chain
    ).order_by()
    return i18n.best_version(candidates.select_related("locale"), i18n.active_language())


class KnownRestrictionsMixin:
    """Wagtail's view-restriction check without its two queries when none can apply.

    Wagtail's ``check_view_restrictions`` (before serving) asks for the restrictions of
    the page and each ancestor, resolving aliases: two queries for every page served.
    The paths of the restricted pages are memoised (``news.querysets.restricted_paths``,
    the rule of every listing), so a page that is not an alias and lies under none of
    them has no restriction to check; any other page is checked by Wagtail's own query.
    """

    def get_view_restrictions(self):
        if self.alias_of_id is None and not any(
            self.path.startswith(path) for path in restricted_paths()
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class FallbackRoutingMixin:
    """Route to a child in another language instead of answering 404 (see ``fallback_child``).

    The language of the request, and so of the page chrome, stays the requested one;
    ``news.routing`` sends the reader on to a live translation when one exists
    (pages that want that say ``prefer_translation = True``).
    """

    prefer_translation = True

    def route(self, request, path_components):
        if path_components:
            model = single_child_model(type(self))
            if model is not None and hasattr(model.objects, "for_reading"):
                # A news index: its child or the fallback, in one query (Wagtail's route
                # would ask for the child, then for its specific page, then 404).
                child, own = story_child(self, path_components[0], model)
                if child is None:
                    raise Http404
                if own:
                    child._cached_parent_obj = self  # as Wagtail's route: no query for it
                return child.route(request, path_components[1:])
            child = child_by_slug(self, path_components[0])
            if child is not None:
                child._cached_parent_obj = self  # as Wagtail's route: no query for the parent
                return child.route(request, path_components[1:])
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            return self._fallback_route(request, path_components)

    def _fallback_route(self, request, path_components):
        child = fallback_child(self, path_components[0])
        if child is None:
            raise Http404
        return child.specific.route(request, path_components[1:])


def reader_context(page, request):
    """What readers of ``page`` see besides its fields (listings, fallback, language links).

    Built by the functions registered with the ``newsdesk_reader_context`` Wagtail hook
    (news.wagtail_hooks registers news.presentation's): the content layer names the
    extension point, the delivery layer fills it, and a host site can add its own.
    """
    context = {}
    for build in hooks.get_hooks("newsdesk_reader_context"):
        context.update(build(page, request) or {})
    return context


class TopicField(serializers.Field):
    """A topic snippet as ``{id, name, slug}`` in Wagtail's API v2 (it has no snippet endpoint)."""

    def to_representation(self, topic):
        return {"id": topic.pk, "name": topic.name, "slug": topic.slug}


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


@register_snippet
class Author(TranslatableMixin, models.Model):
    """A reporter or contributor: a translatable snippet (the name and role are translated).

    The slug and the photo are synchronised: one author has one address in every
    language (``/kk/avtorlar/<slug>/``, ``/ru/avtory/<slug>/``…).
    """

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    role = models.CharField(
        _("role"), max_length=255, blank=True, help_text=_("Job title, e.g. “Correspondent”.")
    )
    bio = models.TextField(_("short bio"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    links = StreamField(
        [("link", AuthorLinkBlock())], verbose_name=_("links"), blank=True, default=list
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("image"),
        FieldPanel("links"),
    ]

    override_translatable_fields = [
        TranslatableField("name"),
        TranslatableField("role"),
        TranslatableField("bio"),
        TranslatableField("links"),
        SynchronizedField("slug"),
        SynchronizedField("image"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_author_slug_per_locale")
        ]

    def __str__(self):
        return self.name


class NewsIndex(KnownRestrictionsMixin, FallbackRoutingMixin, SlugNeverEmptyMixin, Page):
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Any page type unless the host narrows it (the reference site: its HomePage).
    parent_page_types = conf.INDEX_PARENT_PAGE_TYPES
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1
    lists_news = True  # its content changes with every story published (sitemaps' lastmod)

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(reader_context(self, request))
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


class NewsPageAuthor(Orderable):
    """One author of a story, in the editor's order (synchronised: translations keep them)."""

    page = ParentalKey("news.NewsPage", related_name="author_links", on_delete=models.CASCADE)
    author = models.ForeignKey(
        Author, verbose_name=_("author"), related_name="+", on_delete=models.CASCADE
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


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


class TopicLinksFormSet(BaseChildFormSet):
    """A story's topics in the editor: a row without a topic is no row, a topic twice an error.

    An "Add topic" row left empty used to fail validation, which made Wagtail's autosave
    answer 400 ("Autosave is paused") while the editor was still writing; it is now dropped
    like a deleted row. A topic chosen twice (the preview showed «Экономика Экономика») is
    refused beside the second row.
    """

    def _should_delete_form(self, form):
        return super()._should_delete_form(form) or not form["topic"].data

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            topic = form.cleaned_data.get("topic")
            if topic is None:
                continue
            if topic.pk in seen:
                form.add_error(
                    "topic",
                    _("«%(topic)s» is already a topic of this story.") % {"topic": topic},
                )
            seen.add(topic.pk)


class TopicsPanel(InlinePanel):
    """The topics inline, with :class:`TopicLinksFormSet`."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = TopicLinksFormSet
        return options


class NewsPage(
    KnownRestrictionsMixin,
    LatinPreviewMixin,
    HeadlessPreviewMixin,
    SlugNeverEmptyMixin,
    LiveCoverageMixin,
    Page,
):
    # Reached under another language's prefix, a story with a live translation in that
    # language sends the reader there (news.routing.redirect_to_translation).
    prefer_translation = True

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
    image_alt = models.CharField(
        _("image alt text"),
        max_length=500,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it. Else the caption."),
    )
    image_caption = models.CharField(_("image caption"), max_length=500, blank=True)
    image_credit = models.CharField(
        _("image credit"),
        max_length=255,
        blank=True,
        help_text=_("Only for this story; empty: the image's own credit."),
    )
    byline = models.CharField(
        _("other byline"),
        max_length=255,
        blank=True,
        help_text=_("An agency or a guest author, e.g. «ҚазАқпарат»."),
    )
    body = StreamField(NewsBodyBlock(), verbose_name=_("body"), blank=True)
    notes = StreamField(
        EditorsNotesBlock(),
        verbose_name=_("corrections and updates"),
        blank=True,
        default=list,
        help_text=_("Append a note when a published story changes; never delete one."),
    )
    # The latest note of any kind, and the latest correction: set on save from ``notes``
    # (dateModified, the API's updated_at, the corrections page).
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True, editable=False)
    corrected_at = models.DateTimeField(
        _("corrected at"), null=True, blank=True, editable=False, db_index=True
    )
    # Outgoing notifications (news.outbox): the Telegram channels post this story.
    telegram_post = models.BooleanField(
        _("post to Telegram"),
        default=True,
        help_text=_("Post this story, and its corrections, to the language's Telegram channel."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        MultiFieldPanel(
            [InlinePanel("author_links", label=_("Authors")), FieldPanel("byline")],
            heading=_("Byline"),
        ),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("image"),
                FieldPanel("image_alt"),
                FieldPanel("image_caption"),
                FieldPanel("image_credit"),
            ],
            heading=_("Hero image"),
        ),
        FieldPanel("body"),
        FieldPanel("notes"),
        TopicsPanel("topic_links", label=_("Topics")),
        InlinePanel("related_news", label=_("Related news"), heading=_("Other news (curated)")),
        # A live blog (news.live): its status, times, banner flag and entries.
        MultiFieldPanel(
            [
                FieldPanel("live_status"),
                FieldPanel("breaking"),
                FieldPanel("coverage_start"),
                FieldPanel("coverage_end"),
                FieldPanel("entries"),
            ],
            heading=_("Live coverage"),
            classname="collapsed",
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("telegram_post")]

    # Wagtail's API v2 (/api/v2/pages/?type=news.NewsPage&fields=…), kept for tools expecting it.
    api_fields = [
        APIField("date"),
        APIField("lead"),
        APIField("image"),
        APIField(
            "image_card",
            serializer=ImageRenditionField("fill-640x360|format-webp", source="image"),
        ),
        APIField("image_alt"),
        APIField("image_caption"),
        APIField("image_credit"),
        APIField("byline"),
        APIField("topic_links"),
        APIField("body"),
        APIField("notes"),
        APIField("updated_at"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("byline"),
        index.RelatedFields(
            "author_links", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.FilterField("date"),
        index.FilterField("locale"),
    ]

    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("lead"),
        TranslatableField("image_alt"),
        TranslatableField("image_caption"),
        TranslatableField("image_credit"),
        TranslatableField("byline"),
        TranslatableField("body"),
        TranslatableField("notes"),
        SynchronizedField("date"),
        SynchronizedField("image"),
        SynchronizedField("author_links"),
        SynchronizedField("topic_links"),
        SynchronizedField("related_news"),
        SynchronizedField("telegram_post"),
        TranslatableField("entries"),
        SynchronizedField("live_status"),
        SynchronizedField("coverage_start"),
        SynchronizedField("coverage_end"),
        SynchronizedField("breaking"),
    ]

    parent_page_types = ["news.NewsIndex"]
    subpage_types = []

    objects = PageManager.from_queryset(NewsPageQuerySet)()
    # Published editor's notes are append-only (news.notes).
    base_form_class = NewsPageForm

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")
        # Serves news.queries.LISTING_ORDER: listings walk it and stop after one page.
        indexes = [models.Index(fields=["-date", "-page_ptr"], name="newspage_date_id_desc")]
        # Published editor's notes are append-only (news.notes): withdrawing or
        # rewriting one takes this permission.
        permissions = [
            ("withdraw_note", _("Can withdraw or rewrite a published editor's note")),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(reader_context(self, request))
        return context

    def ensure_slug(self):
        super().ensure_slug()
        # A new Kazakh story under NEWSDESK_KAZAKH_SLUG_STYLE = "latin" (news.kazakh_latin).
        self.slug = new_story_slug(self) or self.slug

    def save(self, *args, **kwargs):
        self._derive_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "entries" in update_fields:
            self.derive_live_stamps()
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        # A revision stores the page as it is in memory: derive the dates first, so that a
        # scheduled revision already carries its go-live day (exports, previews, compare).
        self._derive_dates()
        return super().save_revision(*args, **kwargs)

    def _derive_dates(self):
        self.updated_at, self.corrected_at = note_times(self.notes)
        self.date = publication_date(self)

    @functools.cached_property
    def note_traces(self):
        """The story's withdrawn or rewritten published notes (every language's), oldest first."""
        return list(NoteTrace.objects.filter(translation_key=self.translation_key))

    @property
    def image_alt_text(self):
        """The hero image's alt text: the page's own, else the caption; never the file's title."""
        return self.image_alt or self.image_caption


def publication_date(page):
    """The date readers see: a story first published on a schedule carries its go-live day.

    An editor writes a story on Monday (its date defaults to that day) and schedules it for
    Wednesday: readers must see Wednesday. A story already live keeps its date when a later
    revision is scheduled (that is an update, not a new story), and a date the editor set
    after the go-live day stays.
    """
    go_live = page.go_live_at
    if go_live is None or (page.first_published_at and page.first_published_at < go_live):
        return page.date
    day = timezone.localdate(go_live)
    current = page.date
    if isinstance(current, str):  # set from a form or an import, not yet cleaned
        current = datetime.date.fromisoformat(current)
    return max(current, day) if current else day


def note_times(notes):
    """(latest note's time, latest correction's time) of a ``notes`` stream, None when absent."""
    updated = corrected = None
    for block in notes or []:
        at = block.value.get("at")
        if at is None:
            continue
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        updated = max(updated, at) if updated else at
        if block.value.get("kind") == "correction":
            corrected = max(corrected, at) if corrected else at
    return updated, corrected


# --- Outgoing notifications (news.outbox): webhook endpoints and the delivery log -----------


class WebhookEndpoint(models.Model):
    """A receiver of publish webhooks, signed as Standard Webhooks say (docs/webhooks.md)."""

    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=200,
        help_text=_("The signing secret, written whsec_ followed by base64."),
    )
    events = models.JSONField(
        _("event types"),
        default=list,
        blank=True,
        help_text=_('Event types to send, e.g. ["story.published"]; empty: all of them.'),
    )
    active = models.BooleanField(_("active"), default=True)

    panels = [FieldPanel("url"), FieldPanel("secret"), FieldPanel("events"), FieldPanel("active")]

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        # Scheme and host only: a receiver's path or query may carry a token, and snippet
        # choosers are open to every admin user (docs/roles.md).
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/…"


class OutboxDelivery(models.Model):
    """One notification to one receiver, written in the transaction of the change it tells.

    The task worker sends it (news.outbox.delivery); the row is also the delivery log.
    """

    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUSES = [(PENDING, _("pending")), (SENT, _("sent")), (FAILED, _("failed"))]

    id = models.UUIDField(primary_key=True)
    channel = models.CharField(_("channel"), max_length=20)  # "telegram" or "webhook"
    target = models.CharField(_("target"), max_length=500)  # chat id or URL
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(_("event"), max_length=40)
    page_id = models.PositiveIntegerField(_("page id"), null=True, db_index=True)
    translation_key = models.UUIDField(null=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # What the receiver answered that a later delivery needs (Telegram's message_id).
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.event} → {self.target}"


# --- Traces of withdrawn or rewritten editor's notes (news.notes) -------------------------


class NoteTrace(models.Model):
    """A published editor's note that was withdrawn or rewritten: readers keep seeing that
    it was, in every language of the story (by translation key)."""

    ACTIONS = [(WITHDRAWN, _("withdrawn")), (AMENDED, _("amended"))]
    translation_key = models.UUIDField(db_index=True)
    note_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    note_at = models.DateTimeField(null=True)
    action = models.CharField(max_length=10, choices=ACTIONS)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("withdrawn or amended editor's note")
        verbose_name_plural = _("withdrawn or amended editor's notes")

    def __str__(self):
        return f"{self.kind} {self.note_at:%Y-%m-%d} {self.action} {self.at:%Y-%m-%d}"


class PendingPurge(models.Model):
    """Tags a committed change purged, until the shared cache has their new tokens
    (news.tagged_cache: durable purges)."""

    tags = models.TextField()

    class Meta:
        verbose_name = _("pending cache purge")
        verbose_name_plural = _("pending cache purges")

    def __str__(self):
        return self.tags
