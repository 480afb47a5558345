"""Real answers of every endpoint, errors and 304s included, validate against the published
schema (openapi-core), and the schema says what generators need (nullable references,
the discriminated ``Resolve``, enums, response headers, servers, the release)."""

import datetime
import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

import news
from news import previews
from tests.api.conftest import make_image, make_news, translate
from tests.factories import AuthorFactory, NewsTopicFactory

CORRECTED = datetime.datetime(2024, 5, 8, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def spec(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def world(ru_site):
    home, index, _ru_home, _ru_index = ru_site
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    translate(topic, "ru", strings={"Саясат": "Политика", "sayasat": "politika"})
    image = make_image("Сурет")
    with_photo = AuthorFactory(name="Тілші", slug="tilshi", image=image)
    translate(with_photo, "ru")
    without_photo = AuthorFactory(name="Фотосыз", slug="fotosyz")  # image: null
    first = make_news(
        index,
        "Бірінші",
        slug="birinshi",
        topics=[topic],
        image=image,
        authors=[with_photo, without_photo],
        notes=[("note", {"kind": "correction", "at": CORRECTED, "text": "Күні түзетілді."})],
    )
    translate(first, "ru", strings={"birinshi": "pervaya"})
    second = make_news(
        index,
        "Екінші",
        slug="ekinshi",
        related=[first],
        authors=[without_photo],
        body=[
            ("heading", {"text": "Т", "level": "h3"}),
            ("paragraph", f'<p><a linktype="page" id="{first.pk}">x</a></p>'),
            ("quote", {"text": "Сөз", "attribution": "Біреу", "role": "", "source_url": ""}),
            ("image", {"image": image, "caption": "", "credit": ""}),
            ("embed", "https://example.com/v"),
        ],
    )
    live_blog = make_news(
        index,
        "Тікелей",
        slug="tikelei",
        live_status="live",
        entries=[
            ("entry", {"headline": "Жазба", "authors": [with_photo], "key_event": True}),
            ("entry", {"headline": "Бірінші жазба", "body": [("paragraph", "<p>Мәтін</p>")]}),
        ],
    )
    translate(live_blog, "ru", leave=("Жазба",))
    return {
        "home": home,
        "first": first,
        "second": second,
        "author": without_photo,
        "live": live_blog,
    }


def answers(world):
    """Every endpoint's 200s and its error cases: ``[(url, status, headers)]``."""
    first, second, author = world["first"], world["second"], world["author"]
    live_blog = world["live"]
    draft = second.get_latest_revision_as_object()
    draft.lead = "Жоба"
    draft.save_revision()
    token = previews.make_token(draft)
    return [
        ("/api/v1/locales/", 200, {}),
        ("/api/v1/news/?locale=ru", 200, {}),
        ("/api/v1/news/?locale=en&page_size=1&page=2", 200, {}),
        ("/api/v1/news/?q=Екінші", 200, {}),
        ("/api/v1/news/?page=abc&locale=xx", 400, {}),
        ("/api/v1/news/?page=999", 400, {}),
        (f"/api/v1/news/{second.pk}/?locale=ru", 200, {}),
        (f"/api/v1/news/{first.pk}/?locale=ru", 200, {}),
        ("/api/v1/news/999999/", 404, {}),
        (f"/api/v1/news/{live_blog.pk}/?locale=ru", 200, {}),
        (f"/api/v1/news/{live_blog.pk}/updates/?locale=ru", 200, {}),
        (f"/api/v1/news/{live_blog.pk}/updates/?since=djE6MQ", 200, {}),
        (f"/api/v1/news/{live_blog.pk}/updates/?since=bad", 400, {}),
        (f"/api/v1/news/{first.pk}/updates/", 404, {}),
        (f"/api/v1/news/{second.pk}/other/?locale=ru", 200, {}),
        (f"/api/v1/news/{second.pk}/other/?limit=99", 400, {}),
        ("/api/v1/authors/?locale=ru", 200, {}),
        (f"/api/v1/authors/{author.pk}/", 200, {}),
        ("/api/v1/authors/999999/", 404, {}),
        ("/api/v1/topics/?locale=ru", 200, {}),
        ("/api/v1/topics/?locale=xx", 400, {}),
        ("/api/v1/corrections/?locale=ru", 200, {}),
        ("/api/v1/corrections/?page=5", 400, {}),
        ("/api/v1/resolve/?path=/kk/", 200, {}),
        ("/api/v1/resolve/?path=/ru/novosti/", 200, {}),
        ("/api/v1/resolve/?path=/ru/novosti/pervaya/", 200, {}),
        (f"/api/v1/resolve/?path=/ru/novosti/{second.slug}/", 200, {}),
        ("/api/v1/resolve/?path=/kk/joq/", 404, {}),
        ("/api/v1/resolve/", 400, {}),
        (f"/api/v1/preview/?token={token}", 200, {}),
        ("/api/v1/preview/?token=forged", 400, {}),
        ("/api/v1/search/?q=Бірінші&locale=ru", 200, {}),
        ("/api/v1/search/", 200, {}),
        ("/api/v1/search/suggest/?q=Бір", 200, {}),
        ("/api/v1/search/suggest/?limit=0", 400, {}),
        ("/api/v1/news/", 406, {"HTTP_ACCEPT": "text/html"}),
    ]


def test_every_answer_validates_against_the_schema(client, world, spec, settings):
    settings.NEWSDESK_RESPONSE_CACHE = True  # the real headers and 304s
    # problem+json is JSON (openapi-core only knows application/json by name).
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    openapi = OpenAPI.from_dict(spec, config=config)
    seen = set()
    for url, status, headers in answers(world):
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.content[:300])
        validate(openapi, response)
        seen.add((response.wsgi_request.path, status))
        if status == 200:
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)
            assert again.status_code == 304, url
            validate(openapi, again)
            seen.add((response.wsgi_request.path, 304))
    # A method the API does not allow: a documented problem too.
    response = client.post("/api/v1/news/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    documented = {path.replace("{id}", "") for path in spec["paths"]}
    answered = {_template(path) for path, _status in seen}
    assert documented == answered, documented ^ answered
    assert {200, 304, 400, 404, 406} <= {status for _path, status in seen}


def validate(openapi, response):
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


def _template(path):
    return "/".join("" if part.isdigit() else part for part in path.split("/"))


def test_the_schema_says_what_generators_need(spec):
    schemas = spec["components"]["schemas"]
    assert spec["openapi"].startswith("3.1")
    # A nullable reference is a union with null, not allOf + nullable without a type.
    assert schemas["Author"]["properties"]["image"] == {
        "oneOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]
    }
    resolve = schemas["Resolve"]
    assert resolve["discriminator"] == {
        "propertyName": "type",
        "mapping": {
            "news": "#/components/schemas/ResolveNews",
            "home": "#/components/schemas/ResolvePage",
            "index": "#/components/schemas/ResolvePage",
        },
    }
    assert schemas["ResolveNews"]["properties"]["item"] == {
        "$ref": "#/components/schemas/NewsDetail"
    }
    # kk-Latn: the Kazakh answers in Latin letters, where the site serves the edition.
    assert schemas["LocaleCode"]["enum"] == ["kk", "kk-Latn", "ru", "en"]
    locale = schemas["NewsSummary"]["properties"]["locale"]
    assert locale["allOf"] == [{"$ref": "#/components/schemas/LocaleCode"}]
    assert schemas["HeadingLevel"]["enum"] == [2, 3, 4]
    assert spec["info"]["title"] == "Newsdesk API"
    assert spec["info"]["version"] == news.__version__
    assert spec["servers"] == [{"url": "http://testserver/", "description": "This Newsdesk site."}]
    detail = spec["paths"]["/api/v1/news/{id}/"]["get"]
    assert {"ETag", "Last-Modified", "Content-Language", "Cache-Control"} <= set(
        detail["responses"]["200"]["headers"]
    )
    assert "304" in detail["responses"]
    assert {"If-None-Match", "If-Modified-Since"} <= {p["name"] for p in detail["parameters"]}
