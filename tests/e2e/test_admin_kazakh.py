"""The admin in Kazakh (and in Russian), screen by screen, in Chromium.

An editor whose admin language is Kazakh walks the editor's and the translator's screens:
dashboard, page explorer, the page editor (Content and Promote tabs, side panels, the
StreamField menu, image and topic choosers, publish menu, schedule dialog), history,
preview, snippets, images, documents, reports with the translation coverage, wagtail-
localize's "Translate" form and translation editor, account settings; the login page, every
sidebar menu and submenu opened (the page explorer panel, the account menu), every page
those menus link to (each report, Settings → Locales, Users, Groups, Workflows…), admin
search, the explorer's root and a saved account form (its message). Every screen's
visible text (plus the title, aria-label, placeholder and alt of visible elements, and
screen-reader-only text) must hold no English word outside a short allow-list: brand names,
and the site's own content (titles, names and slugs stored in the database, whatever their
language; not the names of the demo's groups and workflow, which the demo gives in the
admin's language). The same walk
in Russian must find no English either, and no Kazakh from the admin's own strings.
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .conftest import login, page_id, screenshot, shell

pytestmark = pytest.mark.e2e

# A Kazakh article no other browser test uses: the walk types into its lead (autosave).
ARTICLE_SLUG = "zhas-fermerlerge-grant"
TRANSLATED_SLUG = "qonaevta-zhana-mektep-ashyldy"  # translated into Russian in the demo
PASSWORD = "newsdesk-demo"  # noqa: S105 - the demo's password
BRANDS = {
    "Wagtail",
    "Newsdesk",
    "Draftail",
    "Django",
    "DeepL",
    # LibreTranslate (and "Google Cloud Translation", BRAND_PHRASES): the machine translators
    # the localize editor's hint names when none is configured (news/templates/news/admin/).
    "LibreTranslate",
    "Gravatar",
    "YouTube",
    "Vimeo",
    "URL",
    "URLs",
    "ID",
    "HTML",
    "API",
    "JSON",
    "CSV",
    "XLSX",
    "PDF",
    "SVG",
    "PNG",
    "JPEG",
    "WebP",
    "AVIF",
    "GIF",
    "UTC",
    # Creative Commons licence names on the image screen (news.image_rights): "CC BY-SA 4.0"
    # is the licence's international name, written so in every language, like a brand.
    "CC",
    "BY",
    "SA",
    "ND",
    "NC",
    "English",  # the English admin's name for itself, in the language menu
    "kk",  # language codes, as the coverage report's badges show them
    "ru",
    "en",
    "PO",  # the file format of wagtail-localize's offline translation
    "GMT",
    "Ctrl",  # keys, as keyboards label them (Draftail's shortcuts: "Ctrl + B")
    "Alt",
    "Shift",
}
# Brand names of several words, taken out of a line before its words are read (so that
# "Translation" alone is never allowed).
BRAND_PHRASES = re.compile(r"Google Cloud Translation")
# English no catalogue of ours can change, per screen (every screen whose name contains
# the key), with the reason.
NOT_OURS = {
    "account": {
        # Wagtail names time zones through the browser's Intl API, and Chromium's ICU has
        # no Kazakh time zone names: "GMT+5 (Kazakhstan Time)".
        "Kazakhstan",
        "Time",
    },
}
# Screens whose JavaScript strings must show in Kazakh (not only: not in English).
KAZAKH_EXPECTED = {
    "editor: Draftail toolbar": ["Қалың", "Курсив", "Сілтеме"],
    "editor: StreamField block menu": ["Іздеу"],
    "editor: date picker": ["Дб"],
    "editor: autosave": ["Сақталды"],
    "editor: content": ["Жобаны сақтау"],
    "localize: translation editor": ["Аударма: Қазақ тілі → Орыс тілі", "қолмен аударылды"],
    "reports: translation coverage": [".2026"],
}
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# URLs, words the admin cut short ("маңындағ…") and model identifiers ("news.newspage",
# Reports → Page types): none are the admin's words.
URL = re.compile(r"\S+://\S+|[^\W\d_]+…|\b[a-z_]+\.[a-z_]+\b")
# A word with a letter only Kazakh has: on a Russian screen, Kazakh chrome (unless content).
KAZAKH_WORD = re.compile(r"[^\W\d_]*[әғқңөұүһіӘҒҚҢӨҰҮҺІ][^\W\d_]*")
# Each language's name for itself, in the language menu of account settings.
LANGUAGE_NAMES = {"Қазақ", "Қазақша", "Русский", "English"}

# A long <select> (time zones: IANA names) counts by its chosen option only.
# Text marked with another language than the page's (lang="en" on a translation memory's
# English text) is content in that language, not the admin's words: hidden while reading.
COLLECT_TEXT = """() => {
    const page = document.documentElement.lang;
    const long = [...document.querySelectorAll('select')].filter(s => s.options.length > 50);
    const foreign = [...document.querySelectorAll('main [lang]')].filter(
        el => el.lang && el.lang.split('-')[0] !== page.split('-')[0]);
    long.concat(foreign).forEach(
        s => { s.dataset.display = s.style.display; s.style.display = 'none'; });
    const parts = [document.title, document.body.innerText];
    foreign.forEach(s => { s.style.display = s.dataset.display; });
    long.forEach(s => {
        s.style.display = s.dataset.display;
        if (s.selectedOptions.length) parts.push(s.selectedOptions[0].text);
    });
    const visible = el => el.checkVisibility ? el.checkVisibility() : !!el.offsetParent;
    // Screen-reader-only text: clipped to nothing, so not in innerText, but read aloud.
    for (const el of document.querySelectorAll('.w-sr-only, .visuallyhidden, .sr-only')) {
        if (el.textContent.trim()) parts.push(el.textContent.trim());
    }
    for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
        if (!visible(el) || long.includes(el)) continue;
        for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
            const value = el.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    return parts.join('\\n');
}"""


def content_words(server_env):
    """Every word of the site's own content: page titles and slugs, image, document and
    topic titles, locale codes, user names - the editors' words, not the admin's."""
    code = """
