"""Locale fallback: routing, redirects to real translations, listings with and without fallback."""

from tests.factories import make_news, translate


def test_translated_and_fallback_listing(client, site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    a = make_news(index, "Бірінші")
    make_news(index, "Екінші")
    ru_a = translate(a, "ru", strings={"Бірінші": "Первая"})
    assert ru_a.live
    response = client.get(ru_a.url)
    assert response.status_code == 200


def test_kazakh_slug_under_russian_prefix_redirects_to_the_russian_translation(client, site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    article = make_news(index, "Мақала", slug="maqala")
    ru_article = translate(article, "ru", strings={"maqala": "statya", "Мақала": "Статья"})
    assert ru_article.slug == "statya"
    response = client.get(article.url.replace("/kk/", "/ru/", 1))
    assert response.status_code == 302
    assert response["Location"] == ru_article.url


def test_kazakh_only_article_under_russian_prefix_is_served_not_redirected(client, site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    article = make_news(index, "Мақала", slug="maqala")
    response = client.get(article.url.replace("/kk/", "/ru/", 1))
    assert response.status_code == 200
    assert response.context["is_fallback"] is True


def _ru_listing(client, url, pages):
    seen = []
    for number in range(1, pages + 1):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        seen.extend(response.context["news_items"])
    return seen, response.context["paginator"].count


def test_fallback_listing_has_one_entry_per_story_across_pages(client, site_tree, settings):
    import datetime

    settings.NEWSDESK_PAGE_SIZE = 2
    settings.NEWSDESK_RESPONSE_CACHE = False
    home, index = site_tree
    translate(home, "ru")
    ru_index = translate(index, "ru")
    stories = [
        make_news(index, f"Жаңалық {n}", date=datetime.date(2024, 1, 1 + n)) for n in range(5)
    ]
    for story in stories[1::2]:
        translate(story, "ru", strings={story.title: f"Новость {stories.index(story)}"})

    items, count = _ru_listing(client, ru_index.url, 3)
    assert count == 5
    assert [item.translation_key for item in items] == [s.translation_key for s in stories[::-1]]
    assert [(item.title, item.is_fallback, item.content_language) for item in items] == [
        ("Жаңалық 4", True, "kk"),
        ("Новость 3", False, "ru"),
        ("Жаңалық 2", True, "kk"),
        ("Новость 1", False, "ru"),
        ("Жаңалық 0", True, "kk"),
    ]


def test_listing_without_fallback_shows_only_translated_stories(client, site_tree, settings):
    settings.NEWSDESK_LISTING_FALLBACK = False
    settings.NEWSDESK_RESPONSE_CACHE = False
    home, index = site_tree
    translate(home, "ru")
    ru_index = translate(index, "ru")
    translated = make_news(index, "Аударылған")
    make_news(index, "Аударылмаған")
    translate(translated, "ru", strings={"Аударылған": "Переведённая"})
    items, count = _ru_listing(client, ru_index.url, 1)
    assert count == 1
    assert [item.title for item in items] == ["Переведённая"]
