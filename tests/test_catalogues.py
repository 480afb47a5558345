"""The kk, ru and en catalogues hold every user-facing string, translated."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = ("kk", "ru", "en")
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


def _catalogue(language, domain="django"):
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"missing catalogue {path}"
    return polib.pofile(str(path))


@pytest.fixture(scope="module")
def source_strings(tmp_path_factory):
    """Every msgid in the source, extracted by Django's makemessages into a .pot."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is needed to extract strings")
    import os

    work = tmp_path_factory.mktemp("messages")
    cwd = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        # A throwaway language writes its .po under a temporary locale path; the .pot is kept.
        from django.test.utils import override_settings

        with override_settings(LOCALE_PATHS=[str(work)]):
            call_command(
                "makemessages",
                locale=["xx"],
                keep_pot=True,
                ignore_patterns=[".venv/*", "var/*", "tests/*", "bench/*", "locale/*"],
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    pots = list(work.rglob("django.pot")) or list(Path(settings.BASE_DIR).rglob("django.pot"))
    catalogue = polib.pofile(str(pots[0])) if pots else polib.pofile(str(next(work.rglob("*.po"))))
    for pot in Path(settings.BASE_DIR).glob("locale/django.pot"):
        pot.unlink()
    return {entry.msgid for entry in catalogue if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(source_strings, language):
    catalogue = _catalogue(language)
    translated = {
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and "fuzzy" not in entry.flags
        and (entry.msgstr or all(entry.msgstr_plural.values()) and entry.msgstr_plural)
    }
    missing = sorted(source_strings - translated)
    assert not missing, f"{language}: {len(missing)} untranslated strings, e.g. {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_placeholders_match(language):
    """A translation keeps every placeholder of its source (a missing one breaks rendering)."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    for entry in _catalogue(language):
        if entry.obsolete or not entry.msgstr:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            language,
            entry.msgid,
        )
