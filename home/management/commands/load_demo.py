"""``manage.py load_demo``: a believable regional newsroom in kk, partly translated to ru/en.

Idempotent: everything is found again by a stable key (locale codes, page slugs
under their parent, topic slugs, image titles, the admin username) and skipped
when it exists, so a second run changes nothing.

Translations go through wagtail-localize's own models, written by
``news.desk.translating.write_translation``, so they show up in its editor
as synced translations, and the coverage report sees every state: live,
outdated (one), in progress (one draft) and missing (the seed article and more).
"""

import datetime
import html
import io
import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from home import roles
from home.demo import content, live, team
from home.demo.images import draw_hero
from home.management.commands.configure_site import configure_default_site, configured_address
from home.models import HomePage
from news.desk import coverage
from news.desk.translating import write_translation
from news.image_rights import ImageRights
from news.models import (
    Author,
    NewsIndex,
    NewsPage,
    NewsPageAuthor,
    NewsPageRelated,
    NewsPageTopic,
    NewsTopic,
)
from search.index import rebuild

DEMO_DIR = Path(content.__file__).resolve().parent
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "newsdesk-demo"  # noqa: S105 - a documented demo credential
IMAGE_TITLE_PREFIX = "Newsdesk demo: "


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent): locales, home, news, topics, translations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-credentials",
            action="store_true",
            help=(
                f"Load even with DEBUG off. The demo creates the superuser {ADMIN_USERNAME!r} "
                "with a published password: never on a site others can reach."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_demo_credentials"]:
            raise CommandError(
                f"load_demo creates the superuser {ADMIN_USERNAME!r} with the published "
                f"password {ADMIN_PASSWORD!r}. DEBUG is off, so this looks like a real "
                "site: refusing. Pass --allow-demo-credentials if you really mean it."
            )
        started = time.monotonic()
        self.created = []
        with transaction.atomic():
            locales = self.ensure_locales()
            home = self.ensure_home(locales[settings.LANGUAGE_CODE])
            index = self.ensure_index(home)
            topics = self.ensure_topics(locales[settings.LANGUAGE_CODE])
            self.authors = self.ensure_authors(locales[settings.LANGUAGE_CODE])
            pages = self.ensure_articles(index, topics, locales[settings.LANGUAGE_CODE])
            self.ensure_translations(home, index, topics, pages, locales)
            self.ensure_bylines(pages)
            live.ensure_live_blog(self, index, locales, list(self.authors.values())[:1])
            self.ensure_superuser()
            self.ensure_groups(home)
            self.ensure_team()
            if team.ensure_schedule(pages, ADMIN_USERNAME):
                self.created.append("a scheduled update and a scheduled expiry")
            if team.ensure_latin_spellings():
                self.created.append("Latin spellings of the ambassador's name")
        self.rebuild_search_index()

        if self.created:
            # Every object made, for whoever asks (-v 2); everyone else gets the summary.
            if options["verbosity"] >= 2:
                for line in self.created:
                    self.stdout.write(f"  {line}")
            self.stdout.write(f"Demo newsroom loaded in {time.monotonic() - started:.0f} s:")
            for line in self.describe():
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write("Demo content already loaded; nothing changed.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Site: {self.site.root_url}/  Admin: {self.site.root_url}/admin/  "
                f"user: {ADMIN_USERNAME}  password: {ADMIN_PASSWORD}"
            )
        )

    def describe(self):
        """What the demo holds, in a few plain lines (counted, not listed)."""
        source = settings.LANGUAGE_CODE
        stories = NewsPage.objects.filter(locale__language_code=source)
        live = stories.live().count()
        topics = NewsTopic.objects.filter(locale__language_code=source).count()
        locales, rows = coverage.build_coverage()
        states = coverage.summarize(locales, rows)
        lines = [
            f"{live} Kazakh news stories with photos, quotes and {topics} topics, under a home "
            "page and a news index in Kazakh, Russian and English.",
        ]
        for code, name in (("ru", "Russian"), ("en", "English")):
            counts = states.get(code, {})
            lines.append(
                f"{name}: {counts.get(coverage.LIVE, 0)} stories translated and live, "
                f"{counts.get(coverage.OUTDATED, 0)} outdated (the Kazakh text changed "
                f"since), {counts.get(coverage.IN_PROGRESS, 0)} translation in progress; "
                "the other stories are shown in Kazakh with a notice."
            )
        reporters = Author.objects.filter(locale__language_code=source).count()
        lines.append(
            f"Every story is signed: {reporters} reporters and the agency "
            f"{content.AGENCY[source]}; one story carries a correction, one an update."
        )
        lines.append(
            f"Glossary: {team.GlossaryTerm.objects.count()} terms (officials, institutions, "
            f"places); editor {team.EDITOR_FIRST_NAME} {team.EDITOR_LAST_NAME} ({ADMIN_USERNAME})."
        )
        lines.append(f"Search index: {self.search_entries} entries.")
        return lines

    # --- Staff groups (docs/roles.md) ---------------------------------------------
    def ensure_groups(self, home):
        """The newsroom's groups (home.roles); translators may edit the ru and en trees."""
        groups = roles.ensure_groups()
        change = roles.permission("wagtailcore.change_page")
        for code in ("ru", "en"):
            tree = home.get_translation_or_none(Locale.objects.get(language_code=code))
            if tree is not None:
                _perm, created = GroupPagePermission.objects.get_or_create(
                    group=groups["Translators"], page=tree, permission=change
                )
                if created:
                    self.created.append(f"Translators may edit the {code} pages")

    # --- Structure -------------------------------------------------------------
    def ensure_locales(self):
        locales = {}
        for code, _name in settings.LANGUAGES:
            locale, created = Locale.objects.get_or_create(language_code=code)
            if created:
                self.created.append(f"locale {code}")
            locales[code] = locale
        for code in ("kk", "ru", "en"):
            if code not in locales:
                raise CommandError(f"The demo needs the {code!r} language in NEWSDESK_LANGUAGES.")
        return locales

    def ensure_home(self, kk):
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=kk, depth=root.depth + 1).first()
        if home is None:
            # Wagtail's initial migration leaves a plain "Welcome" page (and a Site on it).
            for page in root.get_children().filter(
                content_type__app_label="wagtailcore", content_type__model="page", numchild=0
            ):
                page.delete()
            data = content.HOME["kk"]
            home = HomePage(title=data["title"], slug=data["slug"], intro=_rich(data["intro"]))
            home.locale = kk
            root.add_child(instance=home)
            home.save_revision().publish()
            self.created.append(f"home page {home.title}")
        hostname, port = configured_address()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
            self.created.append(f"site {site.root_url}/")
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
            self.created.append(f"site {site.root_url}/ now serves the home page")
        # The address it serves (make run's host and port, or the configured one).
        if configure_default_site(site):
            self.created.append(f"site now at {site.root_url}/")
        self.site = site
        return home

    def ensure_index(self, home):
        index = NewsIndex.objects.child_of(home).first()
        if index is None:
            data = content.NEWS_INDEX["kk"]
            index = NewsIndex(title=data["title"], slug=data["slug"], intro=_rich(data["intro"]))
            home.add_child(instance=index)
            index.save_revision().publish()
            self.created.append(f"news index {index.title}")
        return index

    def ensure_topics(self, kk):
        topics = {}
        for slug, names in content.TOPICS.items():
            topic, created = NewsTopic.objects.get_or_create(
                locale=kk, slug=slug, defaults={"name": names["kk"]}
            )
            if created:
                self.created.append(f"topic {topic.name}")
            topics[slug] = topic
        return topics

    def ensure_authors(self, kk):
        """The reporters, in Kazakh here (ru and en come with the other translations)."""
        authors = {}
        for slug, texts in content.AUTHORS.items():
            name, role, bio = texts["kk"]
            author, created = Author.objects.get_or_create(
                locale=kk, slug=slug, defaults={"name": name, "role": role, "bio": bio}
            )
            if created:
                self.created.append(f"author {author.name}")
            authors[slug] = author
        return authors

    # --- Articles --------------------------------------------------------------
    def ensure_articles(self, index, topics, kk):
        seed = self.seed_article()
        existing = {page.slug: page for page in NewsPage.objects.child_of(index)}
        pages, new = {}, []
        for position, data in enumerate([seed, *content.ARTICLES]):
            data["byline_position"] = position
            page = existing.get(data["slug"])
            if page is None:
                page = self.create_article(index, data, topics)
                new.append(data)
            pages[data["slug"]] = page
        # Curated "other news" once every story exists (only on stories made now).
        for data in new:
            if data.get("related"):
                page = pages[data["slug"]]
                page.related_news = [
                    NewsPageRelated(related_page=pages[key], sort_order=position)
                    for position, key in enumerate(data["related"])
                ]
                page.save_revision().publish()
        return pages

    def seed_article(self):
        raw = json.loads((DEMO_DIR / "seed_article.json").read_text(encoding="utf-8"))
        body = []
        for block in raw["body"]:
            if block["type"] == "quote":
                body.append(("q", block["text"], block["attribution"], block.get("role", "")))
                # The page printed narrative after some quotes ("— деді X. Then…"): keep it.
                tail = _narrative_after_quote(block.get("as_printed", ""))
                if tail:
                    body.append(("p", tail))
            else:
                body.append(("p", block["text"]))
        return {
            **content.SEED,
            "title": raw["title"],
            "body": body,
            "date": datetime.date.fromisoformat(content.SEED["date"]),
        }

    def create_article(self, index, data, topics):
        date = data.get("date") or timezone.localdate() - datetime.timedelta(days=data["days_ago"])
        page = NewsPage(
            title=data["title"],
            slug=data["slug"],
            date=date,
            lead=data["lead"],
            image=self.hero_image(data),
            image_caption=data["caption"],
            image_credit=content.CREDIT["kk"],
            body=_body(data["body"]),
            topic_links=[
                NewsPageTopic(topic=topics[key], sort_order=position)
                for position, key in enumerate(data["topics"])
            ],
            notes=_notes(data, date, "kk"),
        )
        self.sign(page, data, "kk")
        index.add_child(instance=page)
        page.save_revision().publish()
        if date < timezone.localdate():
            # A story of an earlier day went live that day, at a time of day (as the
            # WordPress importer keeps each post's): feeds date stories by it.
            page.first_published_at = team.first_publication(date, data["slug"])
            NewsPage.objects.filter(pk=page.pk).update(first_published_at=page.first_published_at)
        self.created.append(f"news page {page.title}")
        return page

    def sign(self, page, data, language):
        """Give ``page`` its byline: one reporter, and the agency on every fifth story."""
        reporters, agency = _byline(data["byline_position"])
        page.author_links = [
            NewsPageAuthor(author=self.authors[slug], sort_order=position)
            for position, slug in enumerate(reporters)
        ]
        page.byline = content.AGENCY[language] if agency else ""

    def ensure_bylines(self, pages):
        """Sign the stories of a demo loaded before bylines existed (every language)."""
        by_key = {}
        for data in [self.seed_article(), *content.ARTICLES]:
            page = pages.get(data["slug"])
            if page is not None:
                by_key[page.translation_key] = data
        unsigned = NewsPage.objects.filter(
            translation_key__in=by_key, author_links__isnull=True, byline=""
        ).select_related("locale")
        for page in unsigned:
            data = by_key[page.translation_key]
            data.setdefault(
                "byline_position",
                [d["slug"] for d in [self.seed_article(), *content.ARTICLES]].index(data["slug"]),
            )
            self.sign(page, data, page.locale.language_code)
            revision = page.save_revision()
            if page.live:
                revision.publish()
            self.created.append(f"byline on {page.title}")

    def hero_image(self, data):
        image_model = get_image_model()
        title = f"{IMAGE_TITLE_PREFIX}{data['slug']}"
        image = image_model.objects.filter(title=title).first()
        if image is None:
            jpeg = draw_hero(data["label"], data["palette"], seed=data["slug"])
            image = image_model.objects.create(
                title=title,
                file=ImageFile(io.BytesIO(jpeg), name=f"demo-{data['slug'][:40]}.jpg"),
            )
            self.created.append(f"image {title}")
        # Its credit and licence, stored once on the image (news.image_rights); the stories
        # keep their own translated credit line as the override.
        _rights, created = ImageRights.objects.get_or_create(
            image=image, defaults=content.IMAGE_RIGHTS
        )
        if created:
            self.created.append(f"rights of image {title}")
        return image

    # --- Translations ----------------------------------------------------------
    def ensure_translations(self, home, index, topics, pages, locales):
        for language in ("ru", "en"):
            locale = locales[language]
            for instance, texts in ((home, content.HOME), (index, content.NEWS_INDEX)):
                source, target = texts["kk"], texts[language]
                self.translate(
                    instance,
                    locale,
                    {
                        source["title"]: target["title"],
                        source["slug"]: target["slug"],
                        source["intro"]: target["intro"],
                    },
                )
            for slug, topic in topics.items():
                name, translated_slug = content.TOPICS[slug][language]
                self.translate(
                    topic, locale, {topic.name: name, topic.slug: translated_slug}, publish=True
                )
            for slug, author in self.authors.items():
                texts = dict(
                    zip(content.AUTHORS[slug]["kk"], content.AUTHORS[slug][language], strict=True)
                )
                self.translate(author, locale, texts, publish=True)

        for data in content.ARTICLES:
            page = pages[data["slug"]]
            for language, translated in data.get("translations", {}).items():
                made = self.translate(
                    page, locales[language], _article_strings(data, translated, language)
                )
                outdated = data.get("outdated")
                if made and outdated and outdated["language"] == language:
                    self.edit_source_after_translation(page, outdated)
            for language, translated in data.get("draft", {}).items():
                self.translate(
                    page,
                    locales[language],
                    _article_strings(data, translated, language),
                    publish=False,
                    partial=True,
                )

    def translate(self, instance, locale, strings, *, publish=True, partial=False):
        """Translate ``instance`` into ``locale`` with ``strings`` (source text -> translation).

        Skipped when a translation into ``locale`` already exists. Returns True when
        one was made now.
        """
        if instance.has_translation(locale):
            return False
        if Translation.objects.filter(
            source__object_id=instance.translation_key, target_locale=locale
        ).exists():
            return False  # a draft translation started earlier

        def lookup(segment):
            text = strings.get(html.unescape(segment.string.data))
            return None if text is None else html.escape(text, quote=False)

        written = write_translation(instance, locale, lookup, publish=publish, refresh_source=True)
        if written.missing and not partial:
            missing = [html.unescape(text) for text in written.missing]
            raise CommandError(f"No {locale.language_code} text for {missing!r} in {instance!r}")
        target = written.target
        state = "published" if publish else "draft"
        self.created.append(f"{locale.language_code} translation ({state}) {target}")
        return True

    def edit_source_after_translation(self, page, edit):
        """Change one paragraph of the source after it was translated, and re-extract it.

        The source is re-published and wagtail-localize's TranslationSource updated
        (as "Sync translated pages" does), but the target is not re-synced: that
        translation is now outdated.
        """
        page = page.specific
        # Edit the raw block data so every block keeps its id, as the admin form does:
        # wagtail-localize keys segments by block id, so only this paragraph changes.
        blocks = [dict(block) for block in page.body.raw_data]
        if blocks[edit["block"]]["type"] != "paragraph":
            raise CommandError("The demo's outdated edit must replace a paragraph.")
        blocks[edit["block"]]["value"] = _rich(edit["text"])
        page.body = blocks
        page.save_revision().publish()
        TranslationSource.objects.get_for_instance(page).update_from_db()
        self.created.append(
            f"edited the Kazakh text of «{page.title}» after its translation, which is now outdated"
        )

    # --- Users and search ----------------------------------------------------------
    def ensure_superuser(self):
        user_model = get_user_model()
        if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
            user_model.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
            self.created.append(f"superuser {ADMIN_USERNAME}")

    def ensure_team(self):
        """The workflow named in the site's language, a named editor, the glossary."""
        team.name_workflow()
        team.name_editor(ADMIN_USERNAME)
        if created := team.ensure_glossary():
            self.created.append(f"{created} glossary terms")

    def rebuild_search_index(self):
        self.search_entries = rebuild()


