"""API bylines: `authors` on news items, /api/v1/authors/ and /api/v1/authors/{id}/."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from news.renditions import RENDITIONS
from tests.api.conftest import dated, get_json, make_image, make_news, translate
from tests.factories import AuthorFactory


def renditions(image):
    out = {}
    for name, spec in RENDITIONS.items():
        rendition = image.get_rendition(spec)
        out[name] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return out


def author_path(slug, language):
    with translation.override(language):
        return reverse("news_author", kwargs={"slug": slug})


def reporters(photo=None):
    """A Kazakh reporter translated into Russian, and one only in Kazakh."""
    aigul = AuthorFactory(name="Айгүл Сейітова", slug="aigul", role="Тілші", image=photo)
    ru = translate(
        aigul, "ru", strings={"Айгүл Сейітова": "Айгуль Сеитова", "Тілші": "Корреспондент"}
    )
    marat = AuthorFactory(name="Марат Оспанов", slug="marat", role="Фототілші")
    return aigul, ru, marat


def test_news_item_authors_exact_json(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    photo = make_image("Портрет", width=200, height=200)
    aigul, aigul_ru, marat = reporters(photo)
    story = make_news(
        index, "Жаңалық", slug="zhanalyq", authors=[aigul, marat], byline="ҚазАқпарат"
    )

    item = get_json(client, "/api/v1/news/?locale=ru")["results"][0]
    assert item["id"] == story.pk
    assert item["byline"] == "ҚазАқпарат"
    assert item["authors"] == [
        {
            "id": aigul_ru.pk,
            "translation_key": str(aigul.translation_key),
            "locale": "ru",
            "is_fallback": False,
            "name": "Айгуль Сеитова",
            "slug": "aigul",
            "role": "Корреспондент",
            "url": author_path("aigul", "ru"),
            "api_url": f"http://testserver/api/v1/authors/{aigul_ru.pk}/?locale=ru",
            "image": {
                "id": photo.pk,
                "alt": "Портрет",
                "width": 200,
                "height": 200,
                "renditions": renditions(photo),
                "rights": None,
            },
        },
        {
            "id": marat.pk,
            "translation_key": str(marat.translation_key),
            "locale": "kk",
            "is_fallback": True,
            "name": "Марат Оспанов",
            "slug": "marat",
            "role": "Фототілші",
            "url": author_path("marat", "ru"),
            "api_url": f"http://testserver/api/v1/authors/{marat.pk}/?locale=ru",
            "image": None,
        },
    ]
    assert client.get(item["authors"][0]["url"]).status_code == 200
    # The detail carries the same authors, in the editor's order.
    detail = get_json(client, f"/api/v1/news/{story.pk}/?locale=kk")
    assert [(a["name"], a["is_fallback"]) for a in detail["authors"]] == [
        ("Айгүл Сейітова", False),
        ("Марат Оспанов", False),
    ]


def test_authors_list_and_detail_with_fallback(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    aigul, aigul_ru, marat = reporters()
    first = make_news(index, "Бірінші", slug="birinshi", date=dated(1), authors=[aigul])
    translate(first, "ru", strings={"Бірінші": "Первая", "birinshi": "pervaya"})
    make_news(index, "Екінші", slug="ekinshi", date=dated(2), authors=[aigul, marat])
    make_news(index, "Жоба", slug="zhoba", date=dated(3), authors=[aigul], publish=False)

    listing = get_json(client, "/api/v1/authors/?locale=ru")
    assert listing["count"] == 2 and listing["next"] is None
    assert [(a["id"], a["name"], a["is_fallback"]) for a in listing["results"]] == [
        (aigul_ru.pk, "Айгуль Сеитова", False),
        (marat.pk, "Марат Оспанов", True),
    ]

    # Any version's id answers the author in the requested language.
    detail = get_json(client, f"/api/v1/authors/{aigul.pk}/?locale=ru")
    assert (detail["id"], detail["name"], detail["locale"]) == (aigul_ru.pk, "Айгуль Сеитова", "ru")
    assert set(detail) == {
        "id", "translation_key", "locale", "is_fallback", "name", "slug", "role", "url",
        "api_url", "image", "bio", "links", "news",
    }  # fmt: skip
    news = detail["news"]
    assert news["count"] == 2  # never the draft
    assert [(n["title"], n["is_fallback"]) for n in news["results"]] == [
        ("Екінші", True),
        ("Первая", False),
    ]
    paged = get_json(client, f"/api/v1/authors/{aigul.pk}/?locale=ru&page_size=1")
    assert paged["news"]["count"] == 2 and "page=2" in paged["news"]["next"]


def test_authors_bad_input_is_problem_json(client, ru_site):
    aigul, _aigul_ru, _marat = reporters()
    for url, status in [
        ("/api/v1/authors/?locale=xx", 400),
        ("/api/v1/authors/?page=abc", 400),
        ("/api/v1/authors/?page_size=1000", 400),
        (f"/api/v1/authors/{aigul.pk}/?page=0", 400),
        ("/api/v1/authors/999999/", 404),
        ("/api/v1/authors/99999999999999999999999/", 404),
        ("/api/v1/authors/?page=5", 400),
    ]:
        response = client.get(url)
        assert response.status_code == status, (url, response.content[:200])
        assert response["Content-Type"].startswith("application/problem+json"), url


def count_queries(client, url):
    client.get(url)  # warm-up: renditions, site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_constant_queries_at_1_and_20_stories(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    photo = make_image("Портрет", width=200, height=200)
    team = [AuthorFactory(image=photo) for _ in range(3)]
    for author in team[:2]:
        translate(author, "ru")
    image = make_image("Сурет")

    def grow(target, stories):
        while len(stories) < target:
            n = len(stories)
            story = make_news(
                index, f"Ж {n}", slug=f"s-{n}", date=dated(n), image=image, authors=team[n % 2 :]
            )
            if n % 3 == 0:
                translate(story, "ru", strings={f"s-{n}": f"ru-s-{n}"})
            stories.append(story)

    stories = []
    measured = {}
    for size in (1, 20):
        grow(size, stories)
        measured[size] = {
            "list": count_queries(client, f"/api/v1/news/?locale=ru&page_size={size}"),
            "detail": count_queries(client, f"/api/v1/news/{stories[0].pk}/?locale=ru"),
            "authors": count_queries(client, "/api/v1/authors/?locale=ru"),
            "author": count_queries(
                client, f"/api/v1/authors/{team[0].pk}/?locale=ru&page_size={size}"
            ),
        }
    print("SQL queries per request:", measured)
    assert measured[1] == measured[20]