import re
from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site
from news.models import NewsTopic
texts = []
for page in Page.objects.all():
    texts += [page.title, page.slug, page.seo_title or "", page.search_description or ""]
for model, field in ((get_image_model(), "title"), (get_document_model(), "title"),
                     (NewsTopic, "name"), (Collection, "name"), (Site, "site_name"),
                     (Site, "hostname")):
    texts += [str(getattr(obj, field) or "") for obj in model.objects.all()]
for obj in get_image_model().objects.all():
    texts += [obj.file.name] + list(obj.tags.names())
from news.models import Author
texts += list(Author.objects.values_list("name", flat=True))
for user in get_user_model().objects.all():
    texts += [user.username, user.email, user.first_name, user.last_name]
# Body text, leads, captions, quotes: every revision and every translatable string. Only
# their non-Latin words (JSON keys and HTML tags are Latin, and not content).
import json
from wagtail.models import Revision
from wagtail_localize.models import String
bodies = [json.dumps(r.content, ensure_ascii=False) for r in Revision.objects.all()]
bodies += list(String.objects.values_list("data", flat=True))
bodies = [re.sub(r"\\\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), b) for b in bodies]
texts += [w for b in bodies for w in re.findall(r"[^\\W\\d_]+", b) if not w.isascii()]
print(" ".join(sorted({w.lower() for t in texts for w in re.findall(r"[^\\W\\d_]+", t)})))
"""
    return set(shell(server_env, code).split())


def demo_names(server_env):
    """The words of the demo's groups, workflows and tasks: the demo names them in the
    server's language (Kazakh), so they are no English, but Kazakh on a Russian screen."""
    code = """
import re
from django.contrib.auth.models import Group
from wagtail.models import Task, Workflow
names = [o.name for m in (Group, Workflow, Task) for o in m.objects.all()]
print(" ".join(sorted({w.lower() for n in names for w in re.findall(r"[^\\W\\d_]+", n)})))
"""
    return set(shell(server_env, code).split())


class Walk:
    """Collects the visible text of each screen of one admin user's walk."""

    def __init__(self, page, allowed):
        self.page = page
        self.allowed = {word.lower() for word in allowed}
        self.texts = {}

    def collect(self, screen):
        self.page.wait_for_load_state("load")
        try:  # best effort: the preview panel and autosave may keep the network busy
            self.page.wait_for_load_state("networkidle", timeout=5_000)
        except PlaywrightTimeout:
            pass
        self.texts[screen] = self.page.evaluate(COLLECT_TEXT)
        return self.texts[screen]

    def english(self):
        """``{screen: {word: line}}`` of the English words outside the allow-list."""
        found = {}
        for screen, text in self.texts.items():
            not_ours = {
                word.lower() for key, words in NOT_OURS.items() if key in screen for word in words
            }
            for line in text.splitlines():
                for word in ENGLISH_WORD.findall(BRAND_PHRASES.sub(" ", URL.sub(" ", line))):
                    bare = word.strip("'’")
                    if len(bare) < 2 or bare.lower() in self.allowed | not_ours:
                        continue
                    found.setdefault(screen, {}).setdefault(bare, line.strip()[:120])
        return found

    def kazakh(self):
        """``{screen: {word: line}}``: Kazakh words that are not the site's content (a
        Russian admin falls back to Kazakh, the server's language, for a msgid Russian
        lacks)."""
        found = {}
        for screen, text in self.texts.items():
            for line in text.splitlines():
                for word in KAZAKH_WORD.findall(URL.sub(" ", line)):
                    if word.lower() not in self.allowed:
                        found.setdefault(screen, {}).setdefault(word, line.strip()[:120])
        return found


def close_modal(page):
    page.locator(".modal-content:visible [data-dismiss=modal]").first.click()
    expect(page.locator(".modal-content:visible")).to_have_count(0)


def walk_menus(page, live_url, walk):
    """Open every sidebar menu and submenu, the page explorer panel and the account menu;
    return every admin URL they link to."""
    page.goto(f"{live_url}/admin/")
    links = set()
    triggers = page.locator(".sidebar-sub-menu-item > button.sidebar-menu-item__link")
    for position in range(triggers.count()):
        trigger = triggers.nth(position)
        trigger.click()
        panel = page.locator(".sidebar-sub-menu-panel").nth(position)
        expect(panel).to_be_visible()
        walk.collect(f"menu {position + 1}: {trigger.inner_text().strip()}")
        links.update(panel.locator("a[href^='/admin/']").evaluate_all("a => a.map(x => x.href)"))
        trigger.click()  # closes it
    page.locator(".sidebar-page-explorer-item > button").click()
    expect(page.locator(".c-page-explorer").first).to_be_visible()
    walk.collect("menu: page explorer panel")
    page.keyboard.press("Escape")
    page.goto(f"{live_url}/admin/")
    page.locator(".sidebar-footer__account-toggle").click()
    expect(
        page.locator(".sidebar-footer__account + *, .sidebar-footer--open").first
    ).to_be_visible()
    walk.collect("menu: account")
    links.update(
        page.locator(".sidebar-footer a[href^='/admin/']").evaluate_all("a => a.map(x => x.href)")
    )
    return sorted(link for link in links if "/logout" not in link)


def walk_admin(page, live_url, server_env, username, allowed, language="kk"):
    """The editor's and the translator's screens; returns the Walk with their texts."""
    walk = Walk(page, allowed)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    article = page_id(server_env, ARTICLE_SLUG, "kk")
    index = page_id(server_env, "zhanalyqtar", "kk")
    # The login page, in the language the browser asks for (nobody is logged in yet).
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"{live_url}/admin/login/")
    walk.collect("login")
    login(page, live_url, username, PASSWORD)

    page.goto(f"{live_url}/admin/")
    walk.collect("dashboard")
    for link in walk_menus(page, live_url, walk):
        page.goto(link)
        walk.collect(f"linked: {link.removeprefix(live_url)}")
    page.goto(f"{live_url}/admin/pages/")
    walk.collect("explorer root")
    page.goto(f"{live_url}/admin/pages/search/?q=жаңа")
    walk.collect("admin search: pages")
    page.goto(f"{live_url}/admin/pages/{index}/")
    walk.collect("page explorer")

    # The page editor: Content tab, the StreamField menu, choosers, Promote tab, panels.
    page.goto(f"{live_url}/admin/pages/{article}/edit/")
    expect(
        page.locator("[data-contentpath=body] .public-DraftEditor-content").first
    ).to_be_visible()
    walk.collect("editor: content")
    # Draftail's toolbar (its strings are JavaScript ones) and the date picker.
    page.locator("[data-contentpath=body] .public-DraftEditor-content").first.click(click_count=3)
    expect(page.locator(".Draftail-FloatingToolbar").first).to_be_visible()
    walk.collect("editor: Draftail toolbar")
    page.click("#id_date")
    expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()
    walk.collect("editor: date picker")
    page.keyboard.press("Escape")
    page.locator("#id_title").click()  # closes the date picker
    page.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
    menu = page.locator("[role=listbox]:visible, .w-combobox:visible").first
    expect(menu).to_be_visible()
    walk.collect("editor: StreamField block menu")
    page.keyboard.press("Escape")

    image_field = page.locator("[data-contentpath=image]")
    image_field.locator(".chosen button.w-dropdown__toggle").click()
    expect(image_field.locator("button[data-chooser-action-choose]:visible")).to_be_visible()
    walk.collect("editor: image actions")
    image_field.locator("button[data-chooser-action-choose]:visible").click()
    expect(page.locator(".modal-content a.image-choice").first).to_be_visible()
    walk.collect("editor: image chooser")
    close_modal(page)

    page.locator("footer .w-dropdown__toggle").click()
    expect(page.locator("button[name=action-publish]")).to_be_visible()
    walk.collect("editor: publish menu")
    page.keyboard.press("Escape")

    page.click("button[data-side-panel-toggle=status]")
    expect(page.locator("[data-side-panel=status]")).to_be_visible()
    walk.collect("editor: status panel")
    page.locator("[data-side-panel=status] button[data-a11y-dialog-show]").first.click()
    expect(page.locator("#schedule-publishing-dialog")).to_be_visible()
    walk.collect("editor: schedule dialog")
    page.keyboard.press("Escape")

    for panel in ("checks", "comments", "preview"):
        toggle = page.locator(f"button[data-side-panel-toggle={panel}]")
        if toggle.count():
            toggle.click()
            expect(page.locator(f"[data-side-panel={panel}]")).to_be_visible()
            if panel == "preview":
                preview = page.frame_locator("#w-preview-iframe")
                expect(preview.locator(".article__title")).to_be_visible()
            walk.collect(f"editor: {panel} panel")
    if username == "redaktor":
        screenshot(page, "admin-kk-editor")
    page.get_by_role("tab", name=re.compile(".")).nth(1).click()  # Promote
    walk.collect("editor: promote tab")
    page.get_by_role("tab", name=re.compile(".")).first.click()  # back to Content
    # Autosave: an edit is saved on its own, and the editor says so.
    page.locator("#id_lead").press("End")
    page.keyboard.type(" ")
    saved = page.locator("#w-autosave-indicator .w-autosave-indicator__state--saved")
    expect(saved).to_be_visible()
    walk.collect("editor: autosave")
    # Last: an empty topic form left behind would stop the preview (a validation error).
    page.click("#id_topic_links-ADD")
    page.locator("[id^=inline_child_topic_links-] button.chooser__choose-button").last.click()
    expect(page.locator(".modal-content table").first).to_be_visible()
    walk.collect("editor: topic chooser")
    close_modal(page)

    page.goto(f"{live_url}/admin/pages/{article}/history/")
    walk.collect("history")
    page.goto(f"{live_url}/admin/snippets/")
    walk.collect("snippets")
    page.goto(f"{live_url}/admin/snippets/news/newstopic/")
    walk.collect("snippets: topics")
    page.goto(f"{live_url}/admin/images/")
    walk.collect("images")
    page.locator("a[href*='/admin/images/'][href$='/']").filter(
        has=page.locator("img")
    ).first.click()
    walk.collect("image edit")
    page.goto(f"{live_url}/admin/documents/")
    walk.collect("documents")
    for name, path in (
        ("reports: translation coverage", "/admin/reports/translation-coverage/"),
        ("reports: site history", "/admin/reports/site-history/"),
        ("reports: locked pages", "/admin/reports/locked/"),
        ("reports: aging pages", "/admin/reports/aging-pages/"),
    ):
        page.goto(f"{live_url}{path}")
        walk.collect(name)

    # The translator: wagtail-localize's "Translate" form, then its translation editor.
    page.goto(f"{live_url}/admin/localize/submit/page/{article}/")
    walk.collect("localize: translate form")
    translation = int(
        shell(
            server_env,
            "from wagtail.models import Locale, Page; "
            "from wagtail_localize.models import Translation; "
            f"source = Page.objects.get(slug={TRANSLATED_SLUG!r}, locale__language_code='kk'); "
            "assert Translation.objects.filter(source__object_id=source.translation_key,"
            " target_locale__language_code='ru').exists(); "
            "print(source.get_translation(Locale.objects.get(language_code='ru')).pk)",
        )
    )
    page.goto(f"{live_url}/admin/pages/{translation}/edit/")
    expect(page.locator(".js-translation-editor li").first).to_be_visible()
    walk.collect("localize: translation editor")
    if username == "redaktor":
        screenshot(page, "admin-kk-translation-editor")

    page.goto(f"{live_url}/admin/account/")
    walk.collect("account settings")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".messages .success, .messages li").first).to_be_visible()
    walk.collect("account settings: saved")
    page.goto(f"{live_url}/admin/")
    if username == "redaktor":
        screenshot(page, "admin-kk-dashboard")
    return walk


