"""Build a realistic benchmark dataset fast: N stories in Kazakh, ~60% in Russian, ~30% in English.

Usage (with DJANGO_SETTINGS_MODULE and DATABASE_URL set, after ``migrate``)::

    python bench/build_dataset.py --stories 3000

The site skeleton (locales, home page, news index, topics) is made through Wagtail and
wagtail-localize's own APIs. Stories are then written in bulk: treebeard paths are
computed directly, pages are inserted with ``bulk_create`` (the ``news_newspage`` rows
with one ``executemany``), and every translated story gets exactly the records
wagtail-localize keeps for a synced translation — ``TranslatableObject``,
``TranslationSource`` (with the serialized source), its ``String``/``Template``/
``RelatedObject``/``Overridable`` segments and contexts, ``StringTranslation`` rows and an
enabled ``Translation`` per target locale — so the translation editor and "Sync
translated pages" treat them like any other. Each story has 3–8 body blocks (paragraphs,
headings, quotes, images), one to three topics and a hero image; every fourth story has
two curated "other news" items. No signal fires
during the bulk part; the content version is bumped once at the end.
"""

import argparse
import io
import json
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 500

# (kk, ru, en) word triples: a translation maps each word to its partner.
_TRIPLES = [
    ("үкімет", "правительство", "government"),
    ("жаңа", "новый", "new"),
    ("заң", "закон", "law"),
    ("қабылдады", "приняло", "adopted"),
    ("қала", "города", "city"),
    ("тұрғындары", "жители", "residents"),
    ("жол", "дороги", "road"),
    ("құрылысы", "строительство", "construction"),
    ("басталды", "началось", "began"),
    ("мектеп", "школы", "school"),
    ("оқушылары", "ученики", "pupils"),
    ("ауа-райы", "погода", "weather"),
    ("жылы", "тёплой", "warm"),
    ("болады", "будет", "will"),
    ("министр", "министр", "minister"),
    ("мәлімдеді", "заявил", "said"),
    ("экономика", "экономика", "economy"),
    ("өсті", "выросла", "grew"),
    ("бағалар", "цены", "prices"),
    ("тұрақты", "стабильны", "stable"),
    ("спорт", "спорта", "sports"),
    ("командасы", "команда", "team"),
    ("жеңді", "победила", "won"),
    ("мәдениет", "культуры", "culture"),
    ("фестивалі", "фестиваль", "festival"),
    ("өтті", "прошёл", "held"),
    ("денсаулық", "здоровья", "health"),
    ("ауруханалар", "больницы", "hospitals"),
    ("жаңартылды", "обновлены", "renewed"),
    ("ғалымдар", "учёные", "scientists"),
    ("зерттеу", "исследование", "research"),
    ("жүргізді", "провели", "conducted"),
    ("президент", "президент", "president"),
    ("сапармен", "визитом", "visit"),
    ("барды", "отправился", "went"),
    ("парламент", "парламент", "parliament"),
    ("талқылады", "обсудил", "discussed"),
    ("тасқын", "паводок", "flood"),
    ("алдын-алынды", "предотвращён", "prevented"),
    ("жастар", "молодёжная", "youth"),
    ("бағдарламасы", "программа", "programme"),
    ("іске-қосылды", "запущена", "launched"),
    ("фермерлер", "фермеры", "farmers"),
    ("егін", "урожай", "harvest"),
    ("жинады", "собрали", "gathered"),
    ("теміржол", "железнодорожный", "railway"),
    ("вокзалы", "вокзал", "station"),
    ("ашылды", "открыт", "opened"),
]
WORDS = {code: [triple[i] for triple in _TRIPLES] for i, code in enumerate(("kk", "ru", "en"))}
N_WORDS = min(len(words) for words in WORDS.values())
PEOPLE = {
    "kk": ["Асқар Жұмабаев", "Гүлнар Сейітова", "Ерлан Оспанов", "Джун Ямада"],
    "ru": ["Аскар Жумабаев", "Гульнар Сеитова", "Ерлан Оспанов", "Джун Ямада"],
    "en": ["Askar Zhumabayev", "Gulnar Seitova", "Yerlan Ospanov", "Jun Yamada"],
}
ROLES = {
    "kk": ["министр", "әкім", "сарапшы", "елші"],
    "ru": ["министр", "аким", "эксперт", "посол"],
    "en": ["minister", "mayor", "expert", "ambassador"],
}
TOPICS = [
    ("Саясат", "Политика", "Politics", "sayasat", "politika", "politics"),
    ("Экономика", "Экономика", "Economy", "ekonomika", "ekonomika", "economy"),
    ("Спорт", "Спорт", "Sport", "sport", "sport", "sport"),
    ("Мәдениет", "Культура", "Culture", "madeniet", "kultura", "culture"),
    ("Денсаулық", "Здоровье", "Health", "densaulyq", "zdorove", "health"),
    ("Ғылым", "Наука", "Science", "gylym", "nauka", "science"),
    ("Білім", "Образование", "Education", "bilim", "obrazovanie", "education"),
    ("Қала", "Город", "City", "qala", "gorod", "city"),
]
INDEX_SLUGS = {"kk": "zhanalyqtar", "ru": "novosti", "en": "news"}
HOME_TITLES = {"kk": "Басты бет", "ru": "Главная", "en": "Home"}
INDEX_TITLES = {"kk": "Жаңалықтар", "ru": "Новости", "en": "News"}
CURATED_EVERY = 4
CURATED_OFFSETS = (7, 31)
SLUG_PREFIX = {"kk": "zhanalyq", "ru": "novost", "en": "story"}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.dev")
    import django

    django.setup()


