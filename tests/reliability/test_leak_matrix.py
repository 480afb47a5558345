"""Leak matrix: no hidden story appears on any reader or API surface.

One parametrised test covers every pair (hidden kind x surface). Each hidden
story carries a unique marker in its slug, title, lead and body; the marker must
never appear in any response. Stories that were live once are hidden *after*
every surface was fetched, so the response cache (issue 7) must notice too.

A visible control story with its own marker proves each listing surface really
lists live content: a surface that shows nothing would otherwise pass vacuously.

Wagtail 8 has no recycle bin in core (deleting a page deletes it), so the
"deleted" kind is a page deleted through ``Page.delete()``.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageViewRestriction

from news.models import Author
from news.renditions import renditions_for
from tests.factories import NewsTopicFactory, make_image, make_news, make_site, translate
from tests.module_rows import module_rows, rows_for_test

KINDS = [
    "draft",  # never published
    "unpublished",  # published, then unpublished
    "private_password",  # live, then a password restriction
    "private_login",  # live, then a login restriction
    "scheduled",  # go_live_at in the future, not live
    "deleted",  # live, then deleted (Wagtail 8: no recycle bin)
    "ru_draft_translation",  # a ru draft of a live kk page
    "draft_revision",  # a live page's newer, unpublished revision
]
CONTROL = "leakmarkvisible"


def marker(kind):
    """In the hidden story's title, lead and body: must never appear anywhere."""
    return "leakmark" + kind.replace("_", "")


def slug_marker(kind):
    """In the hidden story's slug: must not appear unless the request itself names it."""
    return "leakslug" + kind.replace("_", "")


def query_token(kind):
    """Also in the hidden story's title: what searches ask for (echoing it is fine)."""
    return "leakq" + kind.replace("_", "")


# (name, url template, is a listing the control story must appear in)
SURFACES = [
    ("html_index_kk", "{index_kk}", True),
    ("html_index_ru", "{index_ru}", True),
    ("html_index_en", "{index_en}", True),
    ("html_index_topic_kk", "{index_kk}?topic={topic}", True),
    ("html_home_kk", "{home_kk}", True),
    ("html_home_ru", "{home_ru}", True),
    ("html_home_en", "{home_en}", True),
    ("html_other_news_kk", "{anchor_kk}", True),
    ("html_other_news_ru_fallback", "{anchor_ru}", True),
    ("html_direct_url", "{hidden_url}", False),
    ("html_fallback_url_ru", "{hidden_fallback_ru}", False),
    ("html_fallback_url_en", "{hidden_fallback_en}", False),
    ("api_news_list_kk", "/api/v1/news/?locale=kk&page_size=100", True),
    ("api_news_list_ru", "/api/v1/news/?locale=ru&page_size=100", True),
    ("api_news_list_en", "/api/v1/news/?locale=en&page_size=100", True),
    ("api_news_list_topic", "/api/v1/news/?locale=kk&topic={topic}", True),
    ("api_news_list_q", "/api/v1/news/?locale=kk&q={query}", False),
    ("api_detail", "/api/v1/news/{hidden_pk}/", False),
    ("api_detail_ru", "/api/v1/news/{hidden_pk}/?locale=ru", False),
    ("api_detail_source_ru", "/api/v1/news/{source_pk}/?locale=ru", False),
    ("api_other_kk", "/api/v1/news/{anchor_pk}/other/?locale=kk&limit=20", True),
    ("api_other_ru", "/api/v1/news/{anchor_pk}/other/?locale=ru&limit=20", True),
    ("api_resolve", "/api/v1/resolve/?path={hidden_url}", False),
    ("api_resolve_fallback", "/api/v1/resolve/?path={hidden_fallback_ru}", False),
    ("search_html_kk", "/kk/search/?q={query}", False),
    ("search_html_ru", "/ru/search/?q={query}", False),
    ("search_html_control", "/kk/search/?q=" + CONTROL, True),
    ("search_api_kk", "/api/v1/search/?q={query}&locale=kk", False),
    ("search_api_ru", "/api/v1/search/?q={query}&locale=ru", False),
    ("search_api_control", "/api/v1/search/?q=" + CONTROL + "&locale=kk", True),
    ("suggest_kk", "/api/v1/search/suggest/?q=leakmark&locale=kk&limit=20", True),
    ("suggest_ru", "/api/v1/search/suggest/?q=leakmark&locale=ru&limit=20", True),
    ("rss_kk", "/kk/news/feed/rss/", True),
    ("rss_ru_full", "/ru/news/feed/rss/?full=1", True),
    ("atom_kk_full", "/kk/news/feed/atom/?full=1", True),
    ("atom_en", "/en/news/feed/atom/", True),
    ("rss_topic", "/kk/news/topic/{topic}/feed/rss/", True),
    ("sitemap", "/sitemap.xml", True),
    ("news_sitemap", "/news-sitemap.xml", True),
    ("api_v2_list", "/api/v2/pages/?type=news.NewsPage&limit=20", True),
    ("api_v2_detail", "/api/v2/pages/{hidden_pk}/", False),
    # Bylines and corrections (issue 17): every hidden story has the control's author
    # and a correction whose text carries its marker.
    ("html_author_kk", "{author_kk}", True),
    ("html_author_ru", "{author_ru}", True),
    ("html_author_en", "{author_en}", True),
    ("api_authors", "/api/v1/authors/?locale=ru", False),
    ("api_author_kk", "/api/v1/authors/{author_pk}/?locale=kk&page_size=100", True),
    ("api_author_ru", "/api/v1/authors/{author_pk}/?locale=ru&page_size=100", True),
    ("html_corrections_kk", "{corrections_kk}", True),
    ("html_corrections_ru", "{corrections_ru}", True),
]


