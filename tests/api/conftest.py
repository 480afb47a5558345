import datetime

import pytest

from news.models import NewsTopic
from tests.factories import NewsTopicFactory, make_image, make_news, translate


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # The response cache (issue 7) would answer repeated requests without the view;
    # these tests exercise the views themselves.
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""


@pytest.fixture
def topic(site_tree):
    """A Kazakh topic with its Russian translation (through wagtail-localize)."""
    kk = NewsTopicFactory(name="Экономика", slug="ekonomika")
    translate(kk, "ru", strings={"Экономика": "Экономика RU", "ekonomika": "ekonomika-ru"})
    return kk


def dated(days):
    return datetime.date(2024, 5, 1) + datetime.timedelta(days=days)


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response.json()


__all__ = ["NewsTopic", "dated", "get_json", "make_image", "make_news", "translate"]
