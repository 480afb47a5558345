"""The Kazakh admin catalogues: complete against the installed Wagtail and wagtail-localize,
well-formed, compiled, and what Django actually uses."""

import re

import polib
import pytest
from django.utils import translation

from .upstream import (
    DOMAINS,
    PLACEHOLDER,
    TAG,
    catalogue,
    catalogue_path,
    forms,
    upstream_files,
    upstream_msgids,
)

NPLURALS = 2


def untranslated(wanted, po):
    """The keys of ``wanted`` that ``po`` lacks, leaves empty or fuzzy, or translates only
    in part (a plural short of one of its two forms)."""
    done = set()
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.get(index) for index in range(NPLURALS)):
                continue
        elif not entry.msgstr:
            continue
        done.add((entry.msgctxt, entry.msgid))
    return sorted(set(wanted) - done, key=lambda key: (key[0] or "", key[1]))


def test_upstream_catalogues_are_found():
    """The completeness test below is about something: Wagtail's and wagtail-localize's
    ``en`` catalogues of both domains are there, with their hundreds of msgids."""
    labels = {label for label, _path in upstream_files("django")}
    assert {"wagtail", "wagtail.admin", "wagtail.images", "wagtail_localize"} <= labels
    assert {label for label, _path in upstream_files("djangojs")} >= {
        "wagtail.admin",
        "wagtail_localize",
    }
    assert len(upstream_msgids("django")) > 1500
    assert len(upstream_msgids("djangojs")) > 100


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_upstream_msgid_has_a_kazakh_translation(domain):
    wanted = upstream_msgids(domain)
    missing = untranslated(wanted, catalogue(domain))
    by_source = {}
    for key in missing:
        by_source.setdefault(wanted[key][0], []).append(key[1])
    assert not missing, (
        f"{catalogue_path(domain).name}: {len(missing)} msgid(s) of the installed Wagtail / "
        f"wagtail-localize without a Kazakh translation: "
        + "; ".join(
            f"{src}: {len(ids)}, e.g. {ids[:2]}" for src, ids in list(by_source.items())[:6]
        )
        + " - run `make kk-admin-update` and translate them"
    )


def test_the_completeness_check_fails_on_a_gap():
    wanted = {(None, "Save draft"): None, (None, "%(count)s page"): None}
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Save draft", msgstr="Жобаны сақтау", flags=["fuzzy"]))
    plural = polib.POEntry(msgid="%(count)s page", msgid_plural="%(count)s pages")
    plural.msgstr_plural = {0: "%(count)s бет", 1: ""}
    po.append(plural)
    assert untranslated(wanted, po) == [(None, "%(count)s page"), (None, "Save draft")]
    po[0].flags = []
    plural.msgstr_plural[1] = "%(count)s бет"
    assert untranslated(wanted, po) == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_headers(domain):
    po = catalogue(domain)
    assert po.metadata["Language"] == "kk"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n!=1);"
    assert not po.metadata_is_fuzzy
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def placeholder_problems(po):
    """Entries whose translation loses, adds or misspells a placeholder, a tag or an entity.

    The form for n == 1 may follow the singular or the plural msgid (Kazakh often keeps
    the count in both); every other form must keep the plural msgid's exactly.
    """
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        for index, (source, text) in enumerate(forms(entry)):
            if not text:
                continue
            allowed = [source, entry.msgid] if entry.msgid_plural and index == 0 else [source]
            if entry.msgid_plural and index == 0:
                allowed.append(entry.msgid_plural)
            for pattern in (PLACEHOLDER, TAG):
                got = sorted(pattern.findall(text))
                if got not in [sorted(pattern.findall(s)) for s in allowed]:
                    problems.append((entry.msgid, text))
    return problems


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_placeholders_and_html(domain):
    problems = placeholder_problems(catalogue(domain))
    assert not problems, (
        f"{len(problems)} translation(s) changed a placeholder or tag: {problems[:10]}"
    )


