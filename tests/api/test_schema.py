"""The OpenAPI schema is valid, and answers to requests generated from it keep to it."""

import json

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import get_json, make_image, make_news, translate
from tests.factories import AuthorFactory, NewsTopicFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def load_schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_and_complete(client, db):
    spec = load_schema(client)
    validate(spec)
    paths = spec["paths"]
    assert set(paths) == {
        "/api/v1/locales/",
        "/api/v1/authors/",
        "/api/v1/authors/{id}/",
        "/api/v1/news/",
        "/api/v1/news/{id}/",
        "/api/v1/news/{id}/other/",
        "/api/v1/news/{id}/updates/",
        "/api/v1/resolve/",
        "/api/v1/preview/",
        "/api/v1/topics/",
        "/api/v1/corrections/",
        "/api/v1/search/",
        "/api/v1/search/suggest/",
    }
    list_op = paths["/api/v1/news/"]["get"]
    assert {p["name"] for p in list_op["parameters"]} == {
        "locale", "Accept-Language", "page", "page_size", "topic", "date_from", "date_to", "q",
        "fallback", "If-None-Match", "If-Modified-Since",
    }  # fmt: skip
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert "200" in responses and "429" in responses and "405" in responses, path
        for status, response in responses.items():
            if status not in ("200", "304"):
                assert response["content"] == {"application/problem+json": {"schema": problem}}
    assert set(spec["components"]["schemas"]["Problem"]["properties"]) == {
        "type", "title", "status", "detail", "errors",
    }  # fmt: skip


def test_documented_limits_are_the_enforced_ones(client, site_tree):
    """One serializer documents and checks each query parameter: the schema's bounds hold."""
    _home, index = site_tree
    make_news(index, "Жалғыз")
    spec = load_schema(client)
    checked = set()
    for path in ("/api/v1/news/", "/api/v1/search/suggest/"):
        url = path
        for parameter in spec["paths"][path]["get"]["parameters"]:
            name, schema = parameter["name"], parameter["schema"]
            if "maximum" in schema:
                ok = client.get(url, {name: schema["maximum"] if name != "page" else 1})
                assert ok.status_code == 200, (path, name, ok.content[:300])
                for bad in (schema["maximum"] + 1, schema["minimum"] - 1):
                    response = client.get(url, {name: bad})
                    assert response.status_code == 400, (path, name, bad)
                    assert [e["parameter"] for e in response.json()["errors"]] == [name]
                checked.add((path, name))
            if "maxLength" in schema:
                response = client.get(url, {name: "ж" * (schema["maxLength"] + 1)})
                assert [e["parameter"] for e in response.json()["errors"]] == [name]
                checked.add((path, name))
            if "enum" in schema:
                assert schema["enum"] == ["kk", "kk-Latn", "ru", "en"]
                response = client.get(url, {name: "xx"})
                assert [e["parameter"] for e in response.json()["errors"]] == [name]
    assert {
        ("/api/v1/news/", "page"), ("/api/v1/news/", "page_size"), ("/api/v1/news/", "q"),
        ("/api/v1/news/", "topic"), ("/api/v1/search/suggest/", "limit"),
        ("/api/v1/search/suggest/", "q"),
    } <= checked  # fmt: skip


def test_docs_are_served_offline(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    # No inline script: the start-up code is a script of its own, allowed by script-src 'self'.
    assert "<script>" not in html
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
    # Shipped by drf-spectacular-sidecar, collected and served locally.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    redoc = client.get("/api/v1/redoc/")
    assert redoc.status_code == 200
    assert "worker-src 'self' blob:" in redoc["Content-Security-Policy"]


@pytest.fixture
def world(ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    image = make_image("Сурет")
    reporter = AuthorFactory(name="Тілші", slug="tilshi", image=image)
    translate(reporter, "ru")
    first = make_news(
        index, "Бірінші", slug="birinshi", topics=[topic], image=image, authors=[reporter]
    )
    translate(first, "ru", strings={"birinshi": "pervaya"})
    make_news(
        index,
        "Екінші",
        slug="ekinshi",
        related=[first],
        body=[
            ("heading", {"text": "Т", "level": "h2"}),
            ("paragraph", f'<p><a linktype="page" id="{first.pk}">x</a></p>'),
            ("image", {"image": image, "caption": "", "credit": ""}),
            ("embed", "https://example.com/v"),
        ],
    )
    return index


def test_generated_requests_keep_to_the_schema(client, world):
    get_json(client, "/api/v1/news/?locale=ru")  # renditions made before the run
    spec = load_schema(client)
    app = WSGIHandler()
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    # The WSGI handler would close the test's database connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 13
        seen = []
        for operation in operations:
            check = _checker(operation, seen)
            check()
        statuses = {status for _path, status in seen}
        assert {200, 400, 404} <= statuses
        assert len({path for path, _status in seen}) == 13
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _checker(operation, seen):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        seen.append((operation.path, response.status_code))

    return check
