"""The Kazakh admin catalogues: where their msgids come from, merging and importing.

One catalogue per domain, ``locale/kk/LC_MESSAGES/{django,djangojs}.po``, holds:

* every msgid of the ``locale/en/LC_MESSAGES/*.po`` files of the packages in
  ``KAZAKH_ADMIN_PACKAGES`` (default: wagtail and wagtail_localize, every app of theirs);
* from Django's catalogues in ``KAZAKH_ADMIN_DJANGO_CATALOGUES`` (default: core, auth and
  contenttypes, the ones the admin's forms, validation, dates and pagination use) the
  msgids Django's own Kazakh catalogue leaves empty or fuzzy, and those another installed
  app's Kazakh catalogue (DRF's, django.contrib.admin's) translates differently, so that
  one wording wins everywhere;
* our own entries, marked by a ``#. kazakh_admin: <why>`` comment (the app's own strings,
  strings found missing in the admin); ``--update`` keeps them.

Nothing here imports the project: the app works in any Wagtail site.
"""

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings

APP_DIR = Path(__file__).resolve().parent
LOCALE_DIR = APP_DIR / "locale"
DOMAINS = ("django", "djangojs")
OWN_MARK = "kazakh_admin:"
NPLURALS = 2
PLURAL_FORMS = "nplurals=2; plural=(n!=1);"
DEFAULT_PACKAGES = ("wagtail", "wagtail_localize")
DEFAULT_DJANGO_CATALOGUES = ("django", "django.contrib.auth", "django.contrib.contenttypes")


def packages():
    return list(getattr(settings, "KAZAKH_ADMIN_PACKAGES", DEFAULT_PACKAGES))


def django_catalogues():
    return list(getattr(settings, "KAZAKH_ADMIN_DJANGO_CATALOGUES", DEFAULT_DJANGO_CATALOGUES))


def catalogue_path(domain="django", language="kk"):
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def key(entry):
    return (entry.msgctxt, entry.msgid)


def is_own(entry):
    return OWN_MARK in (entry.comment or "")


def is_translated(entry, nplurals=NPLURALS):
    """Non-obsolete, not fuzzy, and every form filled in."""
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return all(entry.msgstr_plural.get(index) for index in range(nplurals))
    return bool(entry.msgstr)


def _module_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise LookupError(f"{name} is not installed")
    return Path(spec.origin).resolve().parent


@dataclass
class Source:
    """One upstream ``en`` catalogue: all its msgids, or (``kk`` set) only Django's gaps."""

    name: str
    domain: str
    en: Path
    kk: Path | None = None


def upstream_sources():
    sources = []
    for package in packages():
        root = _module_dir(package)
        for en in sorted(root.rglob("locale/en/LC_MESSAGES/*.po")):
            parts = en.relative_to(root).parts[:-4]
            if en.stem not in DOMAINS or "tests" in parts or "test" in parts:
                continue
            sources.append(Source(".".join((package, *parts)), en.stem, en))
    for module in django_catalogues():
        root = _module_dir(module)
        if module == "django":
            root = root / "conf"
        en = root / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if en.exists():
            sources.append(Source(module, "django", en, root / "locale/kk/LC_MESSAGES/django.po"))
    return sources


def _read(path):
    """A .po, or the .mo when a package ships no .po (DRF); None when neither exists."""
    path = Path(path)
    if path.with_suffix(".po").exists():
        return polib.pofile(str(path.with_suffix(".po")))
    if path.with_suffix(".mo").exists():
        return polib.mofile(str(path.with_suffix(".mo")))
    return None


def other_kazakh_catalogues(exclude=()):
    """``{app name: catalogue}``: Kazakh catalogues of installed apps that beat Django's own."""
    found = {}
    for app in apps.get_app_configs():
        if app.name == "kazakh_admin" or app.name in exclude:
            continue
        catalogue = _read(Path(app.path) / "locale" / "kk" / "LC_MESSAGES" / "django.po")
        if catalogue is not None:
            found[app.name] = catalogue
    return found


@dataclass
class Wanted:
    entry: polib.POEntry
    sources: list = field(default_factory=list)
    initial: object = None  # Django's own Kazakh, for a msgid another app words differently


def wanted_entries(domain):
    """``{(msgctxt, msgid): Wanted}`` of ``domain``, in upstream order."""
    wanted = {}
    others = None
    for source in upstream_sources():
        if source.domain != domain:
            continue
        own_kk = None
        if source.kk is not None:
            own_kk = {key(e): e for e in (_read(source.kk) or [])}
            if others is None:
                others = other_kazakh_catalogues()
        for entry in polib.pofile(str(source.en)):
            if not entry.msgid or entry.obsolete:
                continue
            initial = None
            if own_kk is not None:
                django_kk = own_kk.get(key(entry))
                if django_kk is not None and is_translated(django_kk):
                    differs = [
                        other
                        for name, other in others.items()
                        if name != source.name
                        and (found := other.find(entry.msgid, msgctxt=entry.msgctxt))
                        and is_translated(found)
                        and _value(found) != _value(django_kk)
                    ]
                    if not differs:
                        continue  # Django's Kazakh is used as it is
                    initial = _value(django_kk)
            item = wanted.setdefault(key(entry), Wanted(entry, initial=initial))
            if source.name not in item.sources:
                item.sources.append(source.name)
    return wanted


