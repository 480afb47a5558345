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
