"""SQL compiled once per query shape (news.prepared): the rows are those Django gives, and a
shape whose values do not all go to the SQL's parameters is never kept."""

import pytest

from news import prepared, queries
from news.models import NewsPage
from tests.factories import NewsTopicFactory, make_news, translate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget():
    prepared.forget()
    yield
    prepared.forget()


def kept_shapes():
    return [shape for shape, kept in prepared._KEPT.items() if kept is not prepared._NOT_KEPT]


def test_a_kept_query_runs_again_with_the_new_values(site_tree, django_assert_num_queries):
    _home, index = site_tree
    pages = [make_news(index, f"Жаңалық {n}") for n in range(3)]

    def build(key, ids):
        return NewsPage.objects.filter(translation_key=key, pk__in=ids).select_related("locale")

    for page in pages:
        with django_assert_num_queries(1):
            rows = prepared.run("one", build, page.translation_key, [page.pk, pages[0].pk])
        assert [row.pk for row in rows] == [page.pk]
        assert rows[0].locale.language_code == "kk"  # select_related, as Django fills it
    assert len(kept_shapes()) == 1
    # Another number of ids is another shape.
    rows = prepared.run("one", build, pages[1].translation_key, [pages[1].pk])
    assert [row.pk for row in rows] == [pages[1].pk]
    assert len(kept_shapes()) == 2


def test_values_that_change_the_sql_or_never_reach_it_are_not_kept(site_tree):
    _home, index = site_tree
    first, second = make_news(index, "Бірінші"), make_news(index, "Екінші")

    def by_sign(pk):  # stand-ins are negative: another SQL text
        return NewsPage.objects.filter(pk=pk) if pk > 0 else NewsPage.objects.none()

    def ignoring(pk):  # the value never reaches the SQL
        return NewsPage.objects.filter(pk=first.pk)

    assert [row.pk for row in prepared.run("sign", by_sign, second.pk)] == [second.pk]
    assert [row.pk for row in prepared.run("ignoring", ignoring, second.pk)] == [first.pk]
    assert [row.pk for row in prepared.run("ignoring", ignoring, first.pk)] == [first.pk]
    assert kept_shapes() == []


def test_other_news_from_the_kept_query_is_what_django_builds(site_tree):
    """Every page's "other news", in Kazakh and for Russian readers (fallbacks), curated
    or not, with and without topics: the kept query's rows are those of the query built
    for the page."""
    _home, index = site_tree
    politics = NewsTopicFactory(name="Саясат", slug="sayasat")
    sport = NewsTopicFactory(name="Спорт", slug="sport")
    pages = [
        make_news(index, f"Жаңалық {n}", topics=[[politics], [sport], []][n % 3]) for n in range(9)
    ]
    curated = make_news(index, "Таңдалған", related=pages[:2], topics=[politics])
    translate(pages[1], "ru")
    translate(pages[4], "ru")
    for page in [*pages, curated]:
        for language in ("kk", "ru"):
            shown = [row.pk for row in queries.other_news_pages(page, language, 4)]
            built = queries._ranked(
                queries.news_for_locale(
                    language, exclude_translation_key=page.translation_key, listing_data=False
                ),
                queries.curated_keys(page),
                queries._topic_ids(queries.topic_keys_of(page)),
                4,
            )[:4]
            assert shown == [row.pk for row in built], (page.title, language)
    kept = {shape[0][:2] for shape in kept_shapes()}
    assert kept == {("other-news", "kk"), ("other-news", "ru")}
