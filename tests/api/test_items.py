"""The exact JSON of the API's items, through real wagtail-localize translations."""

from wagtail.embeds.models import Embed

from news import i18n
from news.renditions import RENDITIONS
from tests.api.conftest import dated, get_json, make_image, make_news, translate


def renditions(image):
    out = {}
    for name, spec in RENDITIONS.items():
        rendition = image.get_rendition(spec)
        out[name] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return out


def test_list_item_exact_json(client, ru_site, topic):
    _home, index, _ru_home, _ru_index = ru_site
    image = make_image("Тау", width=320, height=180)
    story = make_news(
        index,
        "Жаңа зауыт",
        slug="zhana-zauyt",
        date=dated(3),
        lead="Зауыт ашылды.",
        image=image,
        image_alt="Зауыт ғимараты",
        topics=[topic],
    )
    ru = translate(
        story,
        "ru",
        strings={
            "Жаңа зауыт": "Новый завод",
            "zhana-zauyt": "novyi-zavod",
            "Зауыт ашылды.": "Завод открыт.",
            "Зауыт ғимараты": "Здание завода",
        },
    )

    data = get_json(client, "/api/v1/news/?locale=ru")

    ru_topic = topic.get_translation(ru.locale)
    assert data == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": ru.pk,
                "translation_key": str(story.translation_key),
                "locale": "ru",
                "requested_locale": "ru",
                "is_fallback": False,
                "fallback_notice": None,
                "title": "Новый завод",
                "slug": "novyi-zavod",
                "url": "/ru/novosti/novyi-zavod/",
                "api_url": f"http://testserver/api/v1/news/{ru.pk}/?locale=ru",
                "date": "2024-05-04",
                "lead": "Завод открыт.",
                "topics": [{"id": ru_topic.pk, "name": "Экономика RU", "slug": "ekonomika-ru"}],
                "image": {
                    "id": image.pk,
                    # The page's translated alt text, never the image file's title ("Тау").
                    "alt": "Здание завода",
                    "width": 320,
                    "height": 180,
                    "renditions": renditions(image),
                    "rights": None,
                },
                "authors": [],
                "byline": "",
                "image_credit": "",
                "updated_at": None,
                "available_locales": ["kk", "ru"],
                "field_locales": {},
            }
        ],
    }
    assert data["results"][0]["image"]["renditions"]["small"]["url"].endswith(".webp")