def _rich(text):
    return f"<p>{html.escape(text, quote=False)}</p>"


def _body(blocks):
    body = []
    for block in blocks:
        if block[0] == "p":
            body.append(("paragraph", _rich(block[1])))
        elif block[0] == "h":
            body.append(("heading", {"text": block[1], "level": "h2"}))
        elif block[0] == "q":
            _kind, text, speaker, role = block
            body.append(
                ("quote", {"text": text, "attribution": speaker, "role": role, "source_url": ""})
            )
        else:
            raise CommandError(f"Unknown demo block {block[0]!r}")
    return body


def _article_strings(data, translated, language):
    """Map each Kazakh source string of an article to its translation."""
    strings = {data["slug"]: translated["slug"], data["title"]: translated["title"]}
    strings[content.CREDIT["kk"]] = content.CREDIT[language]
    for key in ("lead", "caption"):
        if key in translated:
            strings[data[key]] = translated[key]
    for block, target in zip(data["body"], translated["body"], strict=False):
        if block[0] == "q":
            for source_text, target_text in zip(block[1:], target, strict=True):
                strings[source_text] = target_text
        else:
            strings[block[1]] = target
    outdated = data.get("outdated")
    if outdated and len(translated["body"]) > outdated["block"]:
        strings[outdated["text"]] = translated["body"][outdated["block"]]
    strings[content.AGENCY["kk"]] = content.AGENCY[language]
    for _kind, _hours, texts in content.NOTES.get(data["slug"], []):
        strings[texts["kk"]] = texts[language]
    return strings


def _byline(position):
    """(reporter slugs, with the agency) of the story at ``position`` (the seed is 0)."""
    reporter = content.BYLINE_ROTATION[position % len(content.BYLINE_ROTATION)]
    return [reporter], position % 5 == 4


def _notes(data, date, language):
    """The story's editor's notes (content.NOTES), timed after its date."""
    start = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9)))
    return [
        (
            "note",
            {"kind": kind, "at": start + datetime.timedelta(hours=hours), "text": texts[language]},
        )
        for kind, hours, texts in content.NOTES.get(data["slug"], [])
    ]


def _narrative_after_quote(as_printed):
    """The sentences the original page printed after a quote's "— деді …." attribution."""
    marker = as_printed.rfind("— де")
    if marker == -1:
        return ""
    end = as_printed.find(".", marker)
    return as_printed[end + 1 :].strip() if end != -1 else ""
