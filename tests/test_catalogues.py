"""The kk, ru and en UI catalogues: complete, well-formed, compiled, and used by the pages.

The source strings are extracted as ``make messages`` extracts them (Django's
``makemessages``, with the Makefile's own ``--ignore`` list) but into a temporary
directory: the catalogues are only read, never written.

The plugins ship their own strings (news/locale/, search/locale/, where ``makemessages``
puts the strings of an app that has a locale/ directory); the reference site's locale/
holds the rest. Each string must be translated in the catalogue of the code it occurs in.
"""

import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.utils import translation

from news.i18n import fallback_notice
from tests.factories import make_news, make_site, translate

# One xdist worker for the module: makemessages writes a temporary "<template>.py" beside
# each template it reads, so two extractions in one tree delete each other's files.
pytestmark = pytest.mark.xdist_group("catalogues")

LANGUAGES = ("kk", "ru", "en")
DOMAINS = ("django", "djangojs")
BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
# The plugins' catalogues, shipped inside the apps (and the wheel).
APP_LOCALE_DIRS = {
    "news": BASE_DIR / "news" / "locale",
    "search": BASE_DIR / "search" / "locale",
    "newsdesk_memory": BASE_DIR / "newsdesk_memory" / "locale",
}
CATALOGUE_DIRS = [LOCALE_DIR, *APP_LOCALE_DIRS.values()]
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "en": "nplurals=2; plural=(n != 1);",
}
# %(name)s, %s, %d, %r ... and str.format's {name}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdirfgexXo]|\{\w*\}")


def _makefile_ignores():
    """The ``--ignore`` patterns of ``make messages`` (one list, kept in the Makefile)."""
    text = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "makemessages -l" in line)
    patterns = re.findall(r"--ignore=(\S+)", line)
    assert patterns, "the Makefile's makemessages line has no --ignore"
    return patterns


class _Extract(makemessages.Command):
    """``makemessages`` that keeps every .pot under ``target`` and writes no .po.

    Stock makemessages puts the .pot next to the project's catalogues (the first
    locale path whose parent holds the file) and merges it into locale/<lang>/.
    """

    def __init__(self, target, **kwargs):
        super().__init__(**kwargs)
        self.target = str(target)

    def find_files(self, root):
        files = super().find_files(root)
        for file in files:
            file.locale_dir = self.target
        self.locale_paths = [self.target]  # where build_potfiles and remove_potfiles look
        return files

    def write_po_file(self, potfile, locale):
        """Only the .pot is wanted."""


def extract(domain, target):
    """``{(msgctxt, msgid): POEntry}`` of every string marked for translation in ``domain``."""
    cwd = os.getcwd()
    os.chdir(BASE_DIR)
    try:
        call_command(
            _Extract(target),
            domain=domain,
            locale=["en"],  # makemessages wants a locale; write_po_file ignores it
            keep_pot=True,
            # The sdist's staging folder and setuptools' build folder: the distribution
            # test builds them in the repository while this one walks it (pytest -n 2).
            ignore_patterns=[*_makefile_ignores(), "wagtail_newsdesk-*", "build"],
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    pot = Path(target) / f"{domain}.pot"
    if not pot.exists():  # no string at all in this domain (e.g. no JS gettext)
        return {}
    return {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(pot))}


def _snapshot(directory):
    """Every file under ``directory`` with a hash of its content."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def source_strings(tmp_path_factory):
    """``{domain: {(msgctxt, msgid): entry}}``, extracted once for the module."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is needed to extract strings: apt install gettext")
    before = [_snapshot(directory) for directory in CATALOGUE_DIRS]
    strings = {domain: extract(domain, tmp_path_factory.mktemp(domain)) for domain in DOMAINS}
    assert [_snapshot(directory) for directory in CATALOGUE_DIRS] == before, (
        "extraction changed files under a locale/"
    )
    assert strings["django"], "extraction found no strings at all"
    return strings


def _catalogue_path(language, domain="django", locale_dir=LOCALE_DIR):
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def _home(entry):
    """The catalogue a source string belongs in: its app's, else the site's locale/."""
    for path, _line in entry.occurrences:
        app = Path(path).parts[0]
        if app in APP_LOCALE_DIRS:
            return APP_LOCALE_DIRS[app]
    return LOCALE_DIR


def _merged(language):
    """The site's and the plugins' ``django`` catalogues of ``language`` as one."""
    merged = polib.pofile(str(_catalogue_path(language)))
    for locale_dir in APP_LOCALE_DIRS.values():
        for entry in polib.pofile(str(_catalogue_path(language, locale_dir=locale_dir))):
            merged.append(entry)
    return merged