def test_fallback_item_kazakh_only_in_russian(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    story = make_news(index, "Тек қазақша", slug="tek-qazaqsha", date=dated(1))

    item = get_json(client, "/api/v1/news/?locale=ru")["results"][0]

    assert item["id"] == story.pk
    assert item["is_fallback"] is True
    assert item["locale"] == "kk"
    assert item["requested_locale"] == "ru"
    assert item["available_locales"] == ["kk"]
    # The URL stays in the reader's language: the site serves the Kazakh text there.
    assert item["url"] == "/ru/zhanalyqtar/tek-qazaqsha/"
    assert client.get(item["url"]).status_code == 200
    # The notice is the one the HTML shows, in Russian, the language named in Russian grammar.
    assert item["fallback_notice"] == i18n.fallback_notice(["kk"], "ru")
    assert item["fallback_notice"] == "Этот текст доступен только на казахском языке."

    # The detail says the same, and fallback=false drops the story from the list.
    detail = get_json(client, f"/api/v1/news/{story.pk}/?locale=ru")
    assert (detail["is_fallback"], detail["locale"]) == (True, "kk")
    assert detail["fallback_notice"] == item["fallback_notice"]
    assert detail["translations"] == [
        {
            "locale": "kk",
            "id": story.pk,
            "title": "Тек қазақша",
            "url": "/kk/zhanalyqtar/tek-qazaqsha/",
            "api_url": f"http://testserver/api/v1/news/{story.pk}/?locale=kk",
        }
    ]
    assert detail["seo"]["canonical_url"] == "http://localhost/kk/zhanalyqtar/tek-qazaqsha/"
    assert get_json(client, "/api/v1/news/?locale=ru&fallback=false")["count"] == 0


def test_detail_with_every_block_type(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    target = make_news(index, "Нысана", slug="nysana")
    translate(target, "ru", strings={"nysana": "mishen", "Нысана": "Мишень"})
    kk_only = make_news(index, "Тек қазақша", slug="tek-qazaqsha")
    picture = make_image("Сурет", width=400, height=300)
    Embed.objects.create(
        url="https://www.youtube.com/watch?v=abc",
        max_width=None,
        type="video",
        html='<iframe src="https://www.youtube.com/embed/abc"></iframe>',
        title="Бейне",
        thumbnail_url="",
        width=480,
        height=270,
    )
    story = make_news(
        index,
        "Толық",
        slug="toliq",
        body=[
            ("heading", {"text": "Тақырыпша", "level": "h3"}),
            (
                "paragraph",
                f'<p>Қараңыз: <a linktype="page" id="{target.pk}">нысана</a> және '
                f'<a linktype="page" id="{kk_only.pk}">басқа</a>.</p>',
            ),
            (
                "quote",
                {
                    "text": "Біз жапондық нарыққа шығуды қалаймыз.",
                    "attribution": "Марат Сұлтанғазиев",
                    "role": "Әкім",
                    "source_url": "https://example.com/q",
                },
            ),
            ("image", {"image": picture, "caption": "Қол қою", "credit": "Фото: ҚазАқпарат"}),
            ("embed", "https://www.youtube.com/watch?v=abc"),
            ("embed", "https://vimeo.com/1"),
        ],
    )

    data = get_json(client, f"/api/v1/news/{story.pk}/?locale=ru")

    body = [{"type": block["type"], "value": block["value"]} for block in data["body"]]
    assert all(block["id"] for block in data["body"])
    assert body == [
        {"type": "heading", "value": {"text": "Тақырыпша", "level": 3}},
        {
            "type": "paragraph",
            "value": {
                # Links point to the served locale: the ru translation, and the
                # kk-only story at its Russian fallback URL.
                "html": '<p>Қараңыз: <a href="/ru/novosti/mishen/">нысана</a> және '
                '<a href="/ru/zhanalyqtar/tek-qazaqsha/">басқа</a>.</p>'
            },
        },
        {
            "type": "quote",
            "value": {
                "text": "Біз жапондық нарыққа шығуды қалаймыз.",
                "attribution": "Марат Сұлтанғазиев",
                "role": "Әкім",
                "source_url": "https://example.com/q",
            },
        },
        {
            "type": "image",
            "value": {
                "image": {
                    "id": picture.pk,
                    "alt": "Сурет",
                    "width": 400,
                    "height": 300,
                    "renditions": renditions(picture),
                    "rights": None,
                },
                "caption": "Қол қою",
                "credit": "Фото: ҚазАқпарат",
            },
        },
        {
            "type": "embed",
            "value": {
                "url": "https://www.youtube.com/watch?v=abc",
                "html": '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
                "title": "Бейне",
            },
        },
        # Not cached: never fetched over the network.
        {"type": "embed", "value": {"url": "https://vimeo.com/1", "html": "", "title": ""}},
    ]
    assert data["is_fallback"] is True
    assert data["seo"] == {
        "title": "Толық",
        "description": "Толық: қысқаша",
        "canonical_url": "http://localhost/kk/zhanalyqtar/toliq/",
    }
    assert data["first_published_at"] and data["last_published_at"]
    assert set(data) == {
        "id", "translation_key", "locale", "requested_locale", "is_fallback", "fallback_notice",
        "title", "slug", "url", "api_url", "date", "lead", "topics", "image", "available_locales",
        "body", "field_locales", "translations", "seo", "first_published_at",
        "last_published_at", "authors", "byline", "image_credit", "updated_at", "corrections",
        "live",
    }  # fmt: skip
    assert data["live"] is None  # a story, not a live blog (tests/live)


def test_detail_serves_the_translation_of_the_requested_locale(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    story = make_news(index, "Бірінші", slug="birinshi")
    ru = translate(story, "ru", strings={"Бірінші": "Первая", "birinshi": "pervaya"})

    data = get_json(client, f"/api/v1/news/{story.pk}/?locale=ru")
    assert (data["id"], data["title"], data["is_fallback"]) == (ru.pk, "Первая", False)
    assert [t["locale"] for t in data["translations"]] == ["kk", "ru"]
    assert data["translations"][1]["url"] == "/ru/novosti/pervaya/"
    # Asking for kk with the Russian id gives the Kazakh original.
    assert get_json(client, f"/api/v1/news/{ru.pk}/?locale=kk")["id"] == story.pk


def test_other_news(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    old = make_news(index, "Ескі", slug="eski", date=dated(1))
    newest = make_news(index, "Ең жаңа", slug="en-zhana", date=dated(9))
    middle = make_news(index, "Орташа", slug="ortasha", date=dated(5))
    translate(middle, "ru", strings={"Орташа": "Средняя", "ortasha": "srednyaya"})
    story = make_news(index, "Негізгі", slug="negizgi", date=dated(7), related=[old])
    ru_story = translate(story, "ru", strings={"negizgi": "glavnaya"})

    data = get_json(client, f"/api/v1/news/{ru_story.pk}/other/?locale=ru&limit=3")

    # Curated first, then the newest; never the story itself or its translations.
    assert [(i["title"], i["locale"], i["is_fallback"]) for i in data["results"]] == [
        ("Ескі", "kk", True),
        ("Ең жаңа", "kk", True),
        ("Средняя", "ru", False),
    ]
    assert set(data) == {"results"}
    assert (
        len(get_json(client, f"/api/v1/news/{story.pk}/other/?locale=ru&limit=1")["results"]) == 1
    )
    assert newest.pk in [
        i["id"] for i in get_json(client, f"/api/v1/news/{story.pk}/other/")["results"]
    ]


def test_locales(client, db):
    assert get_json(client, "/api/v1/locales/") == {
        "results": [
            {"code": "kk", "name": "Қазақша", "is_default": True, "fallback_chain": ["ru", "en"]},
            {"code": "ru", "name": "Русский", "is_default": False, "fallback_chain": ["kk", "en"]},
            {"code": "en", "name": "English", "is_default": False, "fallback_chain": ["kk", "ru"]},
        ]
    }


def test_resolve(client, ru_site):
    home, index, ru_home, ru_index = ru_site
    story = make_news(index, "Бірінші", slug="birinshi")
    ru = translate(story, "ru", strings={"Бірінші": "Первая", "birinshi": "pervaya"})
    kk_only = make_news(index, "Тек қазақша", slug="tek-qazaqsha")

    data = get_json(client, "/api/v1/resolve/?path=/ru/")
    assert (data["type"], data["requested_locale"]) == ("home", "ru")
    assert data["item"]["id"] == ru_home.pk
    assert data["item"]["news_api_url"] == "http://testserver/api/v1/news/?locale=ru"
    assert [t["locale"] for t in data["item"]["translations"]] == ["kk", "ru"]

    data = get_json(client, "/api/v1/resolve/?path=/ru/novosti/")
    assert (data["type"], data["item"]["id"], data["item"]["title"]) == (
        "index",
        ru_index.pk,
        "Новости",
    )
    assert data["item"]["is_fallback"] is False

    data = get_json(client, "/api/v1/resolve/?path=/ru/novosti/pervaya/")
    assert (data["type"], data["item"]["id"], data["item"]["is_fallback"]) == ("news", ru.pk, False)
    assert data["item"]["body"]

    # The Kazakh-only story under the Russian prefix: what the site serves there.
    data = get_json(client, "/api/v1/resolve/?path=/ru/novosti/tek-qazaqsha/")
    assert (data["type"], data["item"]["id"]) == ("news", kk_only.pk)
    assert (data["item"]["locale"], data["item"]["is_fallback"]) == ("kk", True)
    assert data["item"]["fallback_notice"] == i18n.fallback_notice(["kk"], "ru")
    # An English reader: no en tree at all, the whole path falls back.
    data = get_json(client, "/api/v1/resolve/?path=/en/zhanalyqtar/birinshi/")
    assert (data["item"]["id"], data["item"]["requested_locale"]) == (story.pk, "en")
    # Full URLs and query strings are accepted.
    data = get_json(client, "/api/v1/resolve/?path=http://localhost/kk/zhanalyqtar/?page=2")
    assert (data["type"], data["item"]["id"]) == ("index", index.pk)

    for path in ["/ru/novosti/nope/", "/xx/novosti/", "/", "/ru/novosti/pervaya/extra/"]:
        response = client.get("/api/v1/resolve/", {"path": path})
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_missing_image_file_costs_the_picture_not_the_answer(client, ru_site):
    """A media file lost from storage: the API and the page still answer 200, without it."""
    _home, index, _ru_home, _ru_index = ru_site
    image = make_image("Жоғалған сурет")
    story = make_news(
        index,
        "Суреті жоқ",
        image=image,
        body=[("image", {"image": image, "caption": "", "credit": ""})],
    )
    image.file.storage.delete(image.file.name)

    detail = get_json(client, f"/api/v1/news/{story.pk}/?locale=kk")
    assert detail["image"]["renditions"] == {}
    assert detail["body"][0]["value"]["image"]["renditions"] == {}
    listing = get_json(client, "/api/v1/news/?locale=kk")
    assert listing["results"][0]["image"]["renditions"] == {}
    page = client.get(story.url)
    assert page.status_code == 200
    assert "Суреті жоқ" in page.content.decode()
