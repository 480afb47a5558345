"""Live blogs on the other surfaces: JSON-LD (checked against the schema.org vocabulary),
feeds, the sitemap, the webhooks, the editors' quick form and the caches."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.test import TestCase

from news.live.editing import add_entry
from news.models import NewsPage, OutboxDelivery, WebhookEndpoint
from tests.factories import make_news, translate
from tests.live.test_live import ENTRY, SECOND, version
from tests.test_sitemaps import sitemap_urls

VOCABULARY = json.loads((Path(__file__).parent / "schemaorg_vocabulary.json").read_text())
TYPES = VOCABULARY["types"]
KEYWORDS = {"@context", "@type", "@id"}


def ancestors(name):
    found = [name]
    for parent in TYPES[name]["parents"]:
        found += ancestors(parent)
    return found


def properties(name):
    return {prop for kind in ancestors(name) for prop in TYPES[kind]["properties"]}


def check_node(node, path="$"):
    """Every typed node's type is known and each property belongs to it or its parents;
    properties with a declared range hold nodes of a type in that range (or ISO times)."""
    kind = node["@type"]
    assert kind in TYPES, f"{path}: unknown type {kind}"
    allowed = properties(kind)
    for prop, value in node.items():
        if prop in KEYWORDS:
            continue
        assert prop in allowed, f"{path}: {kind} has no property {prop}"
        for item in value if isinstance(value, list) else [value]:
            ranges = VOCABULARY["ranges"].get(prop)
            if isinstance(item, dict):
                if ranges:
                    assert set(ancestors(item["@type"])) & set(ranges), f"{path}.{prop}"
                check_node(item, f"{path}.{prop}")
            elif ranges and set(ranges) <= {"Date", "DateTime"}:
                datetime.datetime.fromisoformat(item)


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def add(page, headline, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return add_entry(page, headline=headline, **kwargs)[0]


@pytest.fixture
def live_blog(ru_en_site):
    _home, index = ru_en_site
    page = make_news(index, "Сайлау: тікелей эфир", live_status="live", entries=[SECOND, ENTRY])
    translate(page, "ru", leave=("Алғашқы нәтижелер",))
    return NewsPage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_json_ld_is_a_valid_live_blog_posting_with_one_update_per_entry(client, live_blog):
    for page in (live_blog, version(live_blog, "ru")):
        data = json_ld(client.get(page.url).content.decode())
        assert data["@type"] == "LiveBlogPosting"
        check_node(data)
        updates = data["liveBlogUpdate"]
        assert len(updates) == 2
        for update in updates:
            assert {"headline", "datePublished", "dateModified", "url"} <= set(update)
            assert re.search(r"#live-[0-9a-f]{8}$", update["url"])
        assert data["coverageStartTime"] and "coverageEndTime" not in data
    ended = version(live_blog, "kk")
    ended.live_status = "ended"
    with TestCase.captureOnCommitCallbacks(execute=True):
        ended.save_revision().publish()
    data = json_ld(client.get(ended.url).content.decode())
    check_node(data)
    assert data["coverageEndTime"]


@pytest.mark.django_db
def test_the_vocabulary_check_refuses_what_schema_org_does_not_have():
    with pytest.raises(AssertionError):
        check_node({"@type": "LiveBlogPosting", "liveBlogUpdates": []})
    with pytest.raises(AssertionError):
        check_node({"@type": "LiveBlogPosting", "liveBlogUpdate": [{"@type": "Person"}]})
    with pytest.raises(AssertionError):
        check_node({"@type": "LiveBlog"})


@pytest.mark.django_db
def test_full_feed_carries_entries_and_updated_follows_the_last_entry(client, live_blog):
    add(live_blog, "Кешкі жазба")
    feed = client.get("/kk/news/feed/atom/?full=1").content.decode()
    assert "Кешкі жазба" in feed and "Учаскелер ашылды" in feed
    ru_feed = client.get("/ru/news/feed/rss/?full=1").content.decode()
    assert "Кешкі жазба" in ru_feed  # the new Kazakh entry, marked lang="kk"
    assert "lang=&quot;kk&quot;" in ru_feed or 'lang="kk"' in ru_feed


@pytest.mark.django_db
def test_sitemap_lastmod_follows_the_last_entry(client, live_blog):
    def lastmod():
        urls = sitemap_urls(client)
        [found] = [v["lastmod"] for loc, v in urls.items() if loc.endswith(live_blog.url)]
        return found

    before = lastmod()
    page = add(live_blog, "Кешкі жазба")
    after = lastmod()
    assert after >= before
    assert after[:16] == page.last_entry_at.astimezone(datetime.UTC).isoformat()[:16]


@pytest.mark.django_db
def test_entries_emit_webhook_events(live_blog):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hook", secret="whsec_" + "A" * 32)
    page = add(live_blog, "Жаңа жазба")
    [added] = OutboxDelivery.objects.filter(event="live.entry.added")
    entry = added.payload["entry"]
    assert entry["headline"] == "Жаңа жазба" and entry["url"].endswith("#" + entry["anchor"])
    assert entry["id"] == page.entries[0].id


@pytest.mark.django_db
def test_quick_form_publishes_an_entry_in_the_kazakh_admin(editor, live_blog):
    url = f"/admin/newsdesk/live/{live_blog.pk}/add-entry/"
    form = editor.get(url, HTTP_ACCEPT_LANGUAGE="kk")
    assert form.status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = editor.post(url, {"headline": "Админнен", "text": "Мәтін", "key_event": "on"})
    assert answer.status_code == 302
    page = NewsPage.objects.get(pk=live_blog.pk)
    assert page.entries[0].value["headline"] == "Админнен" and page.entries[0].value["key_event"]
    assert not page.has_unpublished_changes


@pytest.mark.django_db
def test_quick_form_refuses_who_may_not_edit_and_moderates_who_may_not_publish(
    client, live_blog, django_user_model
):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    url = f"/admin/newsdesk/live/{live_blog.pk}/add-entry/"
    access = Permission.objects.get(codename="access_admin")
    reader = django_user_model.objects.create_user("reader", password="pw")
    reader.user_permissions.add(access)
    client.force_login(reader)
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard.
    refused = client.post(url, {"headline": "Рұқсатсыз"})
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert "Рұқсатсыз" not in str(NewsPage.objects.get(pk=live_blog.pk).entries.raw_data)

    writers = Group.objects.create(name="Writers")
    writers.permissions.add(access)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=writers,
            page=live_blog.get_parent(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    writer = django_user_model.objects.create_user("writer", password="pw")
    writer.groups.add(writers)
    client.force_login(writer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url, {"headline": "Тексерілмеген"}).status_code == 302
    page = NewsPage.objects.get(pk=live_blog.pk)
    assert "Тексерілмеген" not in [b.value["headline"] for b in page.entries]  # not live
    assert page.has_unpublished_changes


@pytest.mark.django_db
def test_a_new_entry_leaves_other_stories_cached(client, live_blog, ru_en_site, settings):
    settings.NEWSDESK_RESPONSE_CACHE = True
    other = make_news(ru_en_site[1], "Басқа жаңалық", slug="basqa")
    first = client.get(other.url)
    etag = first["ETag"]
    live_first = client.get(live_blog.url)
    add(live_blog, "Жаңа жазба")
    assert client.get(other.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    again = client.get(live_blog.url, HTTP_IF_NONE_MATCH=live_first["ETag"])
    assert again.status_code == 200 and "Жаңа жазба" in again.content.decode()