def _nplurals(catalogue):
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def untranslated(wanted, catalogue):
    """The ``(msgctxt, msgid)`` of ``wanted`` that ``catalogue`` does not translate.

    Missing, obsolete, fuzzy (makemessages' guesses) and empty entries count as
    untranslated; so does a plural entry short of any of its ``nplurals`` forms.
    """
    nplurals = _nplurals(catalogue)
    done = set()
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(forms):
                continue
        elif not entry.msgstr:
            continue
        done.add((entry.msgctxt, entry.msgid))
    return sorted(set(wanted) - done, key=lambda key: (key[0] or "", key[1]))


@pytest.mark.parametrize("locale_dir", CATALOGUE_DIRS, ids=lambda d: str(d.relative_to(BASE_DIR)))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_is_complete(source_strings, language, domain, locale_dir):
    wanted = {
        key: entry for key, entry in source_strings[domain].items() if _home(entry) == locale_dir
    }
    path = _catalogue_path(language, domain, locale_dir)
    if not wanted:
        return  # nothing to translate in this domain; a catalogue is optional
    assert path.exists(), f"missing catalogue {path}: run `make messages`"
    missing = untranslated(wanted, polib.pofile(str(path)))
    assert not missing, (
        f"{path.relative_to(BASE_DIR)}: {len(missing)} untranslated string(s), "
        f"e.g. {missing[:10]} - run `make messages`, translate, `make compilemessages`"
    )


def test_the_check_fails_when_a_string_is_missing(source_strings, tmp_path):
    """The completeness check itself: an entry removed, emptied or fuzzy is reported."""
    wanted = source_strings["django"]
    # Relative to what the check reports today, so this stays about the check itself.
    before = set(untranslated(wanted, _merged("ru")))

    catalogue = _merged("ru")
    catalogue.remove(catalogue.find("Other news"))
    catalogue.save(str(tmp_path / "django.po"))  # a copy: the real catalogue is not touched
    reported = set(untranslated(wanted, polib.pofile(str(tmp_path / "django.po"))))
    assert reported - before == {(None, "Other news")}

    catalogue = _merged("ru")
    catalogue.find("Back to top").flags.append("fuzzy")
    for entry in catalogue:  # "News" is in the site's catalogue and in news's
        if entry.msgid == "News":
            entry.msgstr = ""
    plural = next(entry for entry in catalogue if entry.msgid_plural)
    plural.msgstr_plural[2] = ""  # Russian has three plural forms
    reported = set(untranslated(wanted, catalogue))
    assert reported - before == {(None, "Back to top"), (None, "News"), (None, plural.msgid)}


@pytest.mark.parametrize("locale_dir", CATALOGUE_DIRS, ids=lambda d: str(d.relative_to(BASE_DIR)))
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_headers(language, locale_dir):
    catalogue = polib.pofile(str(_catalogue_path(language, locale_dir=locale_dir)))
    assert catalogue.metadata["Language"] == language
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("locale_dir", CATALOGUE_DIRS, ids=lambda d: str(d.relative_to(BASE_DIR)))
@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language, locale_dir):
    """A translation with a placeholder lost or misspelt breaks (or silently garbles) a page."""
    problems = []
    for entry in polib.pofile(str(_catalogue_path(language, locale_dir=locale_dir))):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in entry.msgstr_plural.items()
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if text and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append((entry.msgid, text))
    assert not problems, f"{language}: {problems}"


