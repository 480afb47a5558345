"""One Kazakh word per admin concept: docs/admin-terminology.md's table, enforced.

When an English msgid uses a term of the table (as a whole word, in any regular English
form: page/pages, publish/published/publishing, delete/deleted; placeholders, HTML tags
and URLs removed), its Kazakh must contain one of the term's stems. Longer terms are
matched first and take their words out, so "Unpublish" is checked as *unpublish* only,
never as *publish*. Entries that use a term in another sense are listed, with a reason,
in kazakh_admin/terminology_exceptions.txt.
"""

import re

import polib
import pytest
from django.conf import settings

from .upstream import DOMAINS, catalogue, forms

BASE_DIR = settings.BASE_DIR
TABLE = BASE_DIR / "docs" / "admin-terminology.md"
EXCEPTIONS = BASE_DIR / "kazakh_admin" / "terminology_exceptions.txt"
NOISE = re.compile(
    r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdirfgexXo]"  # printf placeholders
    r"|\{[^{}]*\}"  # {name}, {{ x }}, {% tag %} halves
    r"|</?[a-zA-Z][^>]*>|&[a-z]+;"  # HTML tags and entities
    r"|https?://\S+"  # URLs
)


def read_table(path=TABLE):
    """``[(term, kazakh, [stems])]`` from the markdown table, longest term first."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not line.lstrip().startswith("|"):
            continue
        if cells[0] in ("English term", "") or set(cells[0]) <= set("-: "):
            continue
        stems = [stem.strip().lower() for stem in cells[2].split("/") if stem.strip()]
        rows.append((cells[0].lower(), cells[1], stems))
    return sorted(rows, key=lambda row: -len(row[0]))


def term_pattern(term):
    """The term in its regular English forms, as a whole word."""
    if term.endswith("settings"):
        forms_ = re.escape(term)
    elif term.endswith("y"):
        forms_ = re.escape(term[:-1]) + "(?:y|ies)"
    elif term.endswith("e"):
        forms_ = re.escape(term[:-1]) + "(?:e|es|ed|ing)"
    elif term.endswith(("sh", "ch", "s")):
        forms_ = re.escape(term) + "(?:es|ed|ing)?"
    else:
        forms_ = re.escape(term) + "(?:s|ed|ing)?"
    return re.compile(rf"(?<![\w-]){forms_}(?![\w-])", re.IGNORECASE)


def read_exceptions(path=EXCEPTIONS):
    """``{msgid: reason}``: one per line, ``msgid<TAB>reason``, ``\\n`` for a newline."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        msgid, _tab, reason = line.partition("\t")
        assert reason.strip(), f"{path.name}: no reason given for {msgid!r}"
        found[msgid.replace("\\n", "\n")] = reason.strip()
    return found


def terms_in(text, table):
    """The table rows whose term ``text`` uses, longest first, each word counted once."""
    text = NOISE.sub(" ", text)
    used = []
    for row in table:
        pattern = term_pattern(row[0])
        if pattern.search(text):
            used.append(row)
            text = pattern.sub(" ", text)
    return used


def violations(po, table, exceptions=()):
    """``[(msgid, term, msgstr)]``: a translation without the table's word for a term."""
    found = []
    for entry in po:
        if entry.obsolete or entry.msgid in exceptions:
            continue
        for source, text in forms(entry):
            if not text:
                continue
            for term, _kazakh, stems in terms_in(source, table):
                if not any(stem in text.lower() for stem in stems):
                    found.append((entry.msgid, term, text))
    return found


def test_the_table_is_read():
    table = read_table()
    terms = {term for term, _kazakh, _stems in table}
    assert {"page", "publish", "unpublish", "draft", "locale", "snippet", "settings"} <= terms
    assert len(table) >= 30
    assert all(stems for _term, _kazakh, stems in table)
    assert {term: stems for term, _k, stems in table}["page"] == ["бет"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_uses_the_terminology(domain):
    found = violations(catalogue(domain), read_table(), read_exceptions())
    assert not found, (
        f"{len(found)} translation(s) word a term otherwise than docs/admin-terminology.md: "
        + "; ".join(f"{term!r} in {msgid!r} -> {text!r}" for msgid, term, text in found[:15])
    )


def test_every_exception_is_still_needed():
    """An exception that no longer matches an entry (fixed, or gone upstream) is removed."""
    table = read_table()
    entries = {}
    for domain in DOMAINS:
        for entry in catalogue(domain):
            if not entry.obsolete:
                entries.setdefault(entry.msgid, entry)
    stale = [
        msgid
        for msgid in read_exceptions()
        if msgid not in entries or not violations([entries[msgid]], table)
    ]
    assert not stale, f"exceptions to remove from {EXCEPTIONS.name}: {stale}"


def test_the_check_catches_a_different_word_and_respects_longer_terms():
    table = read_table()
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Save draft", msgstr="Черновикті сақтау"))  # not «жоба»
    po.append(polib.POEntry(msgid="Unpublish", msgstr="Жариялаудан алу"))  # not «publish»
    po.append(polib.POEntry(msgid="Pages", msgstr="Парақтар"))  # a plural form counts
    po.append(polib.POEntry(msgid="Deleted %(title)s", msgstr="%(title)s жойылды"))
    po.append(polib.POEntry(msgid="Draftail", msgstr="Draftail"))  # not the word "draft"
    po.append(polib.POEntry(msgid='<a href="/pages/">Open</a>', msgstr="Ашу"))  # markup only
    plural = polib.POEntry(msgid="%(count)s image", msgid_plural="%(count)s images")
    plural.msgstr_plural = {0: "%(count)s сурет", 1: "%(count)s фото"}
    po.append(plural)
    assert [(msgid, term) for msgid, term, _text in violations(po, table)] == [
        ("Save draft", "draft"),
        ("Pages", "page"),
        ("%(count)s image", "image"),
    ]
    assert violations(po, table, exceptions={"Save draft", "Pages", "%(count)s image"}) == []


# Newsdesk's own Kazakh catalogues: the site's, and each plugin's (issue 32).
OWN_CATALOGUES = [
    BASE_DIR / "locale" / "kk" / "LC_MESSAGES" / "django.po",
    *(
        BASE_DIR / app / "locale" / "kk" / "LC_MESSAGES" / f"{domain}.po"
        for app in ("news", "search", "newsdesk_memory")
        for domain in DOMAINS
    ),
]


@pytest.mark.parametrize(
    "path",
    [path for path in OWN_CATALOGUES if path.exists()],
    ids=lambda path: str(path.relative_to(BASE_DIR)),
)
def test_our_own_catalogues_use_the_terminology(path):
    """The admin's words for a concept are the site's and the plugins' too: «тіл» for a
    locale, «атау» for a title and «тақырып» for a topic (never the same word for both)."""
    found = violations(polib.pofile(str(path)), read_table())
    assert not found, (
        f"{len(found)} translation(s) in {path.relative_to(BASE_DIR)} word a term otherwise "
        "than docs/admin-terminology.md: "
        + "; ".join(f"{term!r} in {msgid!r} -> {text!r}" for msgid, term, text in found[:15])
    )


def test_title_and_topic_are_two_words():
    table = {term: stems for term, _kazakh, stems in read_table()}
    assert not set(table["title"]) & set(table["topic"])
    with_title = polib.POFile()
    with_title.append(polib.POEntry(msgid="Title", msgstr="Тақырып"))
    assert [term for _m, term, _t in violations(with_title, read_table())] == ["title"]
