"""The search results page at 375 and 1280 px: each highlighted excerpt sits in its card.

Before, the excerpt followed the card inside the list item while the card took the item's
whole height (``.news-card { height: 100% }``): at 1280 px the excerpts ran out of their
cards over the next row and the footer, and at 375 px the first one was hidden under the
next card.
"""

import pytest

pytestmark = pytest.mark.e2e

QUERY = "Жапонияға"  # the README's example: several Kazakh stories match


def boxes(page):
    """(card box, excerpt box, excerpt visible) for every result."""
    results = []
    items = page.locator(".search-results .card-list > li")
    for index in range(items.count()):
        item = items.nth(index)
        card = item.locator(".news-card")
        excerpt = item.locator(".search-result__snippet")
        assert excerpt.count() == 1, f"result {index} has no excerpt"
        excerpt.scroll_into_view_if_needed()
        results.append((card.bounding_box(), excerpt.bounding_box(), excerpt.is_visible()))
    return results


def element_at_excerpt_centre(page, index):
    """Whether the excerpt of result ``index`` is what the reader sees at its centre."""
    return page.evaluate(
        """(index) => {
            const excerpt = document.querySelectorAll('.search-result__snippet')[index];
            excerpt.scrollIntoView({block: 'center', behavior: 'instant'});
            const box = excerpt.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return excerpt === hit || excerpt.contains(hit);
        }""",
        index,
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_each_excerpt_is_inside_its_card_and_visible(page, live_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_url}/kk/search/?q={QUERY}")
    results = boxes(page)
    assert len(results) >= 2, "the demo should find several stories"
    for index, (card, excerpt, visible) in enumerate(results):
        assert visible, f"result {index}: excerpt hidden at {width}px"
        assert excerpt["height"] > 0 and excerpt["width"] > 0
        # Inside the card's border box (a pixel of rounding allowed).
        assert card["x"] - 1 <= excerpt["x"], (index, card, excerpt)
        assert excerpt["x"] + excerpt["width"] <= card["x"] + card["width"] + 1, (
            index,
            card,
            excerpt,
        )
        assert card["y"] - 1 <= excerpt["y"], (index, card, excerpt)
        assert excerpt["y"] + excerpt["height"] <= card["y"] + card["height"] + 1, (
            index,
            card,
            excerpt,
        )
        # Nothing (the next card, the footer) is drawn over it.
        assert element_at_excerpt_centre(page, index), f"result {index}: excerpt covered"
