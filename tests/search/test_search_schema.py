"""The search endpoints' OpenAPI description is valid and every generated request keeps to it."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from search import api_urls
from tests.factories import make_news, translate

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def search_schema():
    patterns = [path("api/v1/search/", include((api_urls.urlpatterns, "search_api")))]
    return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)


@pytest.fixture(autouse=True)
def _no_cache_no_throttle(settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""


def test_search_schema_is_valid_and_complete(db):
    spec = search_schema()
    validate(spec)
    assert set(spec["paths"]) == {"/api/v1/search/", "/api/v1/search/suggest/"}
    search = spec["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in search["parameters"]} == {
        "locale", "Accept-Language", "q", "page", "page_size", "topic", "date_from", "date_to",
        "fallback", "If-None-Match", "If-Modified-Since",
    }  # fmt: skip
    assert {"200", "400", "405", "429"} <= set(search["responses"])
    assert set(search["responses"]["400"]["content"]) == {"application/problem+json"}
    item = spec["components"]["schemas"]["SearchItem"]
    assert "snippet" in item["properties"] and "is_fallback" in item["properties"]


def test_generated_requests_keep_to_the_schema(db, site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    story = make_news(index, "Жапония елшісі", lead="Жапонияның елшісі")
    translate(story, "ru")
    make_news(index, "Toyota орталығы")
    schema = schemathesis.openapi.from_dict(search_schema())
    schema.app = WSGIHandler()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    seen = []
    try:
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 2
        for operation in operations:
            _checker(operation, seen)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert {status for _path, status in seen} >= {200, 400}


def _checker(operation, seen):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        seen.append((operation.path, response.status_code))

    return check
