"""Export and import of all news content as portable JSON (``export_news`` / ``import_news``).

The file holds no database ids, so it can be loaded into another database:

* pages, topics and authors are identified by ``translation_key`` + ``locale`` and
  grouped by ``translation_key`` (one entry per story, one item per language);
* images are referenced by file name and title (the files themselves are copied
  with MEDIA_ROOT, not embedded);
* internal page links in rich text become ``newsdesk-ref="<translation_key>/<locale>"``
  and curated related news, topic links and bylines are references too; editor's
  notes (corrections, updates) travel with the page content;
* every page keeps its state: live content, the newer draft (if any), a pending
  schedule, first/last publication dates, go-live/expiry dates and view
  restrictions (private pages stay private).

What is *not* exported: revision history, wagtail-localize's translation memory
(source segments and string translations: the translated pages themselves are
exported), workflow states, owners and locks.
"""

import re

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Locale, Page, PageViewRestriction

from news import i18n
from news.models import (
    Author,
    NewsIndex,
    NewsPage,
    NewsPageAuthor,
    NewsPageRelated,
    NewsPageTopic,
    NewsTopic,
)

FORMAT = "newsdesk-news-export"
VERSION = 1

NEWS_FIELDS = (
    "title",
    "slug",
    "seo_title",
    "search_description",
    "lead",
    "image_alt",
    "image_caption",
    "image_credit",
    "byline",
)
AUTHOR_FIELDS = ("name", "slug", "role", "bio")
INDEX_FIELDS = ("title", "slug", "seo_title", "search_description", "intro")

_PAGE_LINK = re.compile(r"<a\b[^>]*>")
_ID_ATTR = re.compile(r'\sid="(\d+)"')
_REF_ATTR = re.compile(r'\snewsdesk-ref="([0-9a-f-]+)/([A-Za-z-]+)"')


class ImportProblem(Exception):
    """The file cannot be imported (wrong format, missing parent page, …)."""


def _iso(value):
    return value.isoformat() if value else None


def _locale_order(code):
    codes = i18n.language_codes()
    return (codes.index(code) if code in codes else len(codes), code)


# --- Export -----------------------------------------------------------------------------


