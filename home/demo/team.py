"""The demo newsroom's people and shared words: a named workflow, a named editor, a
glossary a translator sees at work, and a schedule on the desk.

Groups, workflows and tasks are rows, not strings: Wagtail shows their ``name`` as stored.
The demo names them in the site's language (``settings.LANGUAGE_CODE``, Kazakh by
default) through our catalogues, so a Kazakh newsroom's admin never shows Wagtail's
English "Moderators approval", and a Russian or English one gets its own words. The
groups, their names and what each may do are home.roles' (docs/roles.md, the permission
matrix).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, Task, Workflow

from home import roles
from news.kazakh_latin.spellings import LatinSpelling
from newsdesk_memory.models import GlossaryTerm

# Wagtail's own default workflow and task (created by its migrations); the groups are
# home.roles'.
WORKFLOW_NAMES = {"Moderators approval": _("Moderators approval")}

# The demo editor (load_demo's superuser) has a name: Wagtail's account form requires
# one, so changing the preferred language failed until one was typed.
EDITOR_FIRST_NAME = "Айгерім"
EDITOR_LAST_NAME = "Сұлтанова"

# Real terms a Kazakh newsroom translates every day: (kind, kk, ru, en).
GLOSSARY = [
    ("person", "Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев", "Kassym-Jomart Tokayev"),
    ("person", "Олжас Бектенов", "Олжас Бектенов", "Olzhas Bektenov"),
    ("position", "Мемлекет басшысы", "Глава государства", "Head of State"),
    ("position", "Премьер-Министр", "Премьер-министр", "Prime Minister"),
    ("position", "облыс әкімі", "аким области", "regional akim (governor)"),
    ("position", "аудан әкімі", "аким района", "district akim"),
    ("institution", "Ақорда", "Акорда", "Akorda"),
    ("institution", "Парламент Мәжілісі", "Мажилис Парламента", "Mazhilis of Parliament"),
    ("institution", "Парламент Сенаты", "Сенат Парламента", "Senate of Parliament"),
    ("institution", "Үкімет", "Правительство", "Government"),
    ("institution", "Ұлттық банк", "Национальный банк", "National Bank"),
    (
        "institution",
        "Сыртқы істер министрлігі",
        "Министерство иностранных дел",
        "Ministry of Foreign Affairs",
    ),
    ("institution", "Оқу-ағарту министрлігі", "Министерство просвещения", "Ministry of Education"),
    (
        "institution",
        "Ауыл шаруашылығы министрлігі",
        "Министерство сельского хозяйства",
        "Ministry of Agriculture",
    ),
    (
        "institution",
        "Денсаулық сақтау министрлігі",
        "Министерство здравоохранения",
        "Ministry of Health",
    ),
    (
        "institution",
        "Орталық сайлау комиссиясы",
        "Центральная избирательная комиссия",
        "Central Election Commission",
    ),
    ("institution", "Жоғарғы Сот", "Верховный суд", "Supreme Court"),
    ("institution", "Конституциялық Сот", "Конституционный суд", "Constitutional Court"),
    ("place", "Астана", "Астана", "Astana"),
    ("place", "Алматы", "Алматы", "Almaty"),
    ("place", "Шымкент", "Шымкент", "Shymkent"),
    ("place", "Қонаев", "Конаев", "Konayev"),
    ("place", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("place", "Түркістан облысы", "Туркестанская область", "Turkestan Region"),
    ("place", "Талғар ауданы", "Талгарский район", "Talgar District"),
    ("place", "Байқоңыр", "Байконур", "Baikonur"),
    ("place", "Каспий теңізі", "Каспийское море", "Caspian Sea"),
]


def name_workflow(language=None):
    """Wagtail's default workflow and its task, named in ``language`` (the site's).
    Idempotent: a name in any of the languages (or Wagtail's English) is found and renamed."""
    for key, name in WORKFLOW_NAMES.items():
        for model in (Workflow, Task):
            found = roles.find(model, key, name)
            if found is not None:
                with translation.override(language or settings.LANGUAGE_CODE):
                    found.name = str(name)
                found.save(update_fields=["name"])


def name_editor(username):
    """Give the demo editor a name (kept when someone already typed one)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and not (user.first_name or user.last_name):
        user.first_name, user.last_name = EDITOR_FIRST_NAME, EDITOR_LAST_NAME
        user.save(update_fields=["first_name", "last_name"])
    return user


def first_publication(day, slug):
    """When a demo story of an earlier ``day`` went live: a working hour of that day,
    the same for the same story on every load (from its slug)."""
    digest = sum(slug.encode())
    moment = datetime.time(8 + digest % 10, digest % 60)
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def ensure_glossary():
    """The demo's glossary terms; returns how many were created."""
    created = 0
    for kind, kazakh, russian, english in GLOSSARY:
        _term, made = GlossaryTerm.objects.get_or_create(
            source=kazakh, defaults={"russian": russian, "english": english, "kind": kind}
        )
        created += made
    return created


# Two old stories no other demo use relies on: one gets an update scheduled, one an expiry.
SCHEDULED_UPDATE = "qolonershiler-zharmenkesi"
SCHEDULED_EXPIRY = "sel-qaupine-qarsy-bogetter"


# The Latin edition spells these names as their bearers do (docs/kazakh-latin.md,
# "Exceptions"): the table alone gives «Djun İamada».
LATIN_SPELLINGS = [
    ("Джун", "Jun", "The ambassador's own spelling (Jun Yamada)."),
    ("Ямада", "Yamada", "The ambassador's own spelling (Jun Yamada)."),
]


def ensure_latin_spellings():
    """The editors' exceptions the seed article needs; True when one was added."""
    added = False
    for cyrillic, latin, note in LATIN_SPELLINGS:
        _entry, created = LatinSpelling.objects.get_or_create(
            cyrillic=cyrillic, defaults={"latin": latin, "note": note}
        )
        added = added or created
    return added


def ensure_schedule(pages, username):
    """Something on the desk's schedule (news.desk.schedule), scheduled by the demo editor:
    an update to one story going live tomorrow at 09:00, another story expiring in 30
    days. ``pages``: the demo's stories by slug. Idempotent: nothing is added while a
    schedule exists."""
    user = get_user_model().objects.filter(username=username).first()
    update, expiring = pages.get(SCHEDULED_UPDATE), pages.get(SCHEDULED_EXPIRY)
    if update is None or expiring is None:
        return False
    if Revision.page_revisions.filter(approved_go_live_at__isnull=False).exists():
        return False
    update, expiring = update.specific, expiring.specific
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    update.go_live_at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9)))
    update.save_revision(user=user).publish(user=user)
    if not expiring.expire_at:
        expiring.expire_at = timezone.now() + datetime.timedelta(days=30)
        expiring.save_revision(user=user).publish(user=user)
    return True