def _value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural.get(index, "") for index in range(NPLURALS))
    return entry.msgstr


def _set_value(entry, value):
    if entry.msgid_plural:
        if isinstance(value, str):
            value = (value,) * NPLURALS
        entry.msgstr_plural = {index: value[index] for index in range(NPLURALS)}
    else:
        entry.msgstr = value


def new_catalogue(language="kk"):
    catalogue = polib.POFile(wrapwidth=79)
    catalogue.metadata = {
        "Project-Id-Version": "kazakh_admin",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS,
    }
    return catalogue


def load(domain, language="kk"):
    path = catalogue_path(domain, language)
    if path.exists():
        catalogue = polib.pofile(str(path), wrapwidth=79)
    else:
        catalogue = new_catalogue(language)
    return catalogue


def save(catalogue, domain, language="kk"):
    path = catalogue_path(domain, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))
    return path


def merge(catalogue, wanted):
    """Bring ``catalogue`` to the ``wanted`` msgids; returns counts of what changed.

    Translations are kept; new msgids arrive empty (or with Django's own Kazakh), msgids
    gone upstream become obsolete (kept at the end, revived if they come back), a changed
    plural marks the entry fuzzy. Own entries stay first, untouched.
    """
    counts = {"new": 0, "obsolete": 0, "revived": 0, "fuzzy": 0}
    existing = {key(e): e for e in catalogue}
    merged = [e for e in catalogue if is_own(e) and not e.obsolete]
    own_keys = {key(e) for e in merged}
    for item_key, item in wanted.items():
        if item_key in own_keys:
            continue
        upstream = item.entry
        entry = existing.get(item_key)
        if entry is None:
            entry = polib.POEntry(
                msgctxt=upstream.msgctxt, msgid=upstream.msgid, msgid_plural=upstream.msgid_plural
            )
            _set_value(entry, item.initial if item.initial is not None else "")
            counts["new"] += 1
        else:
            if entry.obsolete:
                entry.obsolete = False
                counts["revived"] += 1
            if entry.msgid_plural != upstream.msgid_plural:
                value = _value(entry)
                entry.msgid_plural = upstream.msgid_plural
                _set_value(entry, value if upstream.msgid_plural else value[0] if value else "")
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                counts["fuzzy"] += 1
        entry.occurrences = [(name, "") for name in item.sources]
        fuzzy = "fuzzy" in entry.flags
        entry.flags = [flag for flag in upstream.flags if flag != "fuzzy"]
        if fuzzy:
            entry.flags.append("fuzzy")
        if item.initial is not None and not entry.comment:
            entry.comment = "Django's own Kazakh; another installed app words it differently."
        merged.append(entry)
    for entry in catalogue:
        if key(entry) in wanted or (is_own(entry) and not entry.obsolete):
            continue
        if not entry.obsolete:
            entry.obsolete = True
            counts["obsolete"] += 1
        merged.append(entry)
    result = polib.POFile(wrapwidth=catalogue.wrapwidth)
    result.metadata = dict(catalogue.metadata)
    result.metadata["Plural-Forms"] = PLURAL_FORMS
    result.header = catalogue.header
    result.extend(merged)
    return result, counts


def work_translations(paths):
    """``({key: value}, conflicts)`` from translators' work .po files, first file winning.

    Only translated, non-fuzzy entries count. ``conflicts`` lists ``(key, kept file,
    other file)`` for a msgid two files translate differently.
    """
    found, conflicts = {}, []
    for path in sorted(Path(p) for p in paths):
        for entry in polib.pofile(str(path)):
            if not entry.msgid or not is_translated(entry):
                continue
            value = _value(entry)
            if key(entry) in found:
                if found[key(entry)][0] != value:
                    conflicts.append((key(entry), found[key(entry)][1].name, path.name))
                continue
            found[key(entry)] = (value, path)
    return {k: value for k, (value, _path) in found.items()}, conflicts


def fill(catalogue, translations, overwrite=False):
    """Fill untranslated (or, with ``overwrite``, all) non-own entries; returns the count."""
    filled = 0
    for entry in catalogue:
        if entry.obsolete or is_own(entry) or key(entry) not in translations:
            continue
        if is_translated(entry) and not overwrite:
            continue
        value = translations[key(entry)]
        if entry.msgid_plural and isinstance(value, str):
            value = (value,) * NPLURALS
        if not entry.msgid_plural and not isinstance(value, str):
            value = value[0]
        if is_translated(entry) and _value(entry) == value:
            continue
        _set_value(entry, value)
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        filled += 1
    return filled


def untranslated_by_source(catalogue):
    """``{source name: [msgid, ...]}`` of the entries still untranslated or fuzzy."""
    report = {}
    for entry in catalogue:
        if entry.obsolete or is_translated(entry):
            continue
        names = [name for name, _line in entry.occurrences] or ["(own)"]
        report.setdefault(names[0], []).append(entry.msgid)
    return report
