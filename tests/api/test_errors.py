"""Every bad input is a problem+json answer naming the parameter; none is a 500."""

import pytest
from django.core.cache import cache

from tests.api.conftest import dated, make_news

PROBLEM = "application/problem+json"


def problem(client, url, status, method="get", **headers):
    response = getattr(client, method)(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["type"].startswith("https://")
    return response, body


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("locale=xx", "locale"),
        ("locale=", "locale"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("page=99999999999999999999999", "page"),
        ("page=2", "page"),  # out of range: one story, one page
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=x", "page_size"),
        ("date_from=2024-13-01", "date_from"),
        ("date_from=yesterday", "date_from"),
        ("date_to=2024-02-30", "date_to"),
        ("date_from=2024-05-10&date_to=2024-05-01", "date_from"),
        ("topic=no-such-topic", "topic"),
        ("q=" + "x" * 201, "q"),
        ("fallback=maybe", "fallback"),
        ("q=%00", "q"),
    ],
)
def test_list_parameter_errors(client, site_tree, query, parameter):
    _home, index = site_tree
    make_news(index, "Жалғыз", date=dated(1))
    _response, body = problem(client, f"/api/v1/news/?{query}", 400)
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert body["errors"][0]["detail"]


def test_every_bad_parameter_is_named_at_once(client, site_tree):
    _response, body = problem(client, "/api/v1/news/?page=x&page_size=500&date_to=nope", 400)
    assert sorted(e["parameter"] for e in body["errors"]) == ["date_to", "page", "page_size"]


def test_other_and_detail_errors(client, site_tree):
    _home, index = site_tree
    story = make_news(index, "Бар")
    problem(client, f"/api/v1/news/{story.pk}/other/?limit=21", 400)
    problem(client, f"/api/v1/news/{story.pk}/other/?limit=0", 400)
    problem(client, f"/api/v1/news/{story.pk}/?locale=zz", 400)
    problem(client, "/api/v1/news/999999/", 404)
    problem(client, "/api/v1/news/999999/other/", 404)
    problem(client, "/api/v1/news/99999999999999999999999/", 404)
    problem(client, "/api/v1/resolve/", 400)
    problem(client, "/api/v1/resolve/?path=/" + "a" * 3000, 400)
    problem(client, "/api/v1/preview/", 400)
    problem(client, "/api/v1/preview/?token=forged", 400)


def test_unknown_api_urls_and_methods(client, db):
    for url in ["/api/v1/nothing/", "/api/v1/news/abc/", "/api/v1/news/1/other/more/", "/api/v1/x"]:
        problem(client, url, 404)
    # An encoded newline in the path (found by schemathesis) is no HTML 404 either.
    for url in ["/api/v1/authors/am%0A%C3%9A/", "/api/v1/news/%0A/", "/api/v1/%0A"]:
        problem(client, url, 404)
    _response, body = problem(client, "/api/v1/news/", 405, method="post")
    assert body["title"]
    problem(client, "/api/v1/news/", 405, method="delete")
    problem(client, "/api/v1/locales/", 405, method="put")
    # A missing trailing slash is redirected, not answered 404.
    response = client.get("/api/v1/news?locale=ru")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/news/?locale=ru"


def test_not_acceptable_is_problem_json(client, db):
    problem(client, "/api/v1/locales/", 406, HTTP_ACCEPT="application/xml")


def test_rate_limit_gives_429_with_retry_after(client, db, settings):
    settings.NEWSDESK_API_RATE = "3/min"
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/locales/").status_code == 200
    response, body = problem(client, "/api/v1/locales/", 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["detail"]
    # Another client has its own budget.
    assert client.get("/api/v1/locales/", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize(
    ("query", "accept_language", "language"),
    [
        ("locale=en&page=abc", "kk", "en"),
        ("locale=EN&page=abc", "ru", "en"),
        ("locale=ru&page=abc", "en", "ru"),
        ("locale=kk&page=abc", "en", "kk"),
        ("page=abc", "ru", "ru"),  # no locale: the header chooses
        ("locale=xx&page=abc", "ru", "ru"),  # a bad locale chooses nothing
    ],
)
def test_an_explicit_locale_chooses_the_language_of_errors(
    client, site_tree, query, accept_language, language
):
    from django.utils import translation

    from news.api.errors import ParameterError

    _response, body = problem(
        client, f"/api/v1/news/?{query}", 400, HTTP_ACCEPT_LANGUAGE=accept_language
    )
    with translation.override(language):
        expected = str(ParameterError.default_detail)
    assert body["detail"] == expected
    page_error = next(e for e in body["errors"] if e["parameter"] == "page")
    _response, same = problem(
        client, f"/api/v1/news/?page=abc&locale={language}", 400, HTTP_ACCEPT_LANGUAGE=language
    )
    assert page_error["detail"] == same["errors"][0]["detail"]
    # The three languages really differ (the catalogues translate the message).
    details = set()
    for code in ("kk", "ru", "en"):
        with translation.override(code):
            details.add(str(ParameterError.default_detail))
    assert len(details) == 3