class Exporter:
    def __init__(self):
        self.images = {}
        self.page_refs = dict(
            Page.objects.values_list("pk", "translation_key").iterator()
        )  # pk -> key
        self.page_locales = dict(Page.objects.values_list("pk", "locale__language_code"))

    def page_ref(self, pk):
        if pk not in self.page_refs:
            return None
        return {"translation_key": str(self.page_refs[pk]), "locale": self.page_locales[pk]}

    def image_ref(self, image):
        if image is None:
            return None
        ref = {"file": image.file.name, "title": image.title}
        self.images[image.file.name] = ref
        return ref

    def image_ref_by_id(self, pk):
        if pk in (None, ""):
            return None
        image = get_image_model().objects.filter(pk=pk).first()
        return self.image_ref(image) if image else None

    def rich_text(self, html):
        def replace(match):
            tag = match.group(0)
            if 'linktype="page"' not in tag:
                return tag
            id_match = _ID_ATTR.search(tag)
            ref = self.page_ref(int(id_match.group(1))) if id_match else None
            if ref is None:
                return tag
            return _ID_ATTR.sub(
                f' newsdesk-ref="{ref["translation_key"]}/{ref["locale"]}"', tag, count=1
            )

        return _PAGE_LINK.sub(replace, html or "")

    def body(self, page):
        block = NewsPage._meta.get_field("body").stream_block
        return transform_stream(
            block, page.body.raw_data, image=self.image_ref_by_id, rich_text=self.rich_text
        )

    def news_content(self, page):
        data = {field: getattr(page, field) for field in NEWS_FIELDS}
        data["date"] = _iso(page.date)
        data["image"] = self.image_ref(page.image)
        data["body"] = self.body(page)
        data["topics"] = [
            {
                "translation_key": str(link.topic.translation_key),
                "locale": link.topic.locale.language_code,
            }
            for link in sorted(page.topic_links.all(), key=lambda link: link.sort_order or 0)
        ]
        data["authors"] = [
            {
                "translation_key": str(link.author.translation_key),
                "locale": link.author.locale.language_code,
            }
            for link in sorted(page.author_links.all(), key=lambda link: link.sort_order or 0)
        ]
        data["notes"] = list(page.notes.raw_data)
        data["related"] = [
            ref
            for ref in (
                self.page_ref(link.related_page_id)
                for link in sorted(page.related_news.all(), key=lambda link: link.sort_order or 0)
            )
            if ref
        ]
        return data

    def index_content(self, page):
        data = {field: getattr(page, field) for field in INDEX_FIELDS}
        data["intro"] = self.rich_text(page.intro)
        return data

    def page_state(self, page, content):
        draft = None
        if page.has_unpublished_changes and page.latest_revision_id:
            draft = content(page.get_latest_revision_as_object())
        scheduled = page.scheduled_revision if hasattr(page, "scheduled_revision") else None
        restrictions = [
            {
                "restriction_type": restriction.restriction_type,
                "password": restriction.password,
                "groups": sorted(group.name for group in restriction.groups.all()),
            }
            for restriction in page.view_restrictions.all().order_by("pk")
        ]
        parent = page.get_parent()
        return {
            "locale": page.locale.language_code,
            "parent": {
                "translation_key": str(parent.translation_key),
                "locale": parent.locale.language_code,
            },
            "live": page.live,
            "first_published_at": _iso(page.first_published_at),
            "last_published_at": _iso(page.last_published_at),
            "go_live_at": _iso(page.go_live_at),
            "expire_at": _iso(page.expire_at),
            "scheduled_at": _iso(scheduled.approved_go_live_at) if scheduled else None,
            "view_restrictions": restrictions,
            "content": content(page),
            "draft": draft,
        }

    def export(self):
        topics = {}
        for topic in NewsTopic.objects.select_related("locale").order_by("translation_key"):
            topics.setdefault(str(topic.translation_key), []).append(
                {"locale": topic.locale.language_code, "name": topic.name, "slug": topic.slug}
            )
        authors = {}
        for author in Author.objects.select_related("locale", "image").order_by("translation_key"):
            authors.setdefault(str(author.translation_key), []).append(
                {
                    "locale": author.locale.language_code,
                    **{field: getattr(author, field) for field in AUTHOR_FIELDS},
                    "image": self.image_ref(author.image),
                    "links": list(author.links.raw_data),
                }
            )
        indexes = {}
        for page in NewsIndex.objects.select_related("locale").order_by("path"):
            indexes.setdefault(str(page.translation_key), []).append(
                self.page_state(page, self.index_content)
            )
        news = {}
        pages = (
            NewsPage.objects.select_related("locale", "image")
            .prefetch_related(
                "topic_links__topic__locale",
                "author_links__author__locale",
                "related_news",
                "view_restrictions",
            )
            .order_by("path")
        )
        for page in pages:
            news.setdefault(str(page.translation_key), []).append(
                self.page_state(page, self.news_content)
            )

        def grouped(mapping):
            return [
                {
                    "translation_key": key,
                    "translations": sorted(items, key=lambda item: _locale_order(item["locale"])),
                }
                for key, items in sorted(mapping.items())
            ]

        return {
            "format": FORMAT,
            "version": VERSION,
            "locales": sorted(
                Locale.objects.values_list("language_code", flat=True), key=_locale_order
            ),
            "images": sorted(self.images.values(), key=lambda ref: ref["file"]),
            "topics": grouped(topics),
            "authors": grouped(authors),
            "indexes": grouped(indexes),
            "news": grouped(news),
        }


def transform_stream(block, raw, *, image, rich_text):
    """Apply ``image`` to image chooser values and ``rich_text`` to rich text, recursively."""
    if isinstance(block, ImageChooserBlock):
        return image(raw)
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(raw)
    if isinstance(block, blocks.StreamBlock):
        result = []
        for item in raw or []:
            child = block.child_blocks.get(item.get("type"))
            item = dict(item)
            if child is not None:
                item["value"] = transform_stream(
                    child, item.get("value"), image=image, rich_text=rich_text
                )
            result.append(item)
        return result
    if isinstance(block, blocks.StructBlock):
        value = dict(raw or {})
        for name, child in block.child_blocks.items():
            if name in value:
                value[name] = transform_stream(child, value[name], image=image, rich_text=rich_text)
        return value
    if isinstance(block, blocks.ListBlock):
        result = []
        for item in raw or []:
            if isinstance(item, dict) and "value" in item and "type" in item:
                item = dict(item)
                item["value"] = transform_stream(
                    block.child_block, item["value"], image=image, rich_text=rich_text
                )
                result.append(item)
            else:
                result.append(
                    transform_stream(block.child_block, item, image=image, rich_text=rich_text)
                )
        return result
    return raw