class Text:
    """Deterministic sentences as word indexes, rendered in any of the three languages."""

    def __init__(self, rng):
        self.rng = rng

    def words(self, low, high):
        return [self.rng.randrange(N_WORDS) for _ in range(self.rng.randint(low, high))]

    @staticmethod
    def render(indexes, language, end=""):
        text = " ".join(WORDS[language][i] for i in indexes)
        return text[:1].upper() + text[1:] + end


def progress(done, total, started, label):
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# --- Skeleton through the real APIs ----------------------------------------------------


def translate_with_localize(instance, language, strings):
    """Translate one object through wagtail-localize (used for the few skeleton objects)."""
    from wagtail.models import Locale

    from news.desk.translating import write_translation

    locale = Locale.objects.get(language_code=language)
    written = write_translation(
        instance, locale, lambda segment: strings.get(segment.string.data, segment.string.data)
    )
    return written.target


def build_skeleton():
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage
    from news.models import NewsIndex, NewsTopic

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in WORDS}
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    Site.objects.all().delete()
    home = HomePage(title=HOME_TITLES["kk"], slug="home", locale=locales["kk"])
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    index = NewsIndex(title=INDEX_TITLES["kk"], slug=INDEX_SLUGS["kk"])
    home.add_child(instance=index)
    index.save_revision().publish()
    indexes = {"kk": index}
    for code in ("ru", "en"):
        translate_with_localize(home, code, {HOME_TITLES["kk"]: HOME_TITLES[code]})
        indexes[code] = translate_with_localize(
            index,
            code,
            {INDEX_TITLES["kk"]: INDEX_TITLES[code], INDEX_SLUGS["kk"]: INDEX_SLUGS[code]},
        )
    topics = []
    for kk, ru, en, kk_slug, ru_slug, en_slug in TOPICS:
        topic = NewsTopic.objects.create(name=kk, slug=kk_slug, locale=locales["kk"])
        versions = {"kk": topic}
        for code, name, slug in (("ru", ru, ru_slug), ("en", en, en_slug)):
            versions[code] = translate_with_localize(topic, code, {kk: name, kk_slug: slug})
        topics.append(versions)
    for code in indexes:
        indexes[code] = NewsIndex.objects.get(pk=indexes[code].pk)
    return locales, indexes, topics


def make_images(count):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    images = []
    rng = random.Random(7)  # noqa: S311 - reproducible data, not secrets
    for number in range(count):
        buffer = io.BytesIO()
        color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        PILImage.new("RGB", (1600, 900), color).save(buffer, format="JPEG", quality=70)
        images.append(
            get_image_model().objects.create(
                title=f"Сурет {number + 1}",
                file=ImageFile(buffer, name=f"bench-{number + 1}.jpg"),
            )
        )
    return images


