"""The installed upstream catalogues, found without the app's own code (tests stay honest)."""

import importlib.util
import re
from pathlib import Path

import polib
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APP_LOCALE = BASE_DIR / "kazakh_admin" / "locale"
PACKAGES = ("wagtail", "wagtail_localize")
DOMAINS = ("django", "djangojs")

# %(name)s, %s, %d ... and str.format's {name}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdirfgexXo]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>|&[a-z]+;|&#\d+;")


def package_dir(name):
    return Path(importlib.util.find_spec(name).origin).parent


def upstream_files(domain):
    """``[(label, path)]`` of the installed Wagtail / wagtail-localize ``en`` catalogues."""
    files = []
    for package in PACKAGES:
        root = package_dir(package)
        for path in sorted(root.rglob(f"locale/en/LC_MESSAGES/{domain}.po")):
            parts = path.relative_to(root).parts[:-4]
            if "test" in parts or "tests" in parts:
                continue
            files.append((".".join((package, *parts)), path))
    return files


def upstream_msgids(domain):
    """``{(msgctxt, msgid): (label, entry)}`` over every installed upstream ``en`` catalogue."""
    found = {}
    for label, path in upstream_files(domain):
        for entry in polib.pofile(str(path)):
            if entry.msgid and not entry.obsolete:
                found.setdefault((entry.msgctxt, entry.msgid), (label, entry))
    return found


def catalogue_path(domain="django", language="kk"):
    return APP_LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def catalogue(domain="django", language="kk"):
    return polib.pofile(str(catalogue_path(domain, language)))


def forms(entry):
    """``[(source text, translation)]`` of an entry, one pair per msgstr form."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]
