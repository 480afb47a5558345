"""Hardening v2 (issue 16): each attack found by probing the site, reproduced.

Every test here failed on commit a8a3e2d (see docs/reliability.md, "Hardening v2").
"""

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction

from news.i18n import swap_language_prefix
from tests.factories import make_image, make_news

BASE_DIR = Path(__file__).resolve().parents[2]
HOSTILE_IMS = "Sat, 01 Jan 2000 00:00:00 +99999999999999"


# --- 2. An unparseable If-Modified-Since is ignored -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("use_cache", [True, False])
def test_overflowing_if_modified_since_is_ignored(client, site_tree, settings, use_cache):
    settings.NEWSDESK_RESPONSE_CACHE = use_cache
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    story = make_news(index, "Жаңалық")
    urls = [
        "/kk/",
        story.url,
        "/api/v1/news/?lang=kk",
        "/api/v2/pages/",
        "/sitemap.xml",
        "/kk/news/feed/rss/",
    ]
    for url in urls:
        # Twice: the second request is a cache hit when the response cache is on.
        for _ in range(2):
            response = client.get(url, HTTP_IF_MODIFIED_SINCE=HOSTILE_IMS)
            assert response.status_code == 200, (url, response.status_code)


# --- 8. The language switcher never builds an off-site or mangled link ------------------


def _hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("//evil.example/?a=https://x", "/ru/evil.example/?a=https://x"),
        ("/\\evil.example/", "/ru/evil.example/"),
        ("/kk/search/?q=http://x/", "/ru/search/?q=http://x/"),
        ("/kk/news/x/#a://b", "/ru/news/x/#a://b"),
        ("/kk/news/x/", "/ru/news/x/"),
        ("/sitemap.xml", "/ru/sitemap.xml"),
        ("https://news.example/kk/x/?q=1", "https://news.example/ru/x/?q=1"),
    ],
)
def test_swap_language_prefix_parses_the_url(url, expected):
    assert swap_language_prefix(url, "ru") == expected


@pytest.mark.django_db
def test_switcher_on_a_404_for_a_scheme_relative_path_stays_on_site(client, site_tree):
    # The test client reads "//host/" as a host; the percent-encoded slash reaches
    # PATH_INFO as "//evil.example/", as gunicorn passes it.
    for url in ("/%2Fevil.example/?a=https://x", "/kk/%2Fevil.example/?a=https://x"):
        response = client.get(url)
        assert response.status_code in (301, 302, 404), url
        html = response.content.decode()
        location = response.get("Location", "")
        for link in [*_hrefs(html), location]:
            assert not link.startswith(("//", "/\\")), (url, link)
            assert "evil.example/?a=https://x/" not in link, (url, link)


@pytest.mark.django_db
def test_switcher_keeps_a_query_holding_a_url(client, site_tree):
    response = client.get("/kk/search/?q=http://x/")
    assert response.status_code == 200
    links = _hrefs(response.content.decode())
    assert "/ru/search/?q=http://x/" in links
    assert "/en/search/?q=http://x/" in links
    assert not any("http://x/ru" in link or "http://x/en" in link for link in links)


# --- 10. The response cache keys by get_host() and matches routes, not substrings -------


@pytest.mark.django_db
def test_cache_key_uses_the_host_the_response_was_built_for(client, site_tree, settings):
    settings.USE_X_FORWARDED_HOST = True  # behind a proxy that sets X-Forwarded-Host
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    make_news(index, "Жаңалық")
    for url in ("/kk/news/feed/rss/", "/api/v1/news/?lang=kk"):
        poisoned = client.get(
            url, HTTP_HOST="newsdesk.example", HTTP_X_FORWARDED_HOST="evil.example"
        )
        assert b"evil.example" in poisoned.content  # built from get_host()
        reader = client.get(url, HTTP_HOST="newsdesk.example")
        assert reader.status_code == 200
        assert b"evil.example" not in reader.content, url
        assert b"newsdesk.example" in reader.content