# --- Bulk stories --------------------------------------------------------------------


def story_plan(number, rng, images, topics):
    """Language-independent description of one story (word indexes, choices)."""
    text = Text(rng)
    blocks = []
    for position in range(rng.randint(3, 8)):
        kind = ["paragraph", "paragraph", "quote", "heading", "image"][
            (position + number) % 5 if position else 0
        ]
        block_id = str(uuid.UUID(int=rng.getrandbits(128)))
        if kind == "paragraph":
            blocks.append((kind, block_id, text.words(25, 60)))
        elif kind == "heading":
            blocks.append((kind, block_id, text.words(3, 7)))
        elif kind == "quote":
            blocks.append(
                (kind, block_id, (text.words(10, 20), rng.randrange(4), rng.randrange(4)))
            )
        else:
            blocks.append((kind, block_id, (rng.choice(images).pk, text.words(4, 9))))
    chosen = rng.sample(range(len(topics)), rng.randint(1, 3))
    return {
        "title": text.words(5, 9),
        "lead": text.words(15, 25),
        "caption": text.words(4, 8),
        "image": rng.choice(images).pk,
        "blocks": blocks,
        "topics": chosen,
    }


def body_json(plan, language):
    body = []
    for kind, block_id, data in plan["blocks"]:
        if kind == "paragraph":
            value = f"<p>{Text.render(data, language, '.')}</p>"
        elif kind == "heading":
            value = {"text": Text.render(data, language), "level": "h2"}
        elif kind == "quote":
            words, person, role = data
            value = {
                "text": Text.render(words, language, "."),
                "attribution": PEOPLE[language][person],
                "role": ROLES[language][role],
                "source_url": "",
            }
        else:
            image_id, caption = data
            value = {
                "image": image_id,
                "caption": Text.render(caption, language),
                "credit": "Newsdesk",
            }
        body.append({"type": kind, "value": value, "id": block_id})
    return body


def translated_string(text, language):
    """Word-by-word translation of a Kazakh segment produced by ``Text.render``."""
    mapping = _word_maps()[language]
    out = []
    for index, word in enumerate(text.split(" ")):
        tail = ""
        while word and not word[-1].isalnum():
            tail = word[-1] + tail
            word = word[:-1]
        key = word.lower()
        translated = mapping.get(key, word)
        if index == 0 and word[:1].isupper():
            translated = translated[:1].upper() + translated[1:]
        out.append(translated + tail)
    return " ".join(out)


_MAPS = {}


def _word_maps():
    if not _MAPS:
        for code in ("ru", "en"):
            _MAPS[code] = {WORDS["kk"][i]: WORDS[code][i] for i in range(N_WORDS)}
    return _MAPS


def translate_segment(data, language, slugs):
    if data in slugs:
        return slugs[data]
    for kk_name, name in zip(PEOPLE["kk"], PEOPLE[language], strict=True):
        if data == kk_name:
            return name
    for kk_role, role in zip(ROLES["kk"], ROLES[language], strict=True):
        if data == kk_role:
            return role
    return translated_string(data, language)


def int2str(number, steplen=4):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
    return digits.rjust(steplen, "0")


# The NewsPage columns the builder fills itself, in the order of its rows.
BUILT_COLUMNS = ("page_ptr_id", "date", "lead", "image_id", "image_caption", "image_credit", "body")


