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
