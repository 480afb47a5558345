"""news/i18n.py: the one best-version rule, the ``Localized`` value and the switcher."""

from types import SimpleNamespace

from news import i18n


def version(code):
    return SimpleNamespace(locale=SimpleNamespace(language_code=code), code=code)


def test_the_best_version_follows_the_fallback_chain(settings):
    settings.NEWSDESK_FALLBACKS = {"ru": ["kk", "en"], "en": ["kk", "ru"], "kk": ["ru", "en"]}
    kk, en = version("kk"), version("en")
    assert i18n.best_version({"kk": kk, "en": en}, "ru") is kk
    assert i18n.best_version([en, kk], "ru") is kk  # any order
    assert i18n.best_version([en], "en") is en
    assert i18n.best_version({}, "ru") is None


def test_a_version_outside_the_chain_is_never_chosen(settings):
    settings.NEWSDESK_FALLBACKS = {"ru": ["kk"], "en": ["kk", "ru"], "kk": ["ru", "en"]}
    assert i18n.chain_rank("en", "ru") == len(i18n.fallback_chain("ru"))
    assert i18n.best_version([version("en")], "ru") is None


def test_the_first_of_equals_wins():
    first, second = version("kk"), version("kk")
    assert i18n.best_version([first, second], "kk") is first


def test_localized_carries_the_language_the_content_is_really_in():
    page = version("kk")
    found = i18n.mark(page, "ru")
    assert (found.language, found.is_fallback) == ("kk", True)
    assert (page.content_language, page.is_fallback) == ("kk", True)
    assert found.url("/kk/zhanalyqtar/x/") == "/ru/zhanalyqtar/x/"
    own = i18n.localized(version("ru"), "ru")
    assert not own.is_fallback and own.url("/ru/novosti/x/") == "/ru/novosti/x/"
    unknown = i18n.mark(version("kk"), "ru", content_language=None)
    assert unknown.language is None and unknown.is_fallback


def test_the_switcher_has_one_link_per_language_marked_current():
    links = i18n.language_links("ru", lambda code: (f"/{code}/", code != "en"))
    assert [link["code"] for link in links] == i18n.language_codes()
    current = [link["code"] for link in links if link["is_current"]]
    assert current == ["ru"]
    assert {link["code"]: link["is_translation"] for link in links}["en"] is False