class Builder:
    def __init__(self, locales, indexes, topics, images, seed=1):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        from news.models import NewsPage

        self.locales = locales
        self.indexes = indexes
        self.topics = topics
        self.images = images
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data
        self.page_ct = ContentType.objects.get_for_model(Page)
        self.news_ct = ContentType.objects.get_for_model(NewsPage)
        self.next_child = {code: index.numchild for code, index in indexes.items()}
        self.start_date = date.today()
        self.topic_objects = self._topic_objects()
        self.page_ids = {}  # story number -> {language: page id}, for curated "other news"

    def _topic_objects(self):
        from wagtail_localize.models import TranslatableObject

        from news.models import NewsTopic

        ct = self.page_ct.__class__.objects.get_for_model(NewsTopic)
        objects = {}
        for versions in self.topics:
            key = versions["kk"].translation_key
            objects[key] = TranslatableObject.objects.get_or_create(
                translation_key=key, content_type=ct
            )[0]
        return objects

    def languages_for(self, number):
        languages = ["kk"]
        if number % 10 < 6:
            languages.append("ru")
        if number % 10 in (4, 5, 6):
            languages.append("en")
        return languages

    def build(self, start, count):
        from django.db import connection, transaction
        from django.utils import timezone
        from wagtail.models import Page

        from news.models import NewsPage, NewsPageTopic

        now = timezone.now()
        pages, children, plans = [], [], []
        for number in range(start, start + count):
            plan = story_plan(number, self.rng, self.images, self.topics)
            key = uuid.UUID(int=self.rng.getrandbits(128))
            story_date = self.start_date - timedelta(days=number // 20)
            published = now - timedelta(minutes=number * 7)
            for language in self.languages_for(number):
                index = self.indexes[language]
                self.next_child[language] += 1
                slug = f"{SLUG_PREFIX[language]}-{number + 1:05d}"
                title = Text.render(plan["title"], language)
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=index.path + int2str(self.next_child[language]),
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        latest_revision_created_at=published,
                        content_type=self.news_ct,
                        locale=self.locales[language],
                        translation_key=key,
                        search_description=Text.render(plan["lead"][:12], language),
                    )
                )
                children.append((language, plan, story_date, number))
            plans.append((number, key, plan))
        with transaction.atomic():
            Page.objects.bulk_create(pages, batch_size=BATCH)
            body_field = NewsPage._meta.get_field("body")
            # Every other column of NewsPage (bylines, notes, … added by later migrations)
            # gets its model default, so that this raw INSERT follows the model.
            extra = [
                field
                for field in NewsPage._meta.local_concrete_fields
                if field.column not in BUILT_COLUMNS and not field.primary_key
            ]
            defaults = [field.get_db_prep_save(field.get_default(), connection) for field in extra]
            columns = ", ".join(
                connection.ops.quote_name(c) for c in (*BUILT_COLUMNS, *(f.column for f in extra))
            )
            rows, topic_links, by_story = [], [], {}
            for page, (language, plan, story_date, number) in zip(pages, children, strict=True):
                body = body_field.get_db_prep_save(
                    body_field.to_python(json.dumps(body_json(plan, language))), connection
                )
                rows.append(
                    (
                        page.pk,
                        story_date,
                        Text.render(plan["lead"], language, "."),
                        plan["image"],
                        Text.render(plan["caption"], language),
                        "Newsdesk",
                        body,
                        *defaults,
                    )
                )
                for position, topic_index in enumerate(plan["topics"]):
                    topic_links.append(
                        NewsPageTopic(
                            page_id=page.pk,
                            topic_id=self.topics[topic_index][language].pk,
                            sort_order=position,
                        )
                    )
                by_story.setdefault(number, {})[language] = page
                self.page_ids.setdefault(number, {})[language] = page.pk
            table = connection.ops.quote_name(NewsPage._meta.db_table)
            with connection.cursor() as cursor:
                placeholders = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    rows,
                )
            NewsPageTopic.objects.bulk_create(topic_links, batch_size=BATCH)
            self.localize_records(plans, by_story)
        return len(pages)

    def localize_records(self, plans, by_story):
        """The rows wagtail-localize keeps for a synced translation, in bulk."""
        from django.utils import timezone
        from wagtail_localize.models import (
            OverridableSegment,
            RelatedObjectSegment,
            String,
            StringSegment,
            StringTranslation,
            Template,
            TemplateSegment,
            TranslatableObject,
            TranslationContext,
            TranslationSource,
            get_schema_version,
        )
        from wagtail_localize.segments import (
            OverridableSegmentValue,
            RelatedObjectSegmentValue,
            TemplateSegmentValue,
        )
        from wagtail_localize.segments.extract import extract_segments

        from news.models import NewsPage, NewsPageTopic

        now = timezone.now()
        schema = get_schema_version("news")
        translated = [(n, key, plan) for n, key, plan in plans if len(by_story[n]) > 1]
        if not translated:
            return
        objects, sources, instances = [], [], {}
        for number, key, plan in translated:
            page = by_story[number]["kk"]
            instance = NewsPage(
                id=page.pk,
                pk=page.pk,
                title=page.title,
                draft_title=page.title,
                slug=page.slug,
                path=page.path,
                depth=page.depth,
                url_path=page.url_path,
                live=True,
                locale=self.locales["kk"],
                translation_key=key,
                content_type=self.news_ct,
                search_description=page.search_description,
                first_published_at=page.first_published_at,
                last_published_at=page.last_published_at,
                date=self.start_date - timedelta(days=number // 20),
                lead=Text.render(plan["lead"], "kk", "."),
                image_id=plan["image"],
                image_caption=Text.render(plan["caption"], "kk"),
                image_credit="Newsdesk",
                body=json.dumps(body_json(plan, "kk")),
            )
            instance.topic_links = [
                NewsPageTopic(topic=self.topics[t]["kk"], sort_order=i)
                for i, t in enumerate(plan["topics"])
            ]
            instances[key] = (number, instance)
            objects.append(TranslatableObject(translation_key=key, content_type=self.page_ct))
            sources.append(
                TranslationSource(
                    object_id=key,
                    specific_content_type=self.news_ct,
                    locale=self.locales["kk"],
                    object_repr=page.title[:200],
                    content_json=instance.to_json(),
                    schema_version=schema,
                    last_updated_at=now,
                )
            )
        TranslatableObject.objects.bulk_create(objects, batch_size=BATCH)
        TranslationSource.objects.bulk_create(sources, batch_size=BATCH)

        contexts, strings, templates = {}, {}, {}
        extracted = []
        for source in sources:
            number, instance = instances[source.object_id]
            segments = extract_segments(instance)
            extracted.append((source, number, segments))
            for segment in segments:
                contexts[(source.object_id, segment.path)] = TranslationContext(
                    object_id=source.object_id,
                    path=segment.path,
                    path_id=TranslationContext._get_path_id(segment.path),
                    field_path="",
                )
                if isinstance(segment, TemplateSegmentValue):
                    namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, segment.format)
                    template_uuid = uuid.uuid5(namespace, segment.template)
                    templates.setdefault(
                        template_uuid,
                        Template(
                            uuid=template_uuid,
                            template=segment.template,
                            template_format=segment.format,
                            string_count=segment.string_count,
                        ),
                    )
                elif not isinstance(segment, RelatedObjectSegmentValue | OverridableSegmentValue):
                    data = segment.string.data
                    strings.setdefault(data, String(locale=self.locales["kk"], data=data))
        TranslationContext.objects.bulk_create(contexts.values(), batch_size=BATCH)
        Template.objects.bulk_create(templates.values(), batch_size=BATCH, ignore_conflicts=True)
        template_ids = dict(
            Template.objects.filter(uuid__in=list(templates)).values_list("uuid", "pk")
        )
        for string in strings.values():
            string.data_hash = String._get_data_hash(string.data)
        String.objects.bulk_create(strings.values(), batch_size=BATCH, ignore_conflicts=True)
        string_ids = {}
        hashes = [string.data_hash for string in strings.values()]
        for offset in range(0, len(hashes), BATCH):
            string_ids.update(
                String.objects.filter(
                    locale=self.locales["kk"], data_hash__in=hashes[offset : offset + BATCH]
                ).values_list("data_hash", "pk")
            )

        string_segments, template_segments, related, overridable = [], [], [], []
        string_translations, translations = [], []
        from wagtail_localize.models import Translation

        for source, number, segments in extracted:
            languages = [code for code in by_story[number] if code != "kk"]
            slugs = {by_story[number]["kk"].slug: None}
            for segment in segments:
                context = contexts[(source.object_id, segment.path)]
                common = {"source": source, "context": context, "order": segment.order}
                if isinstance(segment, TemplateSegmentValue):
                    namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, segment.format)
                    template_id = template_ids[uuid.uuid5(namespace, segment.template)]
                    template_segments.append(TemplateSegment(template_id=template_id, **common))
                elif isinstance(segment, RelatedObjectSegmentValue):
                    related.append(
                        RelatedObjectSegment(object_id=segment.translation_key, **common)
                    )
                elif isinstance(segment, OverridableSegmentValue):
                    overridable.append(
                        OverridableSegment(data_json=json.dumps(segment.data), **common)
                    )
                else:
                    data = segment.string.data
                    string_id = string_ids[String._get_data_hash(data)]
                    string_segments.append(
                        StringSegment(
                            string_id=string_id, attrs=json.dumps(segment.attrs), **common
                        )
                    )
                    for code in languages:
                        slugs = {by_story[number]["kk"].slug: by_story[number][code].slug}
                        string_translations.append(
                            StringTranslation(
                                translation_of_id=string_id,
                                locale=self.locales[code],
                                context=context,
                                data=translate_segment(data, code, slugs),
                                translation_type="manual",
                            )
                        )
            for code in languages:
                translations.append(
                    Translation(
                        source=source,
                        target_locale=self.locales[code],
                        translations_last_updated_at=now,
                        destination_last_updated_at=now,
                        enabled=True,
                    )
                )
        StringSegment.objects.bulk_create(string_segments, batch_size=BATCH)
        TemplateSegment.objects.bulk_create(template_segments, batch_size=BATCH)
        RelatedObjectSegment.objects.bulk_create(related, batch_size=BATCH)
        OverridableSegment.objects.bulk_create(overridable, batch_size=BATCH)
        StringTranslation.objects.bulk_create(
            string_translations, batch_size=BATCH, ignore_conflicts=True
        )
        Translation.objects.bulk_create(translations, batch_size=BATCH)

    def finish(self):
        from wagtail.models import Page

        from news.models import NewsPageRelated

        for code, index in self.indexes.items():
            Page.objects.filter(pk=index.pk).update(numchild=self.next_child[code])
        # Every fourth story has two curated "other news" items, older stories (7 and 31
        # places down the listing), in the same language where that one is translated.
        links = []
        for number, versions in self.page_ids.items():
            if number % CURATED_EVERY:
                continue
            for language, page_id in versions.items():
                for position, offset in enumerate(CURATED_OFFSETS):
                    related = self.page_ids.get(number + offset)
                    if related:
                        links.append(
                            NewsPageRelated(
                                page_id=page_id,
                                related_page_id=related.get(language, related["kk"]),
                                sort_order=position,
                            )
                        )
        NewsPageRelated.objects.bulk_create(links, batch_size=BATCH)