@pytest.mark.django_db
def test_cache_rules_match_routes_not_substrings(client, site_tree, settings):
    settings.NEWSDESK_API_MAX_AGE = 60
    settings.NEWSDESK_HTML_MAX_AGE = 0
    _home, index = site_tree
    preview_slug = make_news(index, "Алдын ала", slug="preview-budget")
    feed_slug = make_news(index, "Жем", slug="feed-the-city")
    # A story whose slug starts with "preview" is cached like any page.
    assert preview_slug.url.endswith("/preview-budget/")
    client.get(preview_slug.url)
    assert client.get(preview_slug.url)["X-Cache"] == "hit"
    # A story whose slug starts with "feed" is an HTML page: HTML max-age.
    page = client.get(feed_slug.url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "public, max-age=0, must-revalidate"
    # The real feeds and sitemaps keep the API's max-age, in every language.
    for url in ("/kk/news/feed/rss/", "/ru/news/feed/atom/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=60", url
    # The preview endpoint itself is never cached.
    assert "X-Cache" not in client.get("/api/v1/preview/?token=x")


# --- 12. HSTS includeSubDomains and preload are opt-in ----------------------------------


def production_env(**extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "newsdesk.example",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "WAGTAILADMIN_BASE_URL", "DEBUG"):
        env.pop(name, None)
    env.update(extra)
    return env


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a full migrate on a busy machine (parallel suite) takes minutes
    )
    return result.returncode, result.stdout + result.stderr


PRINT_HSTS = (
    "from django.conf import settings as s; "
    "print('HSTS', s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def test_hsts_subdomains_and_preload_are_opt_in():
    code, output = manage("shell", "-c", PRINT_HSTS, env=production_env())
    assert code == 0, output
    assert "HSTS 31536000 False False" in output
    opted_in = production_env(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    code, output = manage("shell", "-c", PRINT_HSTS, env=opted_in)
    assert code == 0, output
    assert "HSTS 31536000 True True" in output


# --- 11. load_demo refuses to create its published credentials with DEBUG off ------------


@pytest.mark.django_db
def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-demo-credentials"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()
    assert not Locale.objects.filter(language_code="ru").exists()  # nothing loaded either


def test_load_demo_refuses_under_production_settings(tmp_path):
    from tests.servers import migrated_site

    env = production_env(DATABASE_URL=migrated_site(tmp_path)["DATABASE_URL"])
    code, output = manage("load_demo", env=env)
    assert code != 0
    assert "--allow-demo-credentials" in output
    code, output = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; print('users', User.objects.count())",
        env=env,
    )
    assert "users 0" in output, output


# --- 14. Deploy checks of our own: no Redis, admin base URL at localhost ----------------


def test_deploy_check_warns_without_redis_and_with_a_localhost_admin_url():
    code, output = manage("check", "--deploy", env=production_env())
    assert "site_project.W001" in output, output
    assert "site_project.W002" in output, output
    configured = production_env(
        REDIS_URL="redis://127.0.0.1:6379/0", WAGTAILADMIN_BASE_URL="https://newsdesk.example"
    )
    code, output = manage("check", "--deploy", env=configured)
    assert "site_project.W00" not in output, output
    # Not part of the plain check: development is not warned.
    code, output = manage("check", env=production_env())
    assert code == 0, output
    assert "site_project.W00" not in output, output


# --- 1. The admin login lockout (django-axes) cannot be bypassed ------------------------

LOGIN_URL = "/admin/login/"


@pytest.fixture
def editor_user(db):
    return get_user_model().objects.create_superuser("editor", "e@example.com", "right-password")


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_holds_for_an_nfkc_equivalent_username(client, editor_user):
    for _ in range(6):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-password").status_code == 429
    # "ｅditor" (fullwidth e) is "editor" to the login form: the same lock, from this
    # address and from any other.
    assert attempt(client, "\uff45ditor", "right-password").status_code == 429
    assert attempt(client, "\uff45ditor", "right-password", ip="10.0.0.9").status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_spraying_from_one_address_is_locked(client, editor_user):
    statuses = [attempt(client, f"user{n}", "wrong").status_code for n in range(20)]
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert attempt(client, "editor", "right-password").status_code == 429


def test_lockout_survives_cache_eviction_and_other_workers(client, editor_user):
    for _ in range(5):
        attempt(client, "editor", "wrong")
    # ~450 uncached GETs evicted the old throttle's counter from the 300-entry memory
    # cache; another gunicorn worker never had it. Both are an empty cache here.
    cache.clear()
    assert attempt(client, "editor", "right-password", ip="10.0.0.7").status_code == 429


@pytest.mark.django_db
def test_django_admin_is_not_served(client):
    assert client.get("/django-admin/login/", follow=True).status_code == 404
    assert client.get("/kk/django-admin/login/").status_code == 404
    # A POST is redirected into the language prefix (no login there), never authenticated.
    posted = client.post("/django-admin/login/", {"username": "a", "password": "b"}, follow=True)
    assert posted.status_code == 404


# --- 3 and 5. API v2: pages only, and bad input answers 400 in problem+json -------------

V2_REPORTED = [
    "/api/v2/pages/?offset=99999999999999999999",
    "/api/v2/pages/?search=%00",
    "/api/v2/pages/?search=" + "+".join(["слово"] * 800),
    "/api/v2/pages/?search_operator=xx&search=a",
    "/api/v2/pages/?type=news.NewsPage&date=99999-99-99",
]
V2_PARAMETERS = [
    "offset",
    "limit",
    "search",
    "search_operator",
    "order",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "locale",
    "translation_of",
    "slug",
    "id",
    "date",
    "title",
    "show_in_menus",
    "html_path",
]
HOSTILE_VALUES = [
    "99999999999999999999",
    "-1",
    "1e999",
    "\x00",
    "a\x00b",
    " ".join(["w"] * 800),
    "x" * 5000,
    "xx",
    "99999-99-99",
    "2024-02-30",
    "'\"<script>alert(1)</script>",
    "☃ ӘҒҚ",
    "",
    "true,false",
    "-title,,",
    "../../etc/passwd",
]


def _assert_problem(response, url):
    assert response.status_code in (400, 404), (url, response.status_code)
    assert response["Content-Type"].startswith("application/problem+json"), url
    assert response.json()["status"] == response.status_code


@pytest.mark.django_db
def test_v2_reported_bad_input_answers_400(client, site_tree, settings):
    settings.NEWSDESK_API_RATE = ""
    _home, index = site_tree
    make_news(index, "Жаңалық")
    for url in V2_REPORTED:
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        _assert_problem(response, url)


@pytest.mark.django_db
def test_v2_hostile_parameters_never_500(client, site_tree, settings):
    settings.NEWSDESK_API_RATE = ""
    settings.NEWSDESK_RESPONSE_CACHE = False
    _home, index = site_tree
    story = make_news(index, "Жаңалық")
    for base in ("/api/v2/pages/", "/api/v2/pages/?type=news.NewsPage"):
        for name in V2_PARAMETERS:
            for value in HOSTILE_VALUES:
                params = {name: value}
                if base.endswith("NewsPage"):
                    params["type"] = params.get("type", "news.NewsPage")
                response = client.get(base.split("?")[0], params)
                assert response.status_code in (200, 400, 404), (base, name, value)
                if response.status_code != 200:
                    _assert_problem(response, (base, name, value))
    for url in (
        f"/api/v2/pages/{story.pk}/?fields=*,-x,,",
        "/api/v2/pages/99999999999999999999/",
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/pages/find/?html_path=/" + "a/" * 2000,
    ):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
        if response.status_code in (400, 404):
            _assert_problem(response, url)


@pytest.mark.django_db
def test_v2_images_and_documents_endpoints_are_not_public(client, site_tree):
    make_image("Жасырын сурет")
    for url in ("/api/v2/images/", "/api/v2/documents/", "/api/v2/images/1/"):
        assert client.get(url).status_code == 404, url


def _document(title):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"secret minutes", name=f"{title}.txt")
    )


def _linking_body(document):
    return [("paragraph", f'<p><a linktype="document" id="{document.pk}">құжат</a></p>')]


@pytest.mark.django_db
def test_documents_of_hidden_pages_are_not_served(client, site_tree):
    _home, index = site_tree
    private_doc = _document("private-minutes")
    draft_doc = _document("draft-minutes")
    public_doc = _document("public-minutes")
    restricted = make_news(index, "Жабық", body=_linking_body(private_doc))
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    make_news(index, "Жоба", publish=False, body=_linking_body(draft_doc))
    make_news(index, "Ашық", body=_linking_body(public_doc))
    for document in (private_doc, draft_doc):
        assert client.get(document.url).status_code == 404, document.title
    public = client.get(public_doc.url)
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == b"secret minutes"
    # A document in a login-restricted collection: Wagtail's own rule still holds.
    private = Collection.get_first_root_node().add_child(name="Жабық")
    restricted_doc = _document("board")
    restricted_doc.collection = private
    restricted_doc.save()
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    assert client.get(restricted_doc.url).status_code == 302
    # Editors still get every document.
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    assert client.get(private_doc.url).status_code == 200
