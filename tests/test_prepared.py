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


def test_other_news_from_the_kept_query_is_what_django_builds(
    site_tree, django_capture_on_commit_callbacks
):
    """Every page's "other news", in Kazakh and for Russian readers (fallbacks), curated
    or not, with and without topics: the kept query's rows are those of the query built
    for the page."""
    _home, index = site_tree
    # Committed as in production: the purges run (the memoised topic table among them).
    with django_capture_on_commit_callbacks(execute=True):
        politics = NewsTopicFactory(name="Саясат", slug="sayasat")
        sport = NewsTopicFactory(name="Спорт", slug="sport")
        pages = [
            make_news(index, f"Жаңалық {n}", topics=[[politics], [sport], []][n % 3])
            for n in range(9)
        ]
        curated = make_news(index, "Таңдалған", related=pages[:2], topics=[politics])
        translate(pages[1], "ru")
        translate(pages[4], "ru")
    # Sharing a topic comes first (a stale topic table would give the newest only).
    assert [row.pk for row in queries.other_news_pages(pages[0], "kk", 4)] == [
        curated.pk,
        pages[6].pk,
        pages[3].pk,
        pages[8].pk,
    ]
    for page in [*pages, curated]:
        for language in ("kk", "ru"):
            shown = [row.pk for row in queries.other_news_pages(page, language, 4)]
            built = queries.ranked_others(
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


def test_the_miss_paths_run_from_kept_sql(site_tree, client, settings):
    """Each query a miss runs per story is kept after its first use (a change that makes
    one unkeepable, e.g. a value that reaches the SQL's text, would make every miss build
    and compile it again: this fails then)."""
    settings.NEWSDESK_RESPONSE_CACHE = False
    from tests.factories import translate as translate_page

    home, index = site_tree
    translate_page(home, "ru", strings={"Басты бет": "Главная"})
    translate_page(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    stories = [make_news(index, f"Жаңалық {n}", topics=[topic]) for n in range(3)]
    for story in stories:
        for url in (
            f"/ru/novosti/{story.slug}/",
            "/ru/novosti/",
            f"/api/v1/news/{story.pk}/?locale=ru",
            f"/api/v1/news/{story.pk}/other/?locale=ru",
            f"/api/v1/resolve/?path=/ru/novosti/{story.slug}/",
            f"/api/v1/resolve/?path=/ru/novosti/{story.slug}/",  # the route remembered
        ):
            assert client.get(url).status_code == 200, url
    kept = {shape[0][0] for shape in kept_shapes()}
    assert {
        "child-by-slug",
        "story-child",
        "other-news",
        "listed-stories",
        "visible-story",
        "story-versions-of-page",
        "route-versions",
        "untranslated-paths",
        "untranslated",
    } <= kept
    assert not {shape[0][0] for shape, k in prepared._KEPT.items() if k is prepared._NOT_KEPT}


def test_lists_of_other_lengths_inside_a_list_are_another_shape(site_tree):
    _home, index = site_tree
    a, b, c = (make_news(index, f"Жаңалық {n}") for n in range(3))

    def build(groups):
        return NewsPage.objects.filter(pk__in=groups[0]).exclude(pk__in=groups[1]).order_by("pk")

    assert [row.pk for row in prepared.run("groups", build, [[a.pk], [b.pk, c.pk]])] == [a.pk]
    # Three values again, two lists again, but split otherwise: not the kept query.
    assert [row.pk for row in prepared.run("groups", build, [[a.pk, b.pk], [c.pk]])] == [
        a.pk,
        b.pk,
    ]


def test_a_setting_queries_read_forgets_what_is_kept_and_the_media_folder_does_not(
    site_tree, settings
):
    _home, index = site_tree
    page = make_news(index, "Жаңалық")
    queries.visible_story(page.pk)
    assert kept_shapes()
    settings.MEDIA_ROOT = settings.MEDIA_ROOT  # every test sets it (tests/conftest.py)
    assert kept_shapes()
    settings.NEWSDESK_LISTING_FALLBACK = False
    assert not kept_shapes()
