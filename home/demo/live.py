"""The demo's live blog (news.live): flood coverage with seven entries, partly translated.

The Russian desk has translated four entries and the English desk three, so a reader of
/ru/ or /en/ sees both translated entries and Kazakh ones marked ``lang="kk"``. The blog
is flagged breaking: the banner shows on every home and news page.
"""

import datetime

from django.utils import timezone
from wagtail.rich_text import RichText

from news.models import NewsPage

SLUG = "su-tasqyny-tikelei"

BLOG = {
    "title": "Іле өзеніндегі су тасқыны: тікелей блог",
    "lead": "Облыстың шығысындағы су тасқыны туралы соңғы мәліметтер: эвакуация, жолдар, көмек.",
    "ru": {
        "title": "Паводок на реке Или: онлайн",
        "slug": "паводок-или-онлайн",
        "lead": "Последние данные о паводке на востоке области: эвакуация, дороги, помощь.",
    },
    "en": {
        "title": "Ili River flood: live",
        "slug": "ili-river-flood-live",
        "lead": "The latest on the flood in the east of the region: evacuation, roads, aid.",
    },
}

# Oldest first; (minutes ago, headline, text, key event, pinned, {language: (headline, text)}).
ENTRIES = [
    (
        180,
        "Төтенше жағдай жарияланды",
        "Облыс әкімі үш ауданда төтенше жағдай режимін енгізді.",
        True,
        False,
        {
            "ru": ("Объявлен режим ЧС", "Аким области ввёл режим ЧС в трёх районах."),
            "en": (
                "State of emergency declared",
                "The regional governor declared an emergency in three districts.",
            ),
        },
    ),
    (
        150,
        "Эвакуация басталды",
        "Жағалаудағы екі ауылдан 400-ге жуық тұрғын көшірілуде.",
        True,
        False,
        {
            "ru": ("Началась эвакуация", "Из двух прибрежных сёл вывозят около 400 жителей."),
            "en": (
                "Evacuation under way",
                "About 400 residents are being moved from two riverside villages.",
            ),
        },
    ),
    (
        120,
        "Республикалық жол жабылды",
        "Қонаев — Талдықорған тасжолының 47-шақырымы су астында қалды.",
        False,
        False,
        {
            "ru": ("Трасса закрыта", "47-й километр трассы Конаев — Талдыкорган под водой."),
            "en": (
                "Highway closed",
                "Kilometre 47 of the Konaev–Taldykorgan highway is under water.",
            ),
        },
    ),
    (
        90,
        "Қайда көмек сұрауға болады",
        "Жедел желі: 112. Уақытша баспаналар мектептерде ашылды.",
        False,
        True,
        {
            "ru": (
                "Куда обращаться за помощью",
                "Горячая линия: 112. Временные пункты размещения открыты в школах.",
            )
        },
    ),
    (
        60,
        "Су деңгейі тұрақталды",
        "Гидрологтар соңғы бір сағатта су деңгейі көтерілмегенін айтады.",
        True,
        False,
        {},
    ),
    (
        30,
        "Еріктілер жиналуда",
        "Қонаев қаласында еріктілер штабы құм қаптарын толтыруға адам жинап жатыр.",
        False,
        False,
        {},
    ),
    (
        10,
        "Құтқарушылар тағы 50 адамды көшірді",
        "ТЖМ қызметкерлері қайықпен 50 тұрғынды, оның ішінде 12 баланы құтқарды.",
        False,
        False,
        {},
    ),
]


def _entry(minutes, headline, text, key_event, pinned, now):
    return (
        "entry",
        {
            "at": now - datetime.timedelta(minutes=minutes),
            "headline": headline,
            "body": [("paragraph", RichText(f"<p>{text}</p>"))],
            "authors": [],
            "key_event": key_event,
            "pinned": pinned,
        },
    )


def ensure_live_blog(command, index, locales, authors=()):
    """The live blog under ``index`` with its ru/en translations; None when it exists."""
    if NewsPage.objects.child_of(index).filter(slug=SLUG).exists():
        return None
    now = timezone.now()
    page = NewsPage(
        title=BLOG["title"],
        slug=SLUG,
        lead=BLOG["lead"],
        body=[],
        live_status="live",
        breaking=True,
        coverage_start=now - datetime.timedelta(minutes=200),
        entries=[_entry(m, h, t, k, p, now) for m, h, t, k, p, _tr in reversed(ENTRIES)],
        telegram_post=False,
    )
    index.add_child(instance=page)
    if authors:
        page.author_links.create(author=authors[0], sort_order=0)
    page.save_revision().publish()
    command.created.append(f"live blog {page.title}")
    for language in ("ru", "en"):
        strings = {
            BLOG["title"]: BLOG[language]["title"],
            SLUG: BLOG[language]["slug"],
            BLOG["lead"]: BLOG[language]["lead"],
        }
        for _m, headline, text, _k, _p, translations in ENTRIES:
            if language in translations:
                strings[headline], strings[text] = translations[language]
        command.translate(page, locales[language], strings, partial=True)
    return page