def leak_author():
    """The reporter of every story of the matrix (hidden ones and the control)."""
    return Author.objects.get_or_create(
        slug="leak-reporter",
        locale=Locale.objects.get(language_code="kk"),
        defaults={"name": "Тілші Тілшиев", "role": "Тілші"},
    )[0]


def correction(kind_marker):
    at = timezone.now().replace(microsecond=0)
    return [("note", {"kind": "correction", "at": at, "text": f"Түзету {kind_marker}"})]


def story(index, kind_marker, *, slug, query="", publish=True, topics=(), extra_body=(), **fields):
    fields.setdefault("authors", [leak_author()])
    fields.setdefault("notes", correction(kind_marker))
    return make_news(
        index,
        f"Жаңалық {kind_marker} {query}".strip(),
        publish=publish,
        topics=topics,
        slug=slug,
        lead=f"Лид {kind_marker}",
        body=[
            ("paragraph", f"<p>Мәтін {kind_marker}.</p>"),
            (
                "quote",
                {
                    "text": f"Сөз {kind_marker}",
                    "attribution": "Спикер",
                    "role": "",
                    "source_url": "",
                },
            ),
            *extra_body,
        ],
        **fields,
    )


def build_world():
    home, index = make_site()
    ru_home = translate(home, "ru", strings={"Басты бет": "Главная"})
    en_home = translate(home, "en", strings={"Басты бет": "Home"})
    ru_index = translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    en_index = translate(index, "en", strings={"Жаңалықтар": "News", "zhanalyqtar": "news"})
    topic = NewsTopicFactory(name="Саясат", slug="sayasat")
    reporter = leak_author()
    translate(reporter, "ru", strings={"Тілші Тілшиев": "Тильши Тильшиев"})
    reader_urls = {}
    for code in ("kk", "ru", "en"):
        with translation.override(code):
            reader_urls[f"author_{code}"] = reverse("news_author", kwargs={"slug": reporter.slug})
            reader_urls[f"corrections_{code}"] = reverse("news_corrections")
    anchor = make_news(index, "Тірек жаңалық", slug="anchor-story")
    control = story(
        index, CONTROL, slug=f"{CONTROL}-story", topics=[topic], date=datetime.date(2020, 1, 1)
    )
    return {
        "index": index,
        "topic": topic,
        "anchor": anchor,
        "control": control,
        "urls": {
            "index_kk": index.url,
            "index_ru": ru_index.url,
            "index_en": en_index.url,
            "home_kk": home.url,
            "home_ru": ru_home.url,
            "home_en": en_home.url,
            "anchor_kk": anchor.url,
            "anchor_ru": f"{ru_index.url}{anchor.slug}/",
            "anchor_pk": anchor.pk,
            "topic": topic.slug,
            "author_pk": reporter.pk,
            **reader_urls,
        },
        "ru_index": ru_index,
        "en_index": en_index,
    }


# The translated site, its author and the control story: built once for the module
# (tests/module_rows.py); each test hides its own story in it.
_world_rows = module_rows(build_world)


@pytest.fixture
def world(_world_rows, db, settings):
    settings.NEWSDESK_API_RATE = ""
    settings.NEWSDESK_RESPONSE_CACHE = True  # hidden-after-cached must still not leak
    return rows_for_test(_world_rows, settings)


