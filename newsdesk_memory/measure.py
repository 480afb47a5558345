"""How much translation memory and the glossary give, measured (``manage.py measure_memory``).

Two measurements, both inside one transaction that is rolled back (the database is left
as it was):

1. **Demo content, leave one out.** For every story that has a Russian translation, the
   share of its segments that memory would pre-fill exactly, and the share it would
   suggest, from the *other* stories' trusted translations (nothing is written).
2. **A generated corpus of 200 stories** built from one shared pool of names, roles,
   places and events, like a regional desk's week. The first 150 are translated into
   Russian by "translators" (manual StringTranslations, each story's own text, one in
   ten rendering a role loosely); then the last 50 are submitted for translation through
   wagtail-localize's ``TranslationCreator``, so memory pre-fills them through the real
   signals, and the remaining segments are checked for suggestions.

The glossary check runs over everything at the end, with a glossary made from the pool.
"""

import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from news.desk.translating import write_translation
from news.models import NewsIndex, NewsPage
from newsdesk_memory import checks, memory
from newsdesk_memory.models import MEMORY_TOOL, GlossaryTerm, MemoryMatch

PEOPLE = [
    ("Ерлан Қожағапанов", "Ерлан Кожагапанов"),
    ("Айгүл Сәрсенбаева", "Айгуль Сарсенбаева"),
    ("Марат Бекенов", "Марат Бекенов"),
    ("Дәурен Абаев", "Даурен Абаев"),
    ("Гүлнар Ахметова", "Гульнар Ахметова"),
    ("Нұрлан Жақсылықов", "Нурлан Жаксылыков"),
    ("Сәуле Омарова", "Сауле Омарова"),
    ("Джун Ямада", "Дзюн Ямада"),
    ("Бақыт Тұрсынов", "Бахыт Турсынов"),
    ("Әлия Серікқызы", "Алия Серикказы"),
]
# (Kazakh role, its Russian, a looser Russian some translators write)
ROLES = [
    ("Талғар ауданының әкімі", "аким Талгарского района", "глава Талгара"),
    ("Алматы облысының әкімі", "аким Алматинской области", "аким Алматы"),
    ("Есік қаласының әкімі", "аким города Есик", "аким Есика"),
    ("Парламент Мәжілісінің депутаты", "депутат Мажилиса Парламента", "депутат парламента"),
    ("Ұлттық банк төрағасы", "председатель Национального банка", "глава Нацбанка"),
    ("Денсаулық сақтау министрі", "министр здравоохранения", "глава минздрава"),
    ("Жапонияның Қазақстандағы елшісі", "посол Японии в Казахстане", "японский посол"),
    ("Алматы облыстық ауруханасының бас дәрігері", "главный врач Алматинской областной больницы",
     "главврач областной больницы"),
    ("Төтенше жағдайлар департаментінің бастығы",
     "начальник департамента по чрезвычайным ситуациям", "глава ДЧС"),
    ("Қонаев қаласының әкімі", "аким города Конаев", "аким Конаева"),
]  # fmt: skip
# (locative Kazakh, Russian "in ...")
PLACES = [
    ("Талғар ауданында", "в Талгарском районе"),
    ("Алматы облысында", "в Алматинской области"),
    ("Есік қаласында", "в городе Есик"),
    ("Қонаев қаласында", "в городе Конаев"),
    ("Еңбекшіқазақ ауданында", "в Енбекшиказахском районе"),
    ("Қарасай ауданында", "в Карасайском районе"),
]
EVENTS = [
    ("{n} жаңа мектеп ашылды", "открылись {n} новые школы"),
    ("{n} шақырым жол жөнделді", "отремонтировали {n} км дорог"),
    ("су тасқынынан {n} үй зардап шекті", "от паводка пострадали {n} домов"),
    ("ауыл шаруашылығы жәрмеңкесі өтті", "прошла сельскохозяйственная ярмарка"),
    ("{n} орындық емхана салынды", "построили поликлинику на {n} мест"),
    ("жылу маусымы басталды", "начался отопительный сезон"),
]
QUOTES = [
    ("Жұмыс жоспар бойынша жүріп жатыр.", "Работа идёт по плану."),
    ("Тұрғындардың барлық өтініштері қаралады.", "Все обращения жителей будут рассмотрены."),
    ("Бұл жоба өңірдің дамуына үлес қосады.", "Этот проект внесёт вклад в развитие региона."),
    ("Қаржы толық бөлінді.", "Финансирование выделено полностью."),
    ("Біз халықаралық серіктестермен жұмысты жалғастырамыз.",
     "Мы продолжим работу с международными партнёрами."),
]  # fmt: skip
GLOSSARY = [
    ("Талғар ауданы", "Талгарский район", "Talgar District", "place"),
    ("Алматы облысы", "Алматинская область", "Almaty Region", "place"),
    ("Есік қаласы", "город Есик", "Esik", "place"),
    ("Қонаев қаласы", "город Конаев", "Qonaev", "place"),
    ("Парламент Мәжілісі", "Мажилис Парламента", "Mazhilis of Parliament", "institution"),
    ("Ұлттық банк", "Национальный банк", "National Bank", "institution"),
    ("Денсаулық сақтау министрі", "министр здравоохранения", "Minister of Health", "position"),
    ("Төтенше жағдайлар департаменті", "департамент по чрезвычайным ситуациям",
     "Department of Emergency Situations", "institution"),
]  # fmt: skip