def export_news():
    """All news content as a JSON-serialisable dict."""
    return Exporter().export()


# --- Import -----------------------------------------------------------------------------


class Importer:
    def __init__(self, data, log=None):
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ImportProblem(f"not a {FORMAT} file of version {VERSION}")
        self.data = data
        self.log = log or (lambda message: None)
        self.locales = {}
        self.warnings = []
        self.stats = {"topics": 0, "authors": 0, "indexes": 0, "news": 0, "missing_images": 0}

    def warn(self, message):
        self.warnings.append(message)
        self.log(f"warning: {message}")

    def locale(self, code):
        if code not in self.locales:
            try:
                self.locales[code] = Locale.objects.get(language_code=code)
            except Locale.DoesNotExist as exc:
                raise ImportProblem(f"locale {code!r} does not exist on this site") from exc
        return self.locales[code]

    def find_page(self, ref):
        return (
            Page.objects.filter(
                translation_key=ref["translation_key"], locale__language_code=ref["locale"]
            )
            .specific()
            .first()
        )

    def image(self, ref):
        if not ref:
            return None
        images = get_image_model().objects
        found = images.filter(file=ref["file"]).first() or images.filter(title=ref["title"]).first()
        if found is None:
            self.stats["missing_images"] += 1
            self.warn(f"image {ref['file']!r} ({ref['title']!r}) not found: left empty")
        return found

    def image_id(self, ref):
        found = self.image(ref)
        return found.pk if found else None

    def rich_text(self, html):
        def replace(match):
            tag = match.group(0)
            ref_match = _REF_ATTR.search(tag)
            if not ref_match:
                return tag
            target = self.find_page(
                {"translation_key": ref_match.group(1), "locale": ref_match.group(2)}
            )
            if target is None:
                self.warn(f"link to missing page {ref_match.group(1)}/{ref_match.group(2)}")
                return _REF_ATTR.sub("", tag, count=1)
            return _REF_ATTR.sub(f' id="{target.pk}"', tag, count=1)

        return _PAGE_LINK.sub(replace, html or "")

    # Topics ---------------------------------------------------------------------

    def import_topics(self):
        for group in self.data.get("topics", []):
            for item in group["translations"]:
                NewsTopic.objects.update_or_create(
                    translation_key=group["translation_key"],
                    locale=self.locale(item["locale"]),
                    defaults={"name": item["name"], "slug": item["slug"]},
                )
                self.stats["topics"] += 1

    def import_authors(self):
        for group in self.data.get("authors", []):
            for item in group["translations"]:
                Author.objects.update_or_create(
                    translation_key=group["translation_key"],
                    locale=self.locale(item["locale"]),
                    defaults={
                        **{field: item.get(field) or "" for field in AUTHOR_FIELDS},
                        "image": self.image(item.get("image")),
                        "links": item.get("links") or [],
                    },
                )
                self.stats["authors"] += 1

    # Pages ----------------------------------------------------------------------

    def apply_news_content(self, page, content):
        for field in NEWS_FIELDS:
            setattr(page, field, content.get(field) or "")
        page.date = parse_date(content["date"]) if content.get("date") else timezone.localdate()
        page.image = self.image(content.get("image"))
        block = NewsPage._meta.get_field("body").stream_block
        page.body = transform_stream(
            block, content.get("body") or [], image=self.image_id, rich_text=self.rich_text
        )
        topics = []
        for ref in content.get("topics", []):
            topic = NewsTopic.objects.filter(
                translation_key=ref["translation_key"], locale__language_code=ref["locale"]
            ).first()
            if topic is None:
                self.warn(f"topic {ref['translation_key']}/{ref['locale']} missing")
                continue
            topics.append(NewsPageTopic(topic=topic, sort_order=len(topics)))
        page.topic_links = topics
        authors = []
        for ref in content.get("authors", []):
            author = Author.objects.filter(
                translation_key=ref["translation_key"], locale__language_code=ref["locale"]
            ).first()
            if author is None:
                self.warn(f"author {ref['translation_key']}/{ref['locale']} missing")
                continue
            authors.append(NewsPageAuthor(author=author, sort_order=len(authors)))
        page.author_links = authors
        page.notes = content.get("notes") or []
        related = []
        for ref in content.get("related", []):
            target = self.find_page(ref)
            if target is None or not isinstance(target, NewsPage):
                self.warn(f"related page {ref['translation_key']}/{ref['locale']} missing")
                continue
            related.append(NewsPageRelated(related_page=target, sort_order=len(related)))
        page.related_news = related

    def apply_index_content(self, page, content):
        for field in INDEX_FIELDS:
            setattr(page, field, content.get(field) or "")
        page.intro = self.rich_text(content.get("intro"))

    def ensure_page(self, model, key, item, apply):
        """Create the page (with placeholder content) so that references can resolve."""
        page = model.objects.filter(
            translation_key=key, locale__language_code=item["locale"]
        ).first()
        if page is not None:
            return page
        parent = self.find_page(item["parent"])
        if parent is None:
            raise ImportProblem(
                f"parent page {item['parent']['translation_key']}/{item['parent']['locale']} "
                f"of {key}/{item['locale']} does not exist: import the site structure first"
            )
        page = model(translation_key=key, locale=self.locale(item["locale"]), live=False)
        content = item["content"]
        page.title = content["title"]
        page.slug = content["slug"]
        if model is NewsPage and content.get("date"):
            page.date = parse_date(content["date"])
        page.go_live_at = parse_datetime(item["go_live_at"]) if item.get("go_live_at") else None
        page.expire_at = parse_datetime(item["expire_at"]) if item.get("expire_at") else None
        parent.add_child(instance=page)
        return page

    def finish_page(self, page, item, apply):
        page = type(page).objects.get(pk=page.pk)
        apply(page, item["content"])
        page.go_live_at = parse_datetime(item["go_live_at"]) if item.get("go_live_at") else None
        page.expire_at = parse_datetime(item["expire_at"]) if item.get("expire_at") else None
        page.first_published_at = (
            parse_datetime(item["first_published_at"]) if item.get("first_published_at") else None
        )
        if item["live"]:
            # A live page's go-live date is in the past by definition: publish now.
            live_go_live_at, page.go_live_at = page.go_live_at, None
            page.save_revision(log_action=False).publish(log_action=False)
            if live_go_live_at:
                type(page).objects.filter(pk=page.pk).update(go_live_at=live_go_live_at)
                page.go_live_at = live_go_live_at
        else:
            if page.live:
                page.unpublish(log_action=False)
            page.save()
            page.save_revision(log_action=False)
        if item.get("draft"):
            page = type(page).objects.get(pk=page.pk)
            apply(page, item["draft"])
            revision = page.save_revision(log_action=False)
            if item.get("scheduled_at"):
                page.go_live_at = parse_datetime(item["scheduled_at"])
                revision = page.save_revision(log_action=False)
                revision.publish(log_action=False)
        type(page).objects.filter(pk=page.pk).update(
            first_published_at=parse_datetime(item["first_published_at"])
            if item.get("first_published_at")
            else None,
            last_published_at=parse_datetime(item["last_published_at"])
            if item.get("last_published_at")
            else None,
        )
        self.restrict(page, item.get("view_restrictions", []))

    def restrict(self, page, restrictions):
        PageViewRestriction.objects.filter(page=page).delete()
        for spec in restrictions:
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=spec["restriction_type"], password=spec["password"]
            )
            groups = list(Group.objects.filter(name__in=spec.get("groups", [])))
            if groups:
                restriction.groups.set(groups)

    def import_pages(self, section, model, apply):
        created = []
        for group in self.data.get(section, []):
            for item in group["translations"]:
                page = self.ensure_page(model, group["translation_key"], item, apply)
                created.append((page, item))
        return created

    def run(self):
        with transaction.atomic():
            self.import_topics()
            self.import_authors()
            indexes = self.import_pages("indexes", NewsIndex, self.apply_index_content)
            news = self.import_pages("news", NewsPage, self.apply_news_content)
            # Second pass: every page exists now, so links and related news resolve.
            for page, item in indexes:
                self.finish_page(page, item, self.apply_index_content)
                self.stats["indexes"] += 1
            for page, item in news:
                self.finish_page(page, item, self.apply_news_content)
                self.stats["news"] += 1
        return self.stats


def import_news(data, log=None):
    """Create or update every topic, news index and news page in ``data``."""
    importer = Importer(data, log=log)
    stats = importer.run()
    return stats, importer.warnings