def make_hidden(kind, world, media=None):
    """Create the story of ``kind``; return (hide, facts) where ``hide()`` hides it.

    ``media``: ``{"image": …, "extra_body": [blocks]}`` the hidden story alone uses (for
    ``draft_revision``, only in the revision ``hide()`` saves and never publishes).
    """
    index, topic, mark = world["index"], world["topic"], marker(kind)
    media = media or {}
    with_media = {} if kind == "draft_revision" else media
    slug, query = f"{slug_marker(kind)}-story", query_token(kind)
    if kind in {"draft", "unpublished", "private_password", "private_login", "deleted"}:
        page = story(
            index,
            mark,
            slug=slug,
            query=query,
            publish=kind != "draft",
            topics=[topic],
            **with_media,
        )
    elif kind == "scheduled":
        page = story(
            index, mark, slug=slug, query=query, publish=False, topics=[topic], **with_media
        )
        page.go_live_at = timezone.now() + datetime.timedelta(days=2)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
    elif kind == "ru_draft_translation":
        source = make_news(
            index, "Тірі мақала", slug="live-kk-story", topics=[topic], authors=[leak_author()]
        )
        page = translate(
            source,
            "ru",
            publish=False,
            strings={
                "Тірі мақала": f"Черновик {mark} {query}",
                "live-kk-story": slug,
                "Тірі мақала: қысқаша": f"Лид {mark}",
                "<p>Тірі мақала мәтіні.</p>": f"<p>Текст {mark}.</p>",
                "Тірі мақала мәтіні.": f"Текст {mark}.",
            },
        )
        assert page is not None and not page.live
        assert mark in page.title
    elif kind == "draft_revision":
        page = make_news(
            index, "Жарияланған", slug="published-story", topics=[topic], authors=[leak_author()]
        )
    else:  # pragma: no cover
        raise AssertionError(kind)

    url = page.url or f"{index.url}{page.slug}/"
    if kind == "ru_draft_translation":
        url = f"{world['ru_index'].url}{page.slug}/"
    facts = {
        "hidden_pk": page.pk,
        "hidden_url": url,
        "hidden_fallback_ru": f"{world['ru_index'].url}{page.slug}/",
        "hidden_fallback_en": f"{world['en_index'].url}{page.slug}/",
        "source_pk": source.pk if kind == "ru_draft_translation" else page.pk,
        "marker": mark,
        "slug_marker": slug_marker(kind),
        "query": query,
    }

    def hide():
        if kind == "unpublished":
            page.unpublish()
        elif kind == "private_password":
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
        elif kind == "private_login":
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        elif kind == "deleted":
            Page.objects.get(pk=page.pk).delete()
        elif kind == "draft_revision":
            page.title = f"Жоба {mark} {query}"
            page.lead = f"Лид {mark}"
            page.notes = correction(mark)
            if media:
                page.image = media["image"]
                page.body = [*((b.block_type, b.value) for b in page.body), *media["extra_body"]]
            page.save_revision()  # saved, never published

    return hide, facts


