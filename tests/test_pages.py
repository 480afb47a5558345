"""Page types, the admin form, rendering, listings and their query counts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage
from news.models import NewsIndex, NewsPage
from news.presentation import other_news
from news.queries import other_news_pages
from tests.factories import AuthorFactory, NewsTopicFactory, make_news, make_site, translate


class PageTypeRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = make_site()
        cls.article = make_news(cls.index, "Мақала")

    def setUp(self):
        self.user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        self.client.force_login(self.user)

    def test_allowed_types(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {NewsIndex})
        self.assertAllowedParentPageTypes(NewsIndex, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndex, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndex})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanCreateAt(NewsIndex, NewsPage)

    def test_editor_creates_news_page_with_quote_through_admin_form(self):
        topic = NewsTopicFactory(name="Дипломатия", slug="diplomatiya")
        author = AuthorFactory(name="Айгүл Сейітова", slug="aigul")
        self.assertCanCreate(
            self.index,
            NewsPage,
            nested_form_data(
                {
                    "title": "Жапония елшісі Алматыда",
                    "slug": "zhaponiya-elshisi",
                    "date": "2024-06-14",
                    "lead": "Елші облыс әкімімен кездесті.",
                    "image_alt": "",
                    "image_caption": "",
                    "image_credit": "",
                    "byline": "ҚазАқпарат",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Кездесу", "level": "h2"}),
                            ("paragraph", rich_text("<p>Тараптар ынтымақтастықты талқылады.</p>")),
                            (
                                "quote",
                                {
                                    "text": "Біз жапондық нарыққа шығуды қалаймыз.",
                                    "attribution": "Марат Сұлтанғазиев",
                                    "role": "Алматы облысының әкімі",
                                    "source_url": "",
                                },
                            ),
                        ]
                    ),
                    "notes": streamfield([]),
                    "entries": streamfield([]),
                    "author_links": inline_formset([{"author": author.pk}]),
                    "topic_links": inline_formset([{"topic": topic.pk}]),
                    "related_news": inline_formset([{"related_page": self.article.pk}]),
                }
            ),
        )
        page = NewsPage.objects.get(slug="zhaponiya-elshisi")
        quote = next(block for block in page.body if block.block_type == "quote")
        assert quote.value["attribution"] == "Марат Сұлтанғазиев"
        assert quote.value["role"] == "Алматы облысының әкімі"
        assert [link.topic for link in page.topic_links.all()] == [topic]
        assert [link.author for link in page.author_links.all()] == [author]
        assert page.byline == "ҚазАқпарат"
        assert [link.related_page for link in page.related_news.all()] == [self.article]

    def test_every_page_type_renders(self):
        self.client.logout()
        for page in (self.home, self.index, self.article):
            self.assertPageIsRenderable(page)


def test_quote_block_html(site_tree):
    _home, index = site_tree
    page = make_news(
        index,
        "Дәйексөз",
        body=[
            (
                "quote",
                {
                    "text": "Бірінші жол\nЕкінші <жол>",
                    "attribution": "Джун Ямада",
                    "role": "Жапонияның Қазақстандағы Елшісі",
                    "source_url": "https://example.com/source",
                },
            )
        ],
    )
    html = page.body[0].render()
    assert html.startswith('<figure class="quote"')
    assert "<blockquote" in html and "</blockquote>" in html
    assert "Бірінші жол<br>Екінші &lt;жол&gt;" in html
    assert "<figcaption" in html
    assert "Джун Ямада" in html and "Жапонияның Қазақстандағы Елшісі" in html
    assert 'cite="https://example.com/source"' in html


def _listing_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [item.title for item in response.context["news_items"]]


def test_index_lists_live_public_news_newest_first(client, site_tree):
    _home, index = site_tree
    make_news(index, "Ескі", date=datetime.date(2024, 1, 1))
    make_news(index, "Жаңа", date=datetime.date(2024, 3, 1))
    make_news(index, "Жоба", publish=False)
    unpublished = make_news(index, "Жабылған")
    unpublished.unpublish()
    private = make_news(index, "Жеке")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert _listing_titles(client, index.url) == ["Жаңа", "Ескі"]


def test_other_news_never_shows_hidden_pages_or_itself(site_tree):
    _home, index = site_tree
    visible = make_news(index, "Көрінеді", date=datetime.date(2024, 1, 2))
    draft = make_news(index, "Жоба", publish=False)
    private = make_news(index, "Жеке")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    article = make_news(index, "Мақала", related=[draft, private, visible])
    titles = [item.title for item in other_news(article, "kk")]
    assert titles == ["Көрінеді"]


def test_other_news_curated_first_then_newest_and_never_a_translation(site_tree):
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    old = make_news(index, "Ескі", date=datetime.date(2023, 1, 1))
    newest = make_news(index, "Ең жаңа", date=datetime.date(2024, 5, 1))
    article = make_news(index, "Мақала", date=datetime.date(2024, 4, 1), related=[old])
    translate(article, "ru", strings={"Мақала": "Статья"})
    items = other_news(article, "ru")
    assert [item.title for item in items] == ["Ескі", "Ең жаңа"]
    assert all(item.translation_key != article.translation_key for item in items)
    assert all(item.is_fallback and item.content_language == "kk" for item in items)
    assert newest.pk in [item.pk for item in items]


def test_other_news_prefers_stories_sharing_a_topic_then_the_newest(site_tree):
    """Issue 32.4: after the curated stories, stories sharing a topic (newest first), then
    the newest others; in one query, as before (the topics come with the page)."""
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    farming = NewsTopicFactory(name="Ауыл шаруашылығы", slug="auyl-sharuashylygy")
    school = NewsTopicFactory(name="Білім", slug="bilim")
    harvest = make_news(index, "Егін", date=datetime.date(2023, 9, 1), topics=[farming])
    make_news(index, "Мал", date=datetime.date(2022, 6, 1), topics=[school, farming])
    for day in range(1, 5):
        make_news(index, f"Жаңа {day}", date=datetime.date(2024, 5, day), topics=[school])
    curated = make_news(index, "Таңдалған", date=datetime.date(2021, 1, 1), topics=[farming])
    article = make_news(
        index, "Мақала", date=datetime.date(2024, 4, 1), topics=[farming], related=[curated]
    )
    translate(harvest, "ru", strings={"Егін": "Урожай"})
    article = NewsPage.objects.filter(pk=article.pk).for_reading().get()
    list(other_news_pages(article, "kk"))  # warm-up: the memoised topic table

    with CaptureQueriesContext(connection) as captured:
        pages = list(other_news_pages(article, "kk"))
    assert len(captured.captured_queries) == 1
    assert [page.title for page in pages] == ["Таңдалған", "Егін", "Мал", "Жаңа 4", "Жаңа 3"]
    # Readers of Russian: the same stories, each in its best language.
    assert [item.title for item in other_news(article, "ru")] == [
        "Таңдалған",
        "Урожай",
        "Мал",
        "Жаңа 4",
        "Жаңа 3",
    ]
    # Without topics in common: the newest, as before.
    lone = make_news(index, "Жалғыз", date=datetime.date(2024, 4, 2))
    assert [item.title for item in other_news(lone, "kk", limit=3)] == [
        "Жаңа 4",
        "Жаңа 3",
        "Жаңа 2",
    ]


@pytest.mark.parametrize(
    ("value", "expected_page"),
    [("abc", 1), ("", 1), ("0", 3), ("-1", 3), ("2", 2), ("999999", 3), ("1.5", 1), ("%00", 1)],
)
def test_bad_page_values_show_nearest_valid_page(client, site_tree, settings, value, expected_page):
    settings.NEWSDESK_PAGE_SIZE = 2
    _home, index = site_tree
    for number in range(5):
        make_news(index, f"Жаңалық {number}", date=datetime.date(2024, 1, number + 1))
    response = client.get(index.url, {"page": value})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_page


def test_topic_filter(client, site_tree):
    _home, index = site_tree
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    make_news(index, "Экономика жаңалығы", topics=[topic])
    make_news(index, "Басқа")
    assert _listing_titles(client, f"{index.url}?topic=ekonomika") == ["Экономика жаңалығы"]
    # An unknown topic is not an error: the full list, with the context telling the template.
    response = client.get(f"{index.url}?topic=no-such-topic")
    assert response.status_code == 200
    assert response.context["topic_slug_unknown"] is True


def _count_queries(client, url):
    client.get(url)  # warm-up: renditions, site root paths
    # A conditional request would be answered 304 from the content version; make it a real one.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _build_news(index, count, topics, image):
    created = []
    for number in range(count):
        created.append(
            make_news(
                index,
                f"Жаңалық {number}",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
                topics=topics,
                image=image,
                related=created[-2:],
            )
        )
    return created


def test_query_counts_do_not_grow_with_items(client, db, settings):
    """The news index and a news page cost the same number of queries for 5 and 20 items.

    Measured in Kazakh (own language) and in Russian, where half of the stories are
    fallbacks, and on an article that is itself a fallback.
    """
    from tests.factories import make_image

    settings.NEWSDESK_PAGE_SIZE = 20
    settings.NEWSDESK_RESPONSE_CACHE = False  # measure the real work, not a cache hit
    counts = {}
    for total in (5, 20):
        Page.objects.filter(depth__gt=1).delete()
        home, index = make_site()
        translate(home, "ru")
        ru_index = translate(index, "ru")
        topics = [NewsTopicFactory(), NewsTopicFactory()]
        items = _build_news(index, total, topics, make_image())
        for item in items[::2]:
            translate(item, "ru")
        article = items[1]  # never translated: the Russian page is a fallback
        counts[total] = {
            "kk index": _count_queries(client, index.url),
            "kk page": _count_queries(client, article.url),
            "ru index": _count_queries(client, ru_index.url),
            "ru page": _count_queries(client, article.url.replace("/kk/", "/ru/", 1)),
        }
    print("query counts", counts)
    assert counts[5] == counts[20], counts