@pytest.fixture(scope="module")
def admin_users(server_env):
    """Two editors (superusers) whose admin language is Kazakh and Russian."""
    shell(
        server_env,
        "from django.contrib.auth import get_user_model\n"
        "from wagtail.users.models import UserProfile\n"
        "User = get_user_model()\n"
        "for name, language in (('redaktor', 'kk'), ('redaktor_ru', 'ru')):\n"
        "    user = User.objects.filter(username=name).first() or User.objects.create_superuser("
        f"name, name + '@example.com', {PASSWORD!r})\n"
        "    user.first_name, user.last_name = 'Дина', 'Серікова'\n"
        "    user.save()\n"
        "    profile = UserProfile.get_for_user(user)\n"
        "    profile.preferred_language = language\n"
        "    profile.save()\n"
        "print('ok')",
    )
    return {"kk": "redaktor", "ru": "redaktor_ru"}


def report(found):
    return "\n".join(
        f"  {screen}: " + ", ".join(f"{word!r} in {line!r}" for word, line in words.items())
        for screen, words in found.items()
    )


def test_kazakh_admin_has_no_english(page, live_url, server_env, admin_users):
    allowed = BRANDS | LANGUAGE_NAMES | content_words(server_env)
    walk = walk_admin(page, live_url, server_env, admin_users["kk"], allowed)
    assert len(walk.texts) >= 45, sorted(walk.texts)
    for screen in ("login", "explorer root", "admin search: pages", "account settings: saved"):
        assert screen in walk.texts
    assert any("/admin/locales/" in screen for screen in walk.texts), sorted(walk.texts)
    assert any("/admin/users/" in screen for screen in walk.texts), sorted(walk.texts)
    assert any("/admin/reports/" in screen for screen in walk.texts), sorted(walk.texts)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    found = walk.english()
    assert not found, "English in the Kazakh admin:\n" + report(found)
    for screen, texts in KAZAKH_EXPECTED.items():
        for text in texts:
            assert text in walk.texts[screen], f"{screen}: no {text!r}"


def test_russian_admin_has_no_english(page, live_url, server_env, admin_users):
    allowed = BRANDS | content_words(server_env)
    walk = walk_admin(
        page, live_url, server_env, admin_users["ru"], allowed | LANGUAGE_NAMES, language="ru"
    )
    assert len(walk.texts) >= 45, sorted(walk.texts)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    found = walk.english()
    assert not found, "English in the Russian admin:\n" + report(found)
    walk.allowed |= demo_names(server_env)  # the demo's groups and workflow: named in kk
    found = walk.kazakh()
    assert not found, "Kazakh in the Russian admin:\n" + report(found)
