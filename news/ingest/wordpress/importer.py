"""Write a WordPress export into Newsdesk: pages, translations, topics, bylines, images, redirects.

One post is one story: one translation key (derived from the old site's URL and
the post id, so a second import finds and updates what the first one wrote),
one NewsPage per language that has text. The page in the default locale (or the
first language present) is the source; the other languages are made through
wagtail-localize, so translators find them in its editor:

* when a language's version has the same block structure as the source (the
  usual case: translators kept the paragraphs), every string is stored as a
  wagtail-localize ``StringTranslation`` and the page is a *synced* translation;
* when the structure differs (another number of paragraphs, a quote only in one
  language), the page is still created through wagtail-localize from the source,
  its fields are then set to the language's own content and the translation is
  marked as no longer synced (``Translation.enabled = False``, what "Stop
  synchronised translation" does in the admin), so the editor edits it directly.

Each post is written in its own transaction: a post that fails leaves nothing
behind and the others are still imported.
"""

import hashlib
import json
import logging
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import find_available_slug
from wagtail.embeds.finders.oembed import OEmbedFinder
from wagtail.embeds.oembed_providers import all_providers
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments

from news import i18n
from news.desk.translating import write_translation
from news.ingest.wordpress import qtranslate
from news.ingest.wordpress.html_to_blocks import convert
from news.models import Author, NewsIndex, NewsPage, NewsPageAuthor, NewsPageTopic, NewsTopic

logger = logging.getLogger(__name__)

# Fields whose text may be missing in a language without breaking the sync.
FALLBACK_FIELDS = {"lead", "image_caption", "image_credit", "seo_title", "search_description"}
IMPORTED_STATUSES = {"publish": True, "future": False, "draft": False, "pending": False}


class ImportAborted(Exception):
    """Nothing can be imported (no news index, unknown default locale...)."""


class SkipItem(Exception):
    """This item is left out; the message says why."""


@dataclass
class Report:
    dry_run: bool = False
    posts_seen: int = 0
    created: int = 0
    updated: int = 0
    pages: Counter = field(default_factory=Counter)  # language -> pages written
    synced_translations: int = 0
    manual_translations: int = 0
    quotes: int = 0
    images: int = 0
    embeds: int = 0
    topics: int = 0
    redirects: int = 0
    authors_created: int = 0
    indexes_created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (item label, why)
    warnings: list = field(default_factory=list)  # (item label, what)
    file_error: str = ""

    @property
    def posts(self):
        return self.created + self.updated


def story_key(site_key, post_id):
    """The translation key of a WordPress post: stable across imports."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_key}/?p={post_id}")


def author_key(site_key, login):
    """The translation key of a WordPress author (Author snippet): stable across imports."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wordpress-author:{site_key}:{login}")


def topic_key(site_key, slug):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_key}/topic/{slug}")


def block_id(key, position, block_type):
    """Stable block ids: the same block type at the same place shares its id in every language."""
    return str(uuid.uuid5(key, f"body/{position}/{block_type}"))


def _parse_datetime(value):
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        return None
    return parsed if parsed.year > 1900 else None


def _structure(segments):
    """What must be equal for two versions to be translations of the same structure."""
    shape = []
    for segment in segments:
        if isinstance(segment, StringSegmentValue):
            shape.append(("string", segment.path, json.dumps(segment.attrs, sort_keys=True)))
        elif isinstance(segment, TemplateSegmentValue):
            shape.append(("template", segment.path, segment.template))
        elif isinstance(segment, OverridableSegmentValue):
            shape.append(("override", segment.path, str(segment.data)))
        elif isinstance(segment, RelatedObjectSegmentValue):
            shape.append(("related", segment.path, str(segment.translation_key)))
    return shape