def build(stories, seed=1, images=20, quiet=False, search_index=True):
    from django.core.management import call_command

    from news.caching.invalidation import site_wide_change

    started = time.monotonic()
    locales, indexes, topics = build_skeleton()
    image_objects = make_images(images)
    builder = Builder(locales, indexes, topics, image_objects, seed=seed)
    total_pages = 0
    for start in range(0, stories, BATCH):
        total_pages += builder.build(start, min(BATCH, stories - start))
        if not quiet:
            progress(min(start + BATCH, stories), stories, started, "stories")
    builder.finish()
    site_wide_change()
    from django.db import connection

    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would have them on a live site; without them
        # PostgreSQL picks nested-loop plans that make the uncached list seconds long.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    index_started = time.monotonic()
    if search_index:
        try:
            call_command("rebuild_search_index", verbosity=0)
        except Exception as error:  # noqa: BLE001 - search is optional for the benchmark
            sys.stderr.write(f"  search index not rebuilt: {error}\n")
    return {
        "stories": stories,
        "pages": total_pages,
        "seconds": round(time.monotonic() - started, 1),
        "search_index_seconds": round(time.monotonic() - index_started, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--no-search-index", action="store_true")
    args = parser.parse_args(argv)
    if args.stories < 1:
        parser.error("--stories must be at least 1")
    setup_django()
    summary = build(
        args.stories, seed=args.seed, quiet=args.quiet, search_index=not args.no_search_index
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