@pytest.mark.parametrize("locale_dir", CATALOGUE_DIRS, ids=lambda d: str(d.relative_to(BASE_DIR)))
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po(language, locale_dir):
    """The .mo Django reads says what the .po says (`make compilemessages` was run)."""
    po_path = _catalogue_path(language, locale_dir=locale_dir)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make compilemessages`"

    def messages(catalogue):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
            for entry in catalogue.translated_entries()
        }

    compiled = messages(polib.mofile(str(mo_path)))
    source = messages(polib.pofile(str(po_path)))
    assert compiled == source, f"{mo_path} is stale: run `make compilemessages`"


def test_compiling_again_rewrites_nothing_and_a_change_replaces_the_file(tmp_path):
    """CI serves the browser tests' site while ``make test`` compiles the catalogues again:
    an unchanged file is left alone, and a changed one is replaced whole (a rename)."""
    from news.kazakh_latin.catalogue import write_if_changed

    target = tmp_path / "LC_MESSAGES" / "django.mo"
    assert write_if_changed(target, b"one")
    inode = target.stat().st_ino
    assert not write_if_changed(target, b"one")
    assert target.stat().st_ino == inode
    assert write_if_changed(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_ino != inode  # a new file renamed over the old one
    assert [path.name for path in target.parent.iterdir()] == ["django.mo"]
    # The project's own catalogues: compiled already (make setup), so none is rewritten.
    written = {
        path: path.stat().st_mtime_ns
        for directory in CATALOGUE_DIRS
        for path in Path(directory).glob("*/LC_MESSAGES/*.[mp]o")
    }
    call_command("compile_translations", stdout=io.StringIO())
    assert {path: path.stat().st_mtime_ns for path in written} == written


@pytest.mark.parametrize(
    ("language", "available", "expected"),
    [
        ("ru", ["kk"], "Этот текст доступен только на казахском языке."),
        ("ru", ["en"], "Этот текст доступен только на английском языке."),
        (
            "ru",
            ["kk", "en"],
            "Этот текст доступен только на казахском языке и на английском языке.",
        ),
        ("kk", ["ru"], "Бұл мәтін тек орыс тілінде қолжетімді."),
        ("kk", ["en"], "Бұл мәтін тек ағылшын тілінде қолжетімді."),
        ("en", ["kk"], "This story is only available in Kazakh (Қазақша)."),
        ("en", ["ru"], "This story is only available in Russian (Русский)."),
        (
            "en",
            ["kk", "ru"],
            "This story is only available in Kazakh (Қазақша) and in Russian (Русский).",
        ),
    ],
)
def test_plain_text_fallback_notice(language, available, expected):
    """The API's notice (news.i18n.fallback_notice) uses the same, translated, msgids:
    each language in the case the sentence needs, not a quoted endonym («на «Қазақша»»)."""
    assert fallback_notice(available, language) == expected


def test_kazakh_dates_have_lower_case_month_names():
    """«7 мамыр 2024 ж.», not Django's capitalised «7 Мамыр 2024 ж.»."""
    import datetime

    from django.utils.formats import date_format

    day = datetime.date(2024, 6, 14)
    with translation.override("kk"):
        assert date_format(day) == "14 маусым 2024 ж."
        assert date_format(datetime.date(2024, 9, 3)) == "3 қыркүйек 2024 ж."
    with translation.override("ru"):
        assert date_format(day) == "14 июня 2024 г."
    with translation.override("en"):
        assert date_format(day) == "June 14, 2024"


def _text(html):
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _notice(html):
    start = html.index('<div class="notice notice--fallback"')
    return _text(html[start : html.index("</div>", start)])


@pytest.mark.django_db
def test_fallback_pages_read_in_russian_and_kazakh(client):
    """A kk-only story under /ru/ and a ru-only story under /kk/: notice and chrome translated."""
    import datetime

    home, index = make_site()
    translate(home, "ru")
    translate(index, "ru", strings={"Жаңалықтар": "Лента"})
    kk_only = make_news(index, "Тек қазақша", date=datetime.date(2024, 6, 14))
    ru_story = make_news(index, "Орысша нұсқасы бар", date=datetime.date(2024, 5, 7))
    ru_only = translate(ru_story, "ru", strings={"Орысша нұсқасы бар": "Только по-русски"})
    ru_story.unpublish()

    response = client.get(kk_only.url.replace("/kk/", "/ru/", 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert _notice(html) == "Этот текст доступен только на казахском языке."
    assert "14 июня 2024 г." in html
    assert 'aria-label="Наверх"' in html
    assert 'aria-label="Основное меню"' in html and ">Поиск<" in html

    response = client.get(ru_only.url.replace("/ru/", "/kk/", 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert _notice(html) == "Бұл мәтін тек орыс тілінде қолжетімді."
    assert "7 мамыр 2024 ж." in html
    assert 'aria-label="Жоғарыға"' in html
    assert 'aria-label="Негізгі мәзір"' in html and ">Іздеу<" in html


def test_a_language_without_its_own_phrase_gets_a_neutral_one():
    """A site that adds German: «на языке «Немецкий»», «Неміс тілінде», "in German"."""
    from news.i18n import available_in

    expected = {"ru": "на языке «Немецкий»", "kk": "Неміс тілінде", "en": "in German"}
    for language, phrase in expected.items():
        with translation.override(language):
            assert available_in("de") == phrase