def test_the_placeholder_check_fails_on_a_changed_placeholder():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Edit '%(title)s'", msgstr="«%(name)s» өңдеу"))
    po.append(polib.POEntry(msgid="<b>Draft</b> saved", msgstr="<strong>Жоба</strong> сақталды"))
    po.append(polib.POEntry(msgid="Saved %s", msgstr="Сақталды %s"))
    assert [msgid for msgid, _text in placeholder_problems(po)] == [
        "Edit '%(title)s'",
        "<b>Draft</b> saved",
    ]


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_is_current(domain):
    """The .mo Django reads holds exactly the .po (``make setup`` compiles it)."""
    mo_path = catalogue_path(domain).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make setup` (compile_translations)"
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo_path))}
    for entry in catalogue(domain).translated_entries():
        if "fuzzy" in entry.flags:
            continue
        got = compiled.get((entry.msgctxt, entry.msgid))
        assert got is not None, f"{mo_path.name} is stale: {entry.msgid!r} missing"
        if entry.msgid_plural:
            assert got.msgstr_plural == entry.msgstr_plural, f"{mo_path.name} is stale"
        else:
            assert got.msgstr == entry.msgstr, f"{mo_path.name} is stale: {entry.msgid!r}"


def _project_catalogue():
    """The site's own Kazakh, which rightly wins over the admin catalogue: LOCALE_PATHS, and
    the apps the site lists ahead of kazakh_admin (its plugins, news and search)."""
    from django.apps import apps
    from django.conf import settings

    paths = [f"{path}/kk/LC_MESSAGES/django.po" for path in settings.LOCALE_PATHS]
    for app in apps.get_app_configs():
        if app.name == "kazakh_admin":
            break
        paths.append(f"{app.path}/locale/kk/LC_MESSAGES/django.po")
    project = {}
    for po_path in paths:
        try:
            project.update({(e.msgctxt, e.msgid): e for e in polib.pofile(po_path)})
        except OSError:
            pass
    return project


def test_django_uses_our_kazakh_over_wagtail_django_and_drf():
    """kazakh_admin comes ahead of every other app with a Kazakh catalogue (Django's own,
    DRF's, django.contrib's): what gettext returns in Kazakh is our translation, unless
    the site's own catalogue words it."""
    project = _project_catalogue()
    wrong = []
    with translation.override("kk"):
        for entry in catalogue("django").translated_entries():
            if "fuzzy" in entry.flags or (entry.msgctxt, entry.msgid) in project:
                continue
            if entry.msgid_plural:
                got = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 5)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, 5)
                )
                want = entry.msgstr_plural[1]
            else:
                got = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                want = entry.msgstr
            if got != want:
                wrong.append((entry.msgid, got, want))
    assert not wrong, f"{len(wrong)} msgid(s) translated by another catalogue: {wrong[:5]}"


def test_one_kazakh_wording_for_django_strings_drf_also_translates():
    """DRF ships its own Kazakh for some of Django's msgids ("Enter a valid URL."): Django's
    forms and DRF then say the same thing, as our catalogue (or Django's) words it."""
    import rest_framework

    drf_mo = re.sub(r"__init__\.py$", "", rest_framework.__file__) + (
        "locale/kk/LC_MESSAGES/django.mo"
    )
    drf = polib.mofile(drf_mo)
    ours = {(e.msgctxt, e.msgid) for e in catalogue("django")}
    django_kk = {
        (e.msgctxt, e.msgid): e
        for e in polib.pofile(
            re.sub(r"__init__\.py$", "", translation.__file__).replace(
                "utils/translation/", "conf/locale/kk/LC_MESSAGES/django.po"
            )
        )
        if e.translated()
    }
    shared = [e for e in drf if (e.msgctxt, e.msgid) in django_kk and not e.msgid_plural]
    assert shared, "DRF and Django share no Kazakh msgid any more: this test is moot"
    with translation.override("kk"):
        for entry in shared:
            expected = django_kk[(entry.msgctxt, entry.msgid)].msgstr
            if (entry.msgctxt, entry.msgid) in ours:
                continue  # checked by the test above
            assert translation.gettext(entry.msgid) == expected, entry.msgid


def test_update_keeps_translations_adds_new_and_obsoletes_removed(tmp_path):
    """``--update``'s merge on a copy: a translated entry keeps its Kazakh, a new upstream
    msgid arrives empty, a msgid gone upstream becomes obsolete, own entries stay."""
    from kazakh_admin import catalogue as cat

    wanted = cat.wanted_entries("djangojs")
    first_key = next(iter(wanted))
    po = cat.new_catalogue()
    kept = polib.POEntry(msgctxt=first_key[0], msgid=first_key[1])
    if wanted[first_key].entry.msgid_plural:
        kept.msgid_plural = wanted[first_key].entry.msgid_plural
        kept.msgstr_plural = {0: "бір", 1: "көп"}
    else:
        kept.msgstr = "Аударма"
    po.append(kept)
    po.append(polib.POEntry(msgid="A string Wagtail no longer has", msgstr="Ескі"))
    po.append(polib.POEntry(msgid="Our own", msgstr="Біздікі", comment="kazakh_admin: own string"))
    merged, counts = cat.merge(po, wanted)
    by_key = {(e.msgctxt, e.msgid): e for e in merged}
    assert counts["new"] == len(wanted) - 1
    assert counts["obsolete"] == 1
    assert by_key[first_key].translated() and not by_key[first_key].obsolete
    assert by_key[(None, "A string Wagtail no longer has")].obsolete
    assert not by_key[(None, "Our own")].obsolete
    assert merged[0].msgid == "Our own"
    untranslated_now = cat.untranslated_by_source(merged)
    assert sum(map(len, untranslated_now.values())) == len(wanted) - 1
    assert set(untranslated_now) <= {"wagtail.admin", "wagtail_localize"}


def test_import_fills_from_work_files_first_file_winning(tmp_path):
    from kazakh_admin import catalogue as cat

    for name, text in (("a.po", "Сақтау"), ("b.po", "Сақтаңыз")):
        work = cat.new_catalogue()
        work.append(polib.POEntry(msgid="Save", msgstr=text))
        work.append(polib.POEntry(msgid="Delete", msgstr="", flags=[]))
        work.save(str(tmp_path / name))
    translations, conflicts = cat.work_translations([tmp_path / "b.po", tmp_path / "a.po"])
    assert translations == {(None, "Save"): "Сақтау"}
    assert conflicts == [((None, "Save"), "a.po", "b.po")]
    po = cat.new_catalogue()
    po.append(polib.POEntry(msgid="Save", msgstr=""))
    po.append(polib.POEntry(msgid="Delete", msgstr="Жою"))
    assert cat.fill(po, translations) == 1
    assert po.find("Save").msgstr == "Сақтау"


def test_a_russian_admin_never_falls_back_to_kazakh():
    """For a msgid Russian lacks, Django uses the server's language, Kazakh: every msgid of
    our Kazakh catalogue from an installed app (or our own) has a Russian translation -
    Wagtail's, Django's, or kazakh_admin/locale/ru's."""
    from django.apps import apps
    from django.utils.translation import trans_real

    installed = {app.name for app in apps.get_app_configs()} | {"django"}
    russian = trans_real.translation("ru")._catalog
    missing = []
    for entry in catalogue("django"):
        sources = [name for name, _line in entry.occurrences] or ["kazakh_admin"]
        if entry.obsolete or not any(source in installed for source in sources):
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if russian.get((key, 0) if entry.msgid_plural else key) is None:
            missing.append(entry.msgid)
    assert not missing, f"{len(missing)} msgid(s) a Russian admin shows in Kazakh: {missing[:10]}"