class Media:
    """Images from the uploads folder and the oEmbed check; nothing goes over the network."""

    def __init__(self, uploads, *, dry_run, report):
        self.uploads = Path(uploads).resolve() if uploads else None
        self.dry_run = dry_run
        self.report = report
        self.finder = OEmbedFinder(providers=all_providers)
        self.created_files = []  # files written during the current post, removed on failure
        self.cache = {}
        self.titles = {}  # relative path -> title from the attachment item

    def accepts_embed(self, url):
        return self.finder.accept(url)

    def relative_path(self, url):
        path = unquote(urlparse(url).path if "://" in url or url.startswith("/") else url)
        marker = "wp-content/uploads/"
        if marker in path:
            path = path.split(marker, 1)[1]
        return path.lstrip("/")

    def locate(self, relative):
        candidates = [relative]
        stem, dot, ext = relative.rpartition(".")
        if dot:
            # WordPress links to resized copies (photo-300x200.jpg); the original is photo.jpg.
            original = re.sub(r"-\d+x\d+$", "", stem)
            if original != stem:
                candidates.append(f"{original}.{ext}")
            candidates.append(re.sub(r"-scaled$", "", original) + f".{ext}")
        for candidate in candidates:
            path = (self.uploads / candidate).resolve()
            if not path.is_relative_to(self.uploads):
                return None
            if path.is_file():
                return path
        return None

    def image(self, url):
        """(image or None, problem or None) for an image URL or uploads-relative path."""
        relative = self.relative_path(url)
        if not relative:
            return None, _("image %(url)r has no file path") % {"url": url}
        if self.uploads is None:
            return None, _("image %(path)s not imported: no --uploads folder given") % {
                "path": relative
            }
        if relative in self.cache:
            return self.cache[relative], None
        path = self.locate(relative)
        if path is None:
            return None, _("image file missing in the uploads folder: %(path)s") % {
                "path": relative
            }
        data = path.read_bytes()
        try:
            with PILImage.open(path) as probe:
                probe.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None, _("not a readable image: %(path)s") % {"path": relative}
        Image = get_image_model()
        existing = Image.objects.filter(file_hash=hashlib.sha1(data).hexdigest()).first()  # noqa: S324
        if existing is None and self.dry_run:
            # Files are not transactional: a dry run never writes one.
            self.report.images += 1
            return None, None
        if existing is None:
            title = (self.titles.get(relative) or path.stem)[:255]
            with path.open("rb") as handle:
                existing = Image(title=title, file=ImageFile(handle, name=path.name))
                existing._set_image_file_metadata()
                existing.save()
            self.created_files.append(existing.file.name)
            self.report.images += 1
        self.cache[relative] = existing
        return existing, None

    def forget(self):
        """After a failed post: remove its files and forget objects that were rolled back."""
        storage = get_image_model()._meta.get_field("file").storage
        for name in self.created_files:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("could not remove %s after a failed post", name)
        self.created_files = []
        self.cache = {}


