"""Only live, public content: drafts and private pages never leak, not even through fallback."""

from wagtail.models import PageViewRestriction

from tests.api.conftest import dated, get_json, make_news, translate


def ids(client, url):
    return [item["id"] for item in get_json(client, url)["results"]]


def test_drafts_unpublished_and_private_never_appear(client, ru_site):
    _home, index, _ru_home, _ru_index = ru_site
    public = make_news(index, "Ашық", slug="ashyq", date=dated(1))
    draft = make_news(index, "Жоба", slug="zhoba", publish=False, date=dated(2))
    gone = make_news(index, "Алынған", slug="alynghan", date=dated(3))
    gone.unpublish()
    secret = make_news(index, "Құпия", slug="qupiya", date=dated(4))
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    # A Russian translation saved as a draft: the Kazakh original is served instead.
    translate(public, "ru", publish=False, strings={"Ашық": "Открытая"})

    for url in ["/api/v1/news/?locale=ru", "/api/v1/news/?locale=kk", "/api/v1/news/?q=мәтіні"]:
        assert ids(client, url) == [public.pk], url
    assert ids(client, f"/api/v1/news/{public.pk}/other/?locale=ru") == []
    detail = get_json(client, f"/api/v1/news/{public.pk}/?locale=ru")
    assert (detail["id"], detail["is_fallback"], detail["available_locales"]) == (
        public.pk,
        True,
        ["kk"],
    )
    assert [t["locale"] for t in detail["translations"]] == ["kk"]

    for page in (draft, gone, secret):
        for url in [f"/api/v1/news/{page.pk}/", f"/api/v1/news/{page.pk}/other/"]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response["Content-Type"] == "application/problem+json"
        for path in [f"/kk/zhanalyqtar/{page.slug}/", f"/ru/novosti/{page.slug}/"]:
            assert client.get("/api/v1/resolve/", {"path": path}).status_code == 404, path


def test_private_section_hides_its_children_and_their_links(client, ru_site):
    _home, index, _ru_home, ru_index = ru_site
    story = make_news(index, "Ішкі", slug="ishki")
    linking = make_news(
        index,
        "Сілтеме",
        slug="silteme",
        body=[("paragraph", f'<p><a linktype="page" id="{story.pk}">x</a></p>')],
    )
    PageViewRestriction.objects.create(page=index, restriction_type="login")

    assert get_json(client, "/api/v1/news/?locale=kk")["count"] == 0
    assert client.get(f"/api/v1/news/{story.pk}/").status_code == 404
    assert client.get(f"/api/v1/news/{linking.pk}/").status_code == 404
    assert client.get("/api/v1/resolve/", {"path": "/kk/zhanalyqtar/"}).status_code == 404
    # The Russian index is not restricted, but the Kazakh stories under the private
    # index stay hidden through the fallback path too.
    assert ru_index.live
    assert client.get("/api/v1/resolve/", {"path": "/ru/novosti/ishki/"}).status_code == 404


def test_curated_private_story_is_not_in_other_news(client, site_tree):
    _home, index = site_tree
    secret = make_news(index, "Құпия", date=dated(1))
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    story = make_news(index, "Негізгі", date=dated(2), related=[secret])
    assert ids(client, f"/api/v1/news/{story.pk}/other/") == []


def test_links_to_hidden_pages_are_emptied(client, site_tree):
    _home, index = site_tree
    draft = make_news(index, "Жоба", publish=False)
    story = make_news(
        index, "Мәтін", body=[("paragraph", f'<p><a linktype="page" id="{draft.pk}">жоба</a></p>')]
    )
    html = get_json(client, f"/api/v1/news/{story.pk}/")["body"][0]["value"]["html"]
    assert html == "<p><a>жоба</a></p>"