def check_surface(client, kind, surface, url, forbidden):
    name, _template, is_listing = surface
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    body = response.content.lower()
    for mark in forbidden:
        if mark.decode() in url:
            continue  # the page may echo its own address (links, language switcher)
        assert mark not in body, f"{kind} leaked {mark!r} on {name} ({url})"
    if is_listing:
        # The surface works: live content (the control story) is there.
        assert response.status_code == 200, (url, response.status_code)
        assert CONTROL.encode() in body, f"{name} does not list live content ({url})"
    if name in {"api_detail", "api_detail_ru", "api_resolve", "api_v2_detail"}:
        if kind != "draft_revision":  # that page is live: its published version shows
            assert response.status_code == 404, (url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_hidden_story_never_leaks(client, world, kind, subtests):
    """Every surface, for one kind of hidden story: one subtest per (kind, surface) pair."""
    hide, facts = make_hidden(kind, world)
    urls = [(surface, surface[1].format(**world["urls"], **facts)) for surface in SURFACES]
    # Fill the response cache while the story may still be live.
    for _surface, url in urls:
        assert client.get(url).status_code < 500, url
    hide()
    forbidden = [facts["marker"].encode(), facts["slug_marker"].encode()]
    for surface, url in urls:
        with subtests.test(msg=surface[0], kind=kind, surface=surface[0]):
            check_surface(client, kind, surface, url, forbidden)


# --- A visible story whose rich text links to the hidden one ---------------------------

LINK_TEXT = "leaklinktext"  # the words of the link: they stay, as plain text
LINKER = "leaklinker"  # in the visible story's title: what the search surfaces ask for
# Kinds whose story has no visible version at all: the link must lose its target.
# (A ru draft of a live kk story and a live page with a draft revision stay linkable:
# the link leads to the story's visible version, never to the draft.)
FULLY_HIDDEN = {"draft", "unpublished", "private_password", "private_login", "scheduled", "deleted"}

# (name, url template, the link text must appear: the surface shows the body)
LINK_SURFACES = [
    ("html_linker_kk", "{linker_kk}", True),
    ("html_linker_ru_fallback", "{linker_ru}", True),
    ("api_v1_linker_kk", "/api/v1/news/{linker_pk}/?locale=kk", True),
    ("api_v1_linker_ru", "/api/v1/news/{linker_pk}/?locale=ru", True),
    ("api_v2_linker", "/api/v2/pages/{linker_pk}/", True),
    ("rss_kk_full_linker", "/kk/news/feed/rss/?full=1", True),
    ("atom_ru_full_linker", "/ru/news/feed/atom/?full=1", True),
    ("search_html_linker", "/kk/search/?q=" + LINKER, False),
    ("search_api_linker", "/api/v1/search/?q=" + LINKER + "&locale=kk", False),
]

# How an opening <a …> looks in HTML, in escaped XML (RSS) and in our JSON (<, > escaped).
_OPENINGS = (b"<a", b"&lt;a", b"\\u003ca")


def _link_opening(body, at):
    """The bytes of the opening tag of the link whose text starts at ``at``."""
    before = body[max(0, at - 300) : at]
    start = max(before.rfind(opening) for opening in _OPENINGS)
    assert start >= 0, before
    return before[start:]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_links_to_a_hidden_story_never_leak(client, world, kind, subtests):
    """A visible story links to the hidden one: every surface keeps the words, drops the target."""
    hide, facts = make_hidden(kind, world)
    linker = make_news(
        world["index"],
        f"Сілтемелі жаңалық {LINKER}",
        slug="linker-story",
        body=[
            (
                "paragraph",
                f'<p>Қараңыз: <a linktype="page" id="{facts["hidden_pk"]}">{LINK_TEXT}</a>.</p>',
            )
        ],
    )
    urls = {
        "linker_kk": linker.url,
        "linker_ru": f"{world['ru_index'].url}{linker.slug}/",
        "linker_pk": linker.pk,
    }
    targets = [(surface, surface[1].format(**urls)) for surface in LINK_SURFACES]
    for _surface, url in targets:  # fill the response cache while the story may be live
        assert client.get(url).status_code < 500, url
    hidden_key = Page.objects.get(pk=facts["hidden_pk"]).translation_key.hex
    hide()
    forbidden = [facts["marker"].encode(), facts["slug_marker"].encode()]
    for (name, _template, shows_body), url in targets:
        with subtests.test(msg=name, kind=kind, surface=name):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            # Response headers (Surrogate-Key, Cache-Tag): the linked story's key is opaque,
            # so they never say that a hidden story exists (issue 27 #9).
            headers = " ".join(f"{header}: {value}" for header, value in response.items())
            assert hidden_key not in headers, f"{kind} named in the headers of {name} ({url})"
            body = response.content.lower()
            for mark in forbidden:
                assert mark not in body, f"{kind} leaked {mark!r} through a link on {name} ({url})"
            assert LINKER.encode() in body or LINK_TEXT.encode() in body, (name, url)
            if not shows_body:
                continue
            at = body.find(LINK_TEXT.encode())
            assert at >= 0, f"{name} lost the link's words ({url})"
            if kind in FULLY_HIDDEN:
                assert b"href" not in _link_opening(body, at), (name, _link_opening(body, at))


# --- Images and documents attached only to a hidden story -------------------------------

# The ru draft of a live kk story shares the kk story's (synchronised) image: not a kind here.
MEDIA_KINDS = [kind for kind in KINDS if kind != "ru_draft_translation"]
# Kinds whose page still uses the document (Wagtail's reference index knows saved pages):
# /documents/<id>/<name> must answer 404 to a reader. A deleted page uses nothing any more,
# and a draft revision is not a saved page: those documents keep Wagtail's own rules
# (collection view restrictions), and what must hold is that no surface reveals their URL.
DOCUMENT_404 = {"draft", "unpublished", "private_password", "private_login", "scheduled"}
MEDIA_CONTROL = "leakmediavisible"

# (name, url template, is a listing the control story's image must appear in)
MEDIA_SURFACES = [
    # API v2 serves pages only (Hardening v2 #3): its images/documents endpoints are gone.
    ("api_v2_images", "/api/v2/images/", False),
    ("api_v2_image_detail", "/api/v2/images/{hero_pk}/", False),
    ("api_v2_documents", "/api/v2/documents/", False),
    ("api_v2_document_detail", "/api/v2/documents/{document_pk}/", False),
    ("document_serve", "{document_url}", False),
    ("html_media_index", "{index_kk}", True),
    ("api_media_list", "/api/v1/news/?locale=kk&page_size=100", True),
]
REMOVED = {"api_v2_images", "api_v2_image_detail", "api_v2_documents", "api_v2_document_detail"}


def image_marker(kind):
    return "leakimg" + kind.replace("_", "")


def media_of(mark):
    """A hero image, a body image and a document, each named with ``mark`` (file and title)."""
    hero = make_image(f"{mark}hero")
    inline = make_image(f"{mark}body", color=(200, 40, 40))
    document = get_document_model().objects.create(
        title=f"{mark}doc", file=ContentFile(b"minutes", name=f"{mark}doc.txt")
    )
    body = [
        ("paragraph", f'<p>Құжат: <a linktype="document" id="{document.pk}">хаттама</a>.</p>'),
        ("image", {"image": inline, "caption": "", "credit": ""}),
    ]
    return hero, inline, document, body


def revealing_strings(hero, inline, document):
    """Every string that would reveal a file: names, original and rendition URLs, doc URL."""
    strings = {document.url, document.file.url, document.file.name}
    for image in (hero, inline):
        strings |= {image.file.url, image.file.name, image.title}
        strings |= {rendition.url for rendition in renditions_for(image).values()}
        strings |= {rendition.url for rendition in image.renditions.all()}
    return sorted(strings)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_media_of_a_hidden_story_never_leak(client, world, kind, subtests):
    """Images and a document used only by the hidden story: no public surface reveals them."""
    control_hero, _inline, _doc, control_body = media_of(MEDIA_CONTROL)
    control = world["control"]
    control.image = control_hero
    control.body = [*((block.block_type, block.value) for block in control.body), *control_body]
    control.save_revision().publish()
    mark = image_marker(kind)
    hero, inline, document, body = media_of(mark)
    hide, facts = make_hidden(kind, world, media={"image": hero, "extra_body": body})
    media = {
        "hero_pk": hero.pk,
        "document_pk": document.pk,
        "document_url": document.url,
    }
    urls = [
        (surface, surface[1].format(**world["urls"], **facts, **media))
        for surface in (*SURFACES, *MEDIA_SURFACES)
    ]
    for _surface, url in urls:  # fill the response cache while the story may be live
        assert client.get(url).status_code < 500, url
    hide()
    forbidden = [mark.encode()]  # in the images' and the document's titles and file names
    revealing = [string.lower().encode() for string in revealing_strings(hero, inline, document)]
    media_rows = {surface[0] for surface in MEDIA_SURFACES}
    for (name, _template, is_listing), url in urls:
        with subtests.test(msg=name, kind=kind, surface=name):
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            if name == "document_serve":
                expected = 404 if kind in DOCUMENT_404 else 200
                assert response.status_code == expected, (kind, url, response.status_code)
                continue
            if name in REMOVED:
                assert response.status_code == 404, (url, response.status_code)
            body = response.content.lower()
            for string in (*forbidden, *revealing):
                if string.decode() in url.lower():
                    continue  # the page may echo its own address
                assert string not in body, f"{kind}: {string!r} revealed on {name} ({url})"
            if is_listing:  # the surface works: it shows live stories (and their media)
                live = MEDIA_CONTROL if name in media_rows else CONTROL
                assert live.encode() in body, f"{name} does not show {live} ({url})"


def test_matrix_covers_every_pair():
    # 41 surfaces, then 8 for bylines and corrections (author pages, authors API, corrections).
    assert len(KINDS) * len(SURFACES) == 8 * 49
    assert len(KINDS) * len(LINK_SURFACES) == 8 * 9
    assert len(MEDIA_KINDS) * (len(SURFACES) + len(MEDIA_SURFACES)) == 7 * 56