class WordPressImporter:
    def __init__(self, export, *, uploads=None, default_locale=None, dry_run=False, progress=None):
        self.export = export
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total, label: None)
        self.default = i18n.normalize_language(default_locale or settings.LANGUAGE_CODE)
        self.report = Report(dry_run=dry_run, file_error=export.error)
        self.media = Media(uploads, dry_run=dry_run, report=self.report)
        site = (export.base_site_url or export.site_url or "wordpress").strip().rstrip("/")
        parsed = urlparse(site)
        self.site_key = f"{parsed.netloc.lower()}{parsed.path}" if parsed.netloc else site
        self.old_prefix = parsed.path.rstrip("/") if parsed.netloc else ""
        self.attachments = {}
        self.locales = {}
        self.indexes = {}
        self.topics = {}
        self.users = {}
        self.bylines = {}
        if not self.default:
            raise ImportAborted(
                _("unknown default locale %(code)r: use one of %(codes)s")
                % {"code": default_locale, "codes": ", ".join(i18n.language_codes())}
            )

    # -- entry point ----------------------------------------------------------------
    def run(self):
        with transaction.atomic():
            self._prepare()
            posts = []
            for item in self.export.items:
                if item.post_type == "attachment":
                    if item.post_id is not None:
                        self.attachments[item.post_id] = item
                        relative = self.media.relative_path(
                            item.meta.get("_wp_attached_file") or item.attachment_url
                        )
                        self.media.titles[relative] = qtranslate.split(item.title).get(
                            self.default
                        ) or next(iter(qtranslate.split(item.title).parts.values()), "")
                elif item.post_type == "post":
                    posts.append(item)
                else:
                    self.skip(
                        item,
                        _("post type %(type)r is not imported")
                        % {"type": item.post_type or "(none)"},
                    )
            total = len(posts)
            for done, item in enumerate(posts, start=1):
                self.report.posts_seen += 1
                self.progress(done - 1, total, self.label(item))
                self.import_one(item)
            self.progress(total, total, "")
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    def label(self, item):
        title = qtranslate.split(item.title)
        name = title.get(self.default) or next(iter(title.parts.values()), "") or title.shared
        return f"post {item.post_id} «{(name or '').strip()[:60]}»"

    def skip(self, item, why):
        self.report.skipped.append((self.label(item), why))

    def warn(self, item, what):
        self.report.warnings.append((self.label(item), what))

    def _prepare(self):
        if not Locale.objects.filter(language_code=self.default).exists():
            raise ImportAborted(
                _("the locale %(code)r does not exist in Wagtail") % {"code": self.default}
            )
        index = (
            NewsIndex.objects.filter(locale__language_code=self.default)
            .order_by("-live", "path")
            .first()
        )
        if index is None:
            raise ImportAborted(
                _("there is no news index in %(code)r: create one before importing")
                % {"code": self.default}
            )
        self.indexes[self.default] = index
        self.site = index.get_site()

    def import_one(self, item):
        report = self.report
        before = (
            report.quotes,
            report.images,
            report.embeds,
            report.topics,
            report.redirects,
            report.authors_created,
            len(report.indexes_created),
        )
        pages_before = Counter(report.pages)
        try:
            with transaction.atomic():
                self.import_post(item)
        except SkipItem as exc:
            self._rolled_back(before, pages_before)
            self.skip(item, str(exc))
        except Exception as exc:
            # One bad post never stops the import (whatever went wrong in it): its
            # transaction is rolled back, the report says why, the next post goes on.
            # The traceback is for developers (LOG_LEVEL=DEBUG); the report says what failed.
            logger.debug("WordPress import of post %s failed", item.post_id, exc_info=True)
            self._rolled_back(before, pages_before)
            self.skip(
                item,
                _("failed and rolled back: %(error)s")
                % {"error": f"{exc.__class__.__name__}: {exc}"},
            )

    def _rolled_back(self, before, pages_before):
        report = self.report
        (
            report.quotes,
            report.images,
            report.embeds,
            report.topics,
            report.redirects,
            report.authors_created,
            indexes,
        ) = before
        del report.indexes_created[indexes:]
        report.pages = pages_before
        self.media.forget()
        self.topics = {}
        self.indexes = {self.default: self.indexes[self.default]}
        self.users = {}
        self.bylines = {}

    # -- one post ----------------------------------------------------------------------
    def import_post(self, item):
        self.media.created_files = []
        if item.post_id is None:
            raise SkipItem(_("it has no wp:post_id"))
        if item.status not in IMPORTED_STATUSES:
            raise SkipItem(
                _("status %(status)r is not imported") % {"status": item.status or "(none)"}
            )
        live = IMPORTED_STATUSES[item.status]
        titles = qtranslate.split(item.title)
        bodies = qtranslate.split(item.content)
        leads = qtranslate.split(item.excerpt)
        languages = self.languages_of(item, titles, bodies)
        if not languages:
            raise SkipItem(_("it has no text in any configured language"))
        source_language = (
            self.default
            if self.default in languages
            else next(code for code in i18n.language_codes() if code in languages)
        )
        key = story_key(self.site_key, item.post_id)
        featured, featured_captions = self.featured_image(item)
        topics = [self.topic_for(term, item) for term in self.terms_of(item)]
        owner = self.owner_for(item.creator)
        byline_author = self.byline_for(item.creator)
        published = _parse_datetime(item.post_date)
        published_gmt = _parse_datetime(item.post_date_gmt)
        story_date = published.date() if published else timezone.localdate()
        slug = self.slug_for(item, titles, source_language)

        versions = {}
        for language in languages:
            title = (titles.get(language) or "").strip()
            if not title:
                title = (titles.get(source_language) or "").strip() or slug
                self.warn(
                    item,
                    _("no %(language)s title: the %(source)s title is used")
                    % {"language": language, "source": source_language},
                )
            if len(title) > 255:
                self.warn(
                    item, _("%(language)s title cut to 255 characters") % {"language": language}
                )
                title = title[:255]
            conversion = convert(bodies.get(language), self.media)
            for problem in conversion.warnings:
                self.warn(item, f"{language}: {problem}")
            versions[language] = {
                "title": title,
                "slug": slug,
                "lead": _plain(leads.get(language)),
                "body": [
                    {**block, "id": block_id(key, position, block["type"])}
                    for position, block in enumerate(conversion.blocks)
                ],
                "image_caption": (featured_captions.get(language) or "")[:500],
                "conversion": conversion,
            }

        source = NewsPage.objects.filter(
            translation_key=key, locale__language_code=source_language
        ).first()
        created = source is None
        fields = versions[source_language]
        if created:
            source = NewsPage(translation_key=key, locale=self.locale(source_language))
        source.title = fields["title"]
        source.draft_title = fields["title"]
        source.lead = fields["lead"]
        source.body = fields["body"]
        source.image = featured
        source.image_caption = fields["image_caption"]
        source.date = story_date
        if owner is not None:
            source.owner = owner
        if live and published_gmt and not source.first_published_at:
            source.first_published_at = published_gmt.replace(tzinfo=UTC)
        source.topic_links = [
            NewsPageTopic(topic=topic, sort_order=position) for position, topic in enumerate(topics)
        ]
        source.author_links = (
            [NewsPageAuthor(author=byline_author, sort_order=0)] if byline_author else []
        )
        parent = self.index_for(source_language)
        if created:
            source.slug = find_available_slug(parent, fields["slug"])
            source.live = False
            parent.add_child(instance=source)
        else:
            source.save()
        revision = source.save_revision(user=owner)
        if live:
            revision.publish()
            source.refresh_from_db()
        pages = {source_language: source}

        for language in languages:
            if language == source_language:
                continue
            pages[language] = self.translate_page(source, language, versions[language], live)

        for language, version in versions.items():
            conversion = version["conversion"]
            self.report.quotes += conversion.quotes
            self.report.embeds += conversion.embeds
            self.report.pages[language] += 1
        if created:
            self.report.created += 1
        else:
            self.report.updated += 1
        self.redirects_for(item, pages, source, slug)

    def languages_of(self, item, titles, bodies):
        """Languages that get a page: those with body text (or a title, for empty bodies)."""
        configured = i18n.language_codes()
        if not titles.multilingual and not bodies.multilingual:
            return [self.default]
        for split in (bodies, titles):
            for code in split.parts:
                if code not in configured:
                    message = _("unknown language code %(code)r: that part is left out") % {
                        "code": code
                    }
                    if (self.label(item), message) not in self.report.warnings:
                        self.warn(item, message)
        if bodies.multilingual and bodies.languages():
            candidates = set(bodies.languages())
        else:
            # One body for all (or no body at all): the title says which languages exist.
            candidates = set(titles.languages()) if titles.multilingual else {self.default}
        found = [code for code in configured if code in candidates]
        return found

    def slug_for(self, item, titles, language):
        slug = slugify(item.slug, allow_unicode=True)
        if not slug:
            slug = slugify(titles.get(language) or "", allow_unicode=True)
        return (slug or f"post-{item.post_id}")[:255]

    def locale(self, language):
        if language not in self.locales:
            self.locales[language] = Locale.objects.get_or_create(language_code=language)[0]
        return self.locales[language]

    # -- news index per language ------------------------------------------------------
    def index_for(self, language):
        if language in self.indexes:
            return self.indexes[language]
        source = self.indexes[self.default]
        locale = self.locale(language)
        found = source.get_translation_or_none(locale)
        if found is None:
            home = source.get_parent().specific
            if not home.is_root() and home.get_translation_or_none(locale) is None:
                self.translate_tree_page(home, locale)
            found = self.translate_tree_page(source, locale)
            self.report.indexes_created.append(language)
        self.indexes[language] = found.specific
        return self.indexes[language]

    def translate_tree_page(self, page, locale):
        """Translate a home or index page through wagtail-localize (source text for now)."""
        return write_translation(page, locale, publish=page.live).target

    # -- translations through wagtail-localize ---------------------------------------
    def translate_page(self, source_page, language, fields, live):
        locale = self.locale(language)
        self.index_for(language)  # the parent must exist in the target locale
        shadow = NewsPage(
            title=fields["title"],
            slug=source_page.slug,
            lead=fields["lead"],
            body=fields["body"],
            image_caption=fields["image_caption"],
            image=source_page.image,
            image_credit=source_page.image_credit,
            seo_title=source_page.seo_title,
            search_description=source_page.search_description,
            locale=locale,
            translation_key=source_page.translation_key,
        )
        page, synced = self.localize(source_page, shadow, locale, publish=False)
        if not synced:
            page.title = shadow.title
            page.draft_title = shadow.title
            page.lead = shadow.lead
            page.body = fields["body"]
            page.image_caption = shadow.image_caption
            page.save()
            page.save_revision()
        if live:
            page.get_latest_revision().publish()
            page.refresh_from_db()
        return page

    def localize(self, source_obj, shadow, locale, *, publish):
        """Make ``shadow``'s content the ``locale`` translation of ``source_obj``.

        Returns ``(translated object, synced)``; ``synced`` is False when the two
        versions do not share a structure (see the module docstring).
        """
        source, _created = TranslationSource.update_or_create_from_instance(source_obj)
        pairs = self.align(source, source_obj, shadow)
        by_segment = {segment.pk: data for segment, data in pairs or ()}
        translated, translation, _missing = write_translation(
            source_obj,
            locale,
            lambda segment: by_segment.get(segment.pk),
            publish=publish,
            tool_name="WordPress import",
        )
        synced = pairs is not None
        if translation.enabled != synced:
            translation.enabled = synced
            translation.save(update_fields=["enabled"])
        if synced:
            self.report.synced_translations += isinstance(source_obj, NewsPage)
        else:
            self.report.manual_translations += isinstance(source_obj, NewsPage)
        return translated, synced

    def align(self, source, source_obj, shadow):
        """[(StringSegment, translated data)] when both versions share one structure, else None."""
        original = extract_segments(source_obj)
        other = extract_segments(shadow)
        # A short field (lead, caption) left empty in this language keeps the source's
        # text, as wagtail-localize does for any string not yet translated.
        present = {segment.path for segment in other}
        original = [
            segment
            for segment in original
            if segment.path in present
            or not isinstance(segment, StringSegmentValue)
            or segment.path not in FALLBACK_FIELDS
        ]
        if _structure(original) != _structure(other):
            return None
        wanted = {}
        rank = Counter()
        for segment in other:
            if isinstance(segment, StringSegmentValue):
                wanted[(segment.path, rank[segment.path])] = segment.string.data
                rank[segment.path] += 1
        pairs = []
        seen = {}
        rank = Counter()
        for segment in source.stringsegment_set.select_related("string", "context").order_by(
            "order"
        ):
            path = segment.context.path
            data = wanted.get((path, rank[path]))
            rank[path] += 1
            if data is None and path in FALLBACK_FIELDS:
                continue
            if data is None:
                return None
            identity = (segment.string_id, segment.context_id)
            if seen.setdefault(identity, data) != data:
                # The same source string in the same place translated two ways.
                return None
            pairs.append((segment, data))
        return pairs

    # -- topics ---------------------------------------------------------------------------
    def terms_of(self, item):
        seen = set()
        terms = []
        for term in item.terms:
            if term.taxonomy not in {"category", "post_tag"}:
                continue
            declared = self.export.terms.get((term.taxonomy, term.slug))
            name = declared.name if declared and declared.name else term.name
            slug = term.slug or slugify(
                qtranslate.split(name).get(self.default) or name, allow_unicode=True
            )
            slug = slugify(slug, allow_unicode=True)[:100]
            if not slug or slug in seen:
                continue
            if slug == "uncategorized" or slug == "bez-rubriki":
                continue
            seen.add(slug)
            terms.append((slug, name))
        return terms

    def topic_for(self, term, item):
        slug, name = term
        if slug in self.topics:
            return self.topics[slug]
        names = qtranslate.split(name)
        key = topic_key(self.site_key, slug)
        configured = i18n.language_codes()
        if names.multilingual:
            languages = [code for code in configured if not qtranslate.is_empty(names.get(code))]
        else:
            languages = [self.default]
        if not languages:
            languages = [self.default]
            names = qtranslate.split(slug)
        source_language = self.default if self.default in languages else languages[0]
        topic = NewsTopic.objects.filter(
            translation_key=key, locale__language_code=source_language
        ).first()
        if topic is None:
            taken = NewsTopic.objects.filter(
                locale__language_code=source_language, slug=slug
            ).first()
            if taken is not None:
                # A topic made by hand with the same slug: use it rather than duplicate it.
                self.topics[slug] = taken
                return taken
            topic = NewsTopic(translation_key=key, locale=self.locale(source_language), slug=slug)
            self.report.topics += 1
        topic.name = _plain(names.get(source_language))[:100] or slug
        topic.save()
        for language in languages:
            if language == source_language:
                continue
            locale = self.locale(language)
            shadow = NewsTopic(
                name=_plain(names.get(language))[:100],
                slug=slug,
                locale=locale,
                translation_key=key,
            )
            translated, synced = self.localize(topic, shadow, locale, publish=True)
            if not synced:
                translated.name = shadow.name
                translated.save()
        self.topics[slug] = topic
        return topic

    # -- authors and featured images ----------------------------------------------------
    def owner_for(self, login):
        """The Wagtail user for a WordPress author: matched by username, else created inactive."""
        if not login:
            return None
        if login in self.users:
            return self.users[login]
        User = get_user_model()
        user = User.objects.filter(username=login[:150]).first()
        if user is None:
            author = self.export.authors.get(login)
            user = User(
                username=login[:150],
                email=(author.email if author else "")[:254],
                first_name=(author.first_name if author else "")[:150],
                last_name=(author.last_name if author else "")[:150],
                is_active=False,  # an author of record, not an account anyone can log in to
            )
            if author and not (author.first_name or author.last_name) and author.display_name:
                user.first_name = author.display_name[:150]
            user.set_unusable_password()
            user.save()
            self.report.authors_created += 1
        self.users[login] = user
        return user

    def byline_for(self, login):
        """The Author snippet for a post's ``dc:creator`` (described by its ``wp:author``).

        Keyed by the old site and the login, so a second import finds the author the
        first one made (and updates its name); an author made by hand with the same
        slug is used rather than duplicated. Translating the name is the editors' job.
        """
        login = (login or "").strip()
        if not login:
            return None
        if login in self.bylines:
            return self.bylines[login]
        described = self.export.authors.get(login)
        name = ""
        if described is not None:
            full = f"{described.first_name} {described.last_name}".strip()
            name = described.display_name or full
        names = qtranslate.split(name or login)
        name = _plain(names.get(self.default) or next(iter(names.parts.values()), "") or name)
        slug = (slugify(login, allow_unicode=True) or slugify(name, allow_unicode=True))[:100]
        key = author_key(self.site_key, login)
        author = Author.objects.filter(
            translation_key=key, locale__language_code=self.default
        ).first()
        if author is None:
            author = Author.objects.filter(locale__language_code=self.default, slug=slug).first()
        if author is None:
            author = Author(translation_key=key, locale=self.locale(self.default), slug=slug)
        if author.translation_key == key:
            author.name = (name or login)[:255]
            author.save()
        self.bylines[login] = author
        return author

    def featured_image(self, item):
        """(Image or None, {language: caption}) from the post's _thumbnail_id."""
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail:
            return None, {}
        try:
            attachment = self.attachments.get(int(thumbnail))
        except ValueError:
            attachment = None
        if attachment is None:
            self.warn(item, _("featured image %(id)s is not in the export") % {"id": thumbnail})
            return None, {}
        path = attachment.meta.get("_wp_attached_file") or attachment.attachment_url
        image, problem = self.media.image(path)
        if problem:
            self.warn(item, _("featured image: %(problem)s") % {"problem": problem})
        captions = qtranslate.split(attachment.excerpt)
        return image, {code: _plain(captions.get(code)) for code in i18n.language_codes()}

    # -- redirects ---------------------------------------------------------------------------
    def old_paths(self, item, language, slug):
        """Every URL the old site used for this post in ``language``."""
        prefix = self.old_prefix
        permalinks = []
        if item.link:
            parsed = urlparse(item.link)
            if parsed.path and parsed.path.rstrip("/") != prefix and "p=" not in parsed.query:
                permalinks.append(parsed.path)
        published = _parse_datetime(item.post_date)
        wp_slug = item.post_name or slug
        if published:
            permalinks.append(f"{prefix}/{published:%Y}/{published:%m}/{wp_slug}/")
        by_id = f"{prefix}/?p={item.post_id}"
        paths = []
        if language == self.default:
            paths += permalinks + [by_id]
        for permalink in permalinks:
            relative = permalink[len(prefix) :] if permalink.startswith(prefix) else permalink
            paths += [f"{prefix}/{language}{relative}", f"{permalink}?lang={language}"]
        # (/ru/?p=ID is not listed: /ru/ is our Russian home page, never a 404, so
        # wagtail's RedirectMiddleware would never see it.)
        paths.append(f"{by_id}&lang={language}")
        return paths

    def redirects_for(self, item, pages, source, slug):
        source_url = source.get_url()
        for language in i18n.language_codes():
            page = pages.get(language)
            target_page = page if page is not None and page.live else None
            if target_page is None and not source.live:
                continue
            link = "" if target_page else i18n.swap_language_prefix(source_url, language)
            for old in dict.fromkeys(self.old_paths(item, language, slug)):
                normalised = Redirect.normalise_path(old)
                if len(normalised) > 255:
                    self.warn(
                        item,
                        _("old URL too long for a redirect: %(url)s")
                        % {"url": normalised[:80] + "…"},
                    )
                    continue
                Redirect.objects.update_or_create(
                    site=self.site,
                    old_path=normalised,
                    defaults={
                        "redirect_page": target_page,
                        "redirect_link": link,
                        "is_permanent": True,
                    },
                )
                self.report.redirects += 1


def _plain(text):
    """Plain text of a short field (lead, caption, topic name)."""
    if not text:
        return ""
    return " ".join(BeautifulSoup(text, "html.parser").get_text(" ").split())
