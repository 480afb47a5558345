"""Factories that build real Wagtail trees and real wagtail-localize translations."""

import io

import factory
import wagtail_factories
from django.core.files.images import ImageFile
from django.test import TestCase
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from news.desk.translating import write_translation
from news.models import (
    Author,
    NewsIndex,
    NewsPage,
    NewsPageAuthor,
    NewsPageRelated,
    NewsPageTopic,
    NewsTopic,
)


class LocaleFactory(factory.django.DjangoModelFactory):
    language_code = "kk"

    class Meta:
        model = Locale
        django_get_or_create = ("language_code",)


class NewsTopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Тақырып {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    locale = factory.LazyFunction(lambda: LocaleFactory(language_code="kk"))

    class Meta:
        model = NewsTopic


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Автор {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Тілші"
    locale = factory.LazyFunction(lambda: LocaleFactory(language_code="kk"))

    class Meta:
        model = Author


def make_image(title="Сурет", width=320, height=180, color=(30, 90, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title[:20]}.png")
    )


def make_site():
    """Locales kk/ru/en, a Kazakh HomePage as the site root and a NewsIndex under it."""
    for code in ("kk", "ru", "en"):
        LocaleFactory(language_code=code)
    root = Page.get_first_root_node()
    if root is None:
        # A transactional test flushed the tree Wagtail's migration made (on the same worker,
        # in any order): the root page again, as that migration builds it.
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    # Wagtail's initial migration leaves a "Welcome" page (and its Site): replace them.
    for page in root.get_children():
        page.delete()
    home = HomePage(title="Басты бет", slug="home", locale=Locale.objects.get(language_code="kk"))
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    index = NewsIndex(title="Жаңалықтар", slug="zhanalyqtar")
    home.add_child(instance=index)
    index.save_revision().publish()
    return home, index


def make_news(index, title="Жаңалық", *, publish=True, topics=(), related=(), authors=(), **fields):
    fields.setdefault("lead", f"{title}: қысқаша")
    fields.setdefault(
        "body",
        [
            ("paragraph", f"<p>{title} мәтіні.</p>"),
            (
                "quote",
                {"text": "Сөз", "attribution": "Джун Ямада", "role": "Елші", "source_url": ""},
            ),
        ],
    )
    # Wagtail's Page.live defaults to True: a story that is never published must not be live.
    fields.setdefault("live", publish)
    page = NewsPage(title=title, **fields)
    index.add_child(instance=page)
    for position, topic in enumerate(topics):
        NewsPageTopic.objects.create(page=page, topic=topic, sort_order=position)
    for position, other in enumerate(related):
        NewsPageRelated.objects.create(page=page, related_page=other, sort_order=position)
    for position, author in enumerate(authors):
        NewsPageAuthor.objects.create(page=page, author=author, sort_order=position)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def translate(instance, language, *, publish=True, strings=None, leave=()):
    """Translate ``instance`` into ``language`` with ``write_translation``.

    ``strings`` maps source strings to their translation; strings not given are
    translated as ``[language] source``, and those in ``leave`` are left untranslated
    (the page shows the source's text). Parents missing in ``language`` are translated
    first (as wagtail-localize's "translate this page" does).
    """
    strings = strings or {}

    def lookup(segment):
        text = segment.string.data
        return None if text in leave else strings.get(text, f"[{language}] {text}")

    # Run the publish's on_commit callbacks (purges, search) inside test transactions too.
    with TestCase.captureOnCommitCallbacks(execute=True):
        written = write_translation(
            instance, LocaleFactory(language_code=language), lookup, publish=publish
        )
    return instance.get_translation(written.target.locale)


class ImageFactory(wagtail_factories.ImageFactory):
    pass


def edit_form_data(page, **overrides):
    """What the edit form posts for ``page``: its fields, every inline (empty unless given),
    every StreamField (empty), so that a field added to the page needs no test changed."""
    from wagtail.blocks.base import BlockField
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    form_class = NewsPage.get_edit_handler().get_form_class()
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": str(page.date),
        "lead": page.lead,
    }
    for name, field in form_class.base_fields.items():
        if isinstance(field, BlockField):
            data[name] = streamfield([])
    for name in form_class.formsets:
        data[name] = inline_formset([])
    data.update(overrides)
    form = nested_form_data(data)
    revision = page.get_latest_revision()
    form["loaded_revision_id"] = str(revision.pk)
    form["loaded_revision_created_at"] = revision.created_at.isoformat()
    return form