@dataclass
class Figures:
    translations: int = 0
    segments: int = 0
    exact: int = 0
    suggested: int = 0
    by_path: Counter = field(default_factory=Counter)

    def share(self, part):
        return part / self.segments if self.segments else 0.0

    def as_dict(self):
        return {
            "translations": self.translations,
            "segments": self.segments,
            "exact": self.exact,
            "exact_share": round(self.share(self.exact), 3),
            "suggested": self.suggested,
            "suggested_share": round(self.share(self.suggested), 3),
            "exact_by_field": dict(self.by_path.most_common()),
        }


def _field(path):
    """A segment path without the block ids: ``body.quote.role``."""
    parts = path.split(".")
    return ".".join(p for p in parts if not (len(p) == 36 and p.count("-") == 4))


def measure_demo(target):
    """Leave-one-out over the stories with a translation into ``target`` (no writes)."""
    figures = Figures()
    sources = TranslationSource.objects.filter(
        translations__target_locale=target,
        specific_content_type__model="newspage",
    ).distinct()
    store = None
    for source in sources:
        segments = list(
            StringSegment.objects.filter(source=source).select_related("string", "context")
        )
        best = memory.best_translations({s.string_id for s in segments}, target)
        if store is None:
            store = memory.Memory(source.locale, target)
        figures.translations += 1
        for segment in segments:
            figures.segments += 1
            origin = best.get(segment.string_id)
            # Another story's translation only (leave this one out).
            others = (
                memory.trusted(
                    StringTranslation.objects.filter(
                        translation_of_id=segment.string_id, locale=target
                    )
                )
                .exclude(context__object_id=source.object_id)
                .exists()
                if origin is not None
                else False
            )
            if others:
                figures.exact += 1
                figures.by_path[_field(segment.context.path)] += 1
            elif any(
                s.translation.context.object_id != source.object_id
                for s in store.suggest(segment.string.data, exclude_string_id=segment.string_id)
            ):
                figures.suggested += 1
    return figures


def _upper_first(text):
    return text[:1].upper() + text[1:]


