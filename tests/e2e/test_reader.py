"""The reader's journey: a Kazakh-only article under /ru/, the switcher, back-to-top, 375 px."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e

SEED = "bailanystar-men-perspektivalardy-nygaitu"
SEED_TITLE = "Байланыстар мен перспективаларды нығайту"
# The notice as a reader reads it (issue 32: Russian grammar, an English name in English).
NOTICE = {
    "ru": "Этот текст доступен только на казахском языке.",
    "en": "This story is only available in Kazakh (Қазақша).",
}
LINK_TEXT = {"ru": "на казахском языке", "en": "in Kazakh (Қазақша)"}


def visit(page, action):
    """Run ``action`` (a click or a goto) and return the main-frame document response."""
    with page.expect_navigation() as navigation:
        action()
    return navigation.value


def assert_fallback_article(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".article__content")).to_have_attribute("lang", "kk")
    expect(page.locator(".article__title")).to_have_text(SEED_TITLE)
    notice = page.locator(".notice--fallback")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("lang", language)
    expect(notice).to_have_text(NOTICE[language])
    link = notice.get_by_role("link", name=LINK_TEXT[language], exact=True)
    expect(link).to_have_attribute("hreflang", "kk")
    expect(link).to_have_attribute("href", f"/kk/zhanalyqtar/{SEED}/")
    current = page.locator(".lang-switcher__link[aria-current=page]")
    expect(current).to_have_attribute("lang", language)


def test_reader_meets_the_fallback_notice_and_switches_languages(
    page,
    live_url,
):
    statuses = []
    page.on(
        "response",
        lambda r: (
            statuses.append((r.status, r.url))
            if r.request.is_navigation_request() and r.frame == page.main_frame
            else None
        ),
    )

    response = visit(page, lambda: page.goto(f"{live_url}/ru/zhanalyqtar/{SEED}/"))
    assert response.status == 200
    assert_fallback_article(
        page,
        "ru",
    )

    # The notice's link leads to the Kazakh original.
    response = visit(page, lambda: page.locator(".notice--fallback a[hreflang=kk]").click())
    assert response.status == 200
    assert page.url == f"{live_url}/kk/zhanalyqtar/{SEED}/"
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator(".notice--fallback")).to_have_count(0)
    expect(page.locator(".article__title")).to_have_text(SEED_TITLE)

    # Around the three languages with the switcher: never a 404, never the home page.
    for language, name in (("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")):
        link = page.locator(f".lang-switcher__link[lang={language}]")
        expect(link).to_have_text(name)
        response = visit(page, link.click)
        assert response.status == 200, (language, page.url)
        assert page.url == f"{live_url}/{language}/zhanalyqtar/{SEED}/"
        if language == "kk":
            expect(page.locator(".notice--fallback")).to_have_count(0)
            expect(page.locator("html")).to_have_attribute("lang", "kk")
        else:
            assert_fallback_article(
                page,
                language,
            )

    # Every other link of the switcher on every language's page answers too.
    for language in ("kk", "ru", "en"):
        page.goto(f"{live_url}/{language}/zhanalyqtar/{SEED}/")
        hrefs = page.locator(".lang-switcher__link").evaluate_all("els => els.map(e => e.href)")
        assert len(hrefs) == 4  # kk, kk-Latn (the Latin edition, on in the reference site), ru, en
        for href in hrefs:
            assert page.request.get(href).status == 200, href

    # The Latin edition's twin of the seed article (docs/kazakh-latin.md).
    page.goto(f"{live_url}/kk/zhanalyqtar/{SEED}/")
    response = visit(page, lambda: page.locator(".lang-switcher__link[lang=kk-Latn]").click())
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", "kk-Latn")
    assert "/kk-latn/zhanalyqtar/" in page.url and page.url.isascii(), page.url
    expect(page.locator(".article__title")).to_have_text("Bailanystar men perspektivalardy nyğaitu")
    screenshot(page, "reader-latin")

    assert statuses, "no navigation recorded"
    assert all(status == 200 for status, _url in statuses), statuses


def test_back_to_top_appears_works_by_keyboard_and_returns_to_the_top(page, live_url):
    page.goto(f"{live_url}/ru/zhanalyqtar/{SEED}/")
    button = page.locator("[data-back-to-top]")
    expect(page.locator("html")).to_have_class("js")
    expect(button).to_be_hidden()  # at the top it is out of sight and out of the tab order

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 2 * 900, f"the seed article is too short to scroll ({height}px)"
    page.mouse.wheel(0, height)
    page.wait_for_function("window.scrollY > 1000")
    expect(button).to_be_visible()
    assert button.get_attribute("aria-label")

    # Keyboard: Tab from the footer's last link lands on the button; Enter takes it home.
    page.locator(".site-footer__nav a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-back-to-top')")
    page.keyboard.press("Enter")
    page.wait_for_function("window.scrollY === 0", timeout=5_000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement.id") == "top"
    expect(button).to_be_hidden()
    assert page.url.endswith(f"/{SEED}/")  # the click was handled: no #top jump in the URL


@pytest.mark.parametrize("width", [375, 1280])
def test_fallback_page_fits_the_screen(browser, live_url, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800 if width == 375 else 900},
        is_mobile=width == 375,
        has_touch=width == 375,
    )
    page = context.new_page()
    try:
        response = page.goto(f"{live_url}/ru/zhanalyqtar/{SEED}/")
        assert response.status == 200
        assert_fallback_article(
            page,
            "ru",
        )
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"horizontal overflow at {width}px: {scroll_width}px"
        expect(page.locator(".notice--fallback")).to_be_in_viewport()
        for link in page.locator(".lang-switcher__link").all():
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        # Touch targets of the switcher are big enough to hit with a thumb.
        assert page.locator(".lang-switcher__link").first.bounding_box()["height"] >= 24
        screenshot(page, "reader-mobile" if width == 375 else "reader-fallback-ru")
    finally:
        context.close()
