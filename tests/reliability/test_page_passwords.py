"""Page passwords go through the login lockout, per page and per address (issue 27, #6)."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import make_news

PASSWORD = "дұрыс-құпия"  # noqa: S105 - a test fixture


@pytest.fixture
def locked_pages(site_tree):
    _home, index = site_tree
    pages = [make_news(index, f"Жабық {n}", slug=f"closed-{n}") for n in (1, 2)]
    restrictions = [
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
        )
        for page in pages
    ]
    return list(zip(pages, restrictions, strict=True))


def guess(client, page, restriction, password, address="10.1.1.1"):
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


def test_wrong_page_passwords_are_locked_out_per_address_and_per_page(
    client, locked_pages, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    (page, restriction), (other, other_restriction) = locked_pages
    assert guess(client, page, restriction, PASSWORD).status_code == 302  # the form works
    for n in range(limit):
        response = guess(client, page, restriction, f"guess-{n}")
        assert response.status_code in (200, 429)
    # Locked: even the right password from that address is refused, with Retry-After.
    response = guess(client, page, restriction, PASSWORD)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Per page: the same page from another address is locked too ...
    assert guess(client, page, restriction, PASSWORD, address="10.2.2.2").status_code == 429
    # ... and per address: another page from the guessing address is locked.
    assert guess(client, other, other_restriction, PASSWORD).status_code == 429
    # Another page from another address still opens.
    response = guess(client, other, other_restriction, PASSWORD, address="10.3.3.3")
    assert response.status_code == 302
