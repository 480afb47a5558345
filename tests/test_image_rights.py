"""Issue 32.5: an image's credit and licence, stored once on the image, shown wherever it
is used (HTML, API, feeds, JSON-LD), edited on Wagtail's image screen, warned about at
publish when expired, purging the stories that show it."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.image_rights import ImageRights
from news.models import Author, NewsPage
from tests.factories import AuthorFactory, make_image, make_news

CREDIT = "Айгүл Сейітова / ҚазАқпарат"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "https://photos.example.kz/aigul/123"


def rights(image, **fields):
    values = {"credit": CREDIT, "licence": "cc-by-4.0", "source_url": SOURCE, **fields}
    return ImageRights.objects.create(image=image, **values)


@pytest.fixture
def story(site_tree):
    """A story whose hero and body image have rights on the image, no credit of its own."""
    _home, index = site_tree
    hero, inline = make_image("Тау"), make_image("Дала")
    rights(hero)
    rights(inline, credit="Марат Оспанов", licence="other", licence_name="Reuters")
    page = make_news(
        index,
        "Суретті жаңалық",
        slug="suretti",
        image=hero,
        body=[
            ("paragraph", "<p>Мәтін.</p>"),
            ("image", {"image": inline, "caption": "Дала көрінісі", "credit": ""}),
        ],
    )
    return page, hero, inline


def _figcaptions(html):
    return re.findall(r"<figcaption.*?</figcaption>", html, re.S)


def test_html_figures_show_the_images_credit_and_licence(client, story):
    page, _hero, _inline = story
    html = client.get(page.url).content.decode()
    hero, inline = _figcaptions(html)
    assert CREDIT in hero
    assert f'<a class="caption__licence" rel="license" href="{CC_BY}">CC BY 4.0</a>' in hero
    assert "Марат Оспанов" in inline and '<span class="caption__licence">Reuters</span>' in inline


def test_a_storys_own_credit_overrides_the_images(client, story):
    page, _hero, inline = story
    page.image_credit = "Фото: отбасы мұрағатынан"
    page.body = [("image", {"image": inline, "caption": "", "credit": "Фото: оқырман"})]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    hero, block = _figcaptions(html)
    assert "отбасы мұрағатынан" in hero and CREDIT not in hero
    assert "оқырман" in block and "Марат Оспанов" not in block


def test_api_detail_and_list_carry_the_rights(client, story, settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    page, hero, inline = story
    data = client.get(f"/api/v1/news/{page.pk}/").json()
    assert data["image"]["rights"] == {
        "credit": CREDIT,
        "licence": "cc-by-4.0",
        "licence_name": "CC BY 4.0",
        "licence_url": CC_BY,
        "licence_expires": None,
        "source_url": SOURCE,
    }
    assert data["image_credit"] == CREDIT
    block = next(item for item in data["body"] if item["type"] == "image")["value"]
    assert block["credit"] == "Марат Оспанов"
    assert block["image"]["rights"]["licence"] == "other"
    assert block["image"]["rights"]["licence_name"] == "Reuters"
    item = client.get("/api/v1/news/").json()["results"][0]
    assert item["image"]["rights"]["credit"] == CREDIT and item["image_credit"] == CREDIT


def test_feeds_carry_media_credit_and_licence(client, story):
    body = client.get("/kk/news/feed/rss/").content.decode()
    assert f"<media:credit>{CREDIT}</media:credit>" in body
    assert f'<media:license href="{CC_BY}" type="text/html">CC BY 4.0</media:license>' in body


def test_json_ld_image_object_has_credit_and_licence(client, story):
    page, _hero, _inline = story
    html = client.get(page.url).content.decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    image = json.loads(script)["image"]
    assert image["@type"] == "ImageObject"
    assert image["creditText"] == CREDIT
    assert image["copyrightNotice"] == CREDIT
    assert image["license"] == CC_BY
    assert image["acquireLicensePage"] == SOURCE


def test_editing_the_rights_purges_the_stories_that_show_the_image(client, story):
    page, hero, _inline = story
    assert CREDIT in client.get(page.url).content.decode()
    assert client.get(page.url)["X-Cache"] == "hit"
    with TestCase.captureOnCommitCallbacks(execute=True):
        hero.rights.credit = "Жаңа автор"
        hero.rights.save()
    html = client.get(page.url).content.decode()
    assert "Жаңа автор" in html and CREDIT not in html


def test_the_image_edit_screen_edits_the_rights_in_kazakh(editor, story):
    _page, hero, _inline = story
    url = f"/admin/images/{hero.pk}/"
    html = editor.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'name="credit"' in html and 'name="licence_expires"' in html
    assert "Лицензия мерзімі" in html  # "Licence expires", in the Kazakh admin
    data = {
        "title": hero.title,
        "collection": hero.collection_id,
        "tags": "",
        "credit": "Жаңа автор",
        "licence": "cc-by-sa-4.0",
        "licence_name": "",
        "licence_url": "",
        "licence_expires": "31.12.2027",
        "source_url": "",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = editor.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ImageRights.objects.get(image=hero)
    assert (saved.credit, saved.licence) == ("Жаңа автор", "cc-by-sa-4.0")
    assert saved.licence_expires == datetime.date(2027, 12, 31)
    # An image without rights keeps none when nothing is typed.
    bare = make_image("Бос")
    editor.post(f"/admin/images/{bare.pk}/", {**data, **dict.fromkeys(data, "")} | {
        "title": "Бос", "collection": bare.collection_id,
    })  # fmt: skip
    assert not ImageRights.objects.filter(image=bare).exists()
    # A form posted without the rights' fields (a partial update) leaves them as they are.
    editor.post(url, {"title": "Тау биігі", "collection": hero.collection_id, "tags": ""})
    hero.refresh_from_db()
    assert hero.title == "Тау биігі"  # saved
    saved = ImageRights.objects.get(image=hero)
    assert (saved.credit, saved.licence) == ("Жаңа автор", "cc-by-sa-4.0")


def _publish(client, page):
    from tests.factories import edit_form_data

    data = edit_form_data(
        page, image=page.image_id, image_alt="", image_caption="", image_credit="", byline=""
    )
    data["action-publish"] = "action-publish"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)


def test_publishing_with_an_expired_licence_warns_the_editor(editor, story):
    page, hero, _inline = story
    ImageRights.objects.filter(image=hero).update(licence_expires=datetime.date(2024, 1, 31))
    response = _publish(editor, page)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Тау" in warnings[0] and "31.01.2024" in warnings[0]
    # Not blocked: the story is published.
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    # A licence still valid today: no warning.
    today = timezone.localdate()
    ImageRights.objects.filter(image=hero).update(licence_expires=today)
    response = _publish(editor, NewsPage.objects.get(pk=page.pk))
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def _count(client, url):
    client.get(url)  # warm-up: renditions created, memos filled
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("surface", ["html", "api"])
def test_query_counts_do_not_grow_with_images(client, site_tree, settings, surface):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    urls = []
    for number in (1, 4):  # both made first: each shows the other in "other news"
        hero, *images = [make_image(f"Сурет {number}-{i}") for i in range(number + 1)]
        for image in (hero, *images):
            rights(image, licence_expires=datetime.date(2030, 1, 1))
        page = make_news(
            index,
            f"Суреттер {number}",
            slug=f"suretter-{number}",
            image=hero,
            body=[("image", {"image": image, "caption": "", "credit": ""}) for image in images],
        )
        urls.append(page.url if surface == "html" else f"/api/v1/news/{page.pk}/")
    counts = [_count(client, url) for url in urls]
    assert counts[0] == counts[1], counts


def test_authors_photos_bring_their_rights_without_a_query_each(client, site_tree, settings):
    settings.NEWSDESK_RESPONSE_CACHE = False
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    counts = []
    for number in (1, 3):
        while Author.objects.count() < number:
            position = Author.objects.count()
            photo = make_image(f"Портрет {position}")
            rights(photo)
            author = AuthorFactory(image=photo)
            make_news(index, f"Хабар {position}", slug=f"habar-{position}", authors=[author])
        counts.append(_count(client, "/api/v1/authors/"))
    assert counts[0] == counts[1], counts
    data = client.get("/api/v1/authors/").json()
    assert [author["image"]["rights"]["credit"] for author in data["results"]] == [CREDIT] * 3