def _story(rng, number):
    place, place_ru = rng.choice(PLACES)
    event, event_ru = rng.choice(EVENTS)
    n = rng.choice([2, 3, 4, 5, 12, 15, 40])
    title = f"{place} {event.format(n=n)}"
    title_ru = f"{_upper_first(place_ru)} {event_ru.format(n=n)}"
    person, person_ru = rng.choice(PEOPLE)
    role, role_ru, loose_ru = rng.choice(ROLES)
    quote, quote_ru = rng.choice(QUOTES)
    lead = f"{title}. Бұл туралы {role} {person} хабарлады (№{number})."
    lead_ru = f"{title_ru}. Об этом сообщил {role_ru} {person_ru} (№{number})."
    # A paragraph's segment is its text, without the <p>.
    paragraph = f"{place} {number}-ші рет осындай шара өтті. {title}."
    paragraph_ru = (
        f"{_upper_first(place_ru)} такое мероприятие прошло в {number}-й раз. {title_ru}."
    )
    strings = {
        title: title_ru,
        lead: lead_ru,
        paragraph: paragraph_ru,
        quote: quote_ru,
        person: person_ru,
        role: loose_ru if rng.random() < 0.1 else role_ru,
    }
    body = [
        ("paragraph", f"<p>{paragraph}</p>"),
        ("quote", {"text": quote, "attribution": person, "role": role, "source_url": ""}),
    ]
    return title, lead, body, strings


def _translate_by_hand(page, target, strings, user):
    """A translator types every segment (over anything memory filled in), saved as a draft."""
    write_translation(
        page,
        target,
        lambda segment: strings.get(segment.string.data, f"{segment.string.data} (ru)"),
        publish=False,
        user=user,
    )


def measure_corpus(index, target, *, stories=200, new=50, seed=18):
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    user, _created = get_user_model().objects.get_or_create(username="memory-measure")
    made = []
    for number in range(1, stories + 1):
        title, lead, body, strings = _story(rng, number)
        page = NewsPage(title=title, slug=f"memory-measure-{number}", lead=lead, body=body)
        index.add_child(instance=page)
        page.save_revision().publish()
        made.append((page, strings))
    history, fresh = made[: stories - new], made[stories - new :]
    for page, strings in history:
        TranslationCreator(user, [target]).create_translations(page, include_related_objects=False)
        _translate_by_hand(page, target, strings, user)

    figures = Figures()
    store = memory.Memory(index.locale, target)
    for page, _strings in fresh:
        TranslationCreator(user, [target]).create_translations(page, include_related_objects=False)
        source = TranslationSource.objects.get_for_instance(page)
        figures.translations += 1
        filled = {
            (m.string_translation.translation_of_id, m.string_translation.context_id)
            for m in MemoryMatch.objects.filter(
                string_translation__locale=target,
                string_translation__context__object_id=source.object_id,
                string_translation__tool_name=MEMORY_TOOL,
            ).select_related("string_translation")
        }
        for segment in StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        ):
            figures.segments += 1
            if (segment.string_id, segment.context_id) in filled:
                figures.exact += 1
                figures.by_path[_field(segment.context.path)] += 1
            elif store.suggest(segment.string.data, exclude_string_id=segment.string_id):
                figures.suggested += 1
    return figures


def run(*, stories=200, new=50, seed=18, target_language="ru"):
    """Both measurements and the glossary check; everything is rolled back."""
    result = {}
    with transaction.atomic():
        target = Locale.objects.get(language_code=target_language)
        result["demo"] = measure_demo(target).as_dict()
        index = NewsIndex.objects.filter(locale__language_code="kk").first()
        if index is None:
            raise LookupError("No Kazakh news index: run load_demo first.")
        result["corpus"] = measure_corpus(
            index, target, stories=stories, new=new, seed=seed
        ).as_dict()
        for source, russian, english, kind in GLOSSARY:
            GlossaryTerm.objects.get_or_create(
                source=source, defaults={"russian": russian, "english": english, "kind": kind}
            )
        findings = checks.glossary_findings()
        result["glossary"] = {
            "terms": GlossaryTerm.objects.count(),
            "findings": len(findings),
            "by_term": dict(
                Counter(f"{f.term.source} → {f.target}" for f in findings).most_common()
            ),
            "examples": [
                f"{f.object_repr}: «{f.source_text}» → «{f.translated_text}» (expected {f.target})"
                for f in findings[:5]
            ],
        }
        transaction.set_rollback(True)
    return result
