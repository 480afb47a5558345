"""Who may see what through translation memory and the bulk action (issue 27, findings 1-5).

A translator who may edit one Russian page, a user with admin access only, and a user
with only the global "submit translation" permission must never read, copy or be told
the title of a draft's (or a private page's) translation.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageViewRestriction
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringTranslation
from wagtail_localize.operations import TranslationCreator

from news.models import Author, NewsPage
from newsdesk_memory.models import MemoryMatch
from tests.factories import AuthorFactory, make_news
from tests.memory.conftest import (
    ROLE,
    ROLE_RU,
    edit_segment,
    ru,
    segment,
    story,
    submit,
    translated,
)

LEAD_SECRET = "Талғар ауданында жаңа зауыт ашылды"
LEAD_SECRET_RU = "В Талгарском районе открылся новый завод"
LEAD_MINE = "Талғар ауданында екі жаңа зауыт ашылды"
LEAD_PUBLIC = "Талғар ауданында жаңа саябақ ашылды"
LEAD_PUBLIC_RU = "В Талгарском районе открылся новый парк"
SECRET_TITLE = "Құпия жоба"
PRIVATE_TITLE = "Жабық жоба"
PRIVATE_ROLE_RU = "глава района (закрытая страница)"


def staff(name, *permissions, superuser=False):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    codes = ("wagtailadmin.access_admin", *permissions)
    for code in codes:
        app, codename = code.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return user


def login(client, user):
    client.cookies.clear()  # the earlier user's messages too
    client.force_login(user)


def publish(translation, user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(user=user, publish=True)
    return translation.get_target_instance()


@pytest.fixture
def desk(ru_en_site, client, alice):
    """The translator's page (Russian draft, theirs to edit), a draft with a Russian
    translation nobody published, a private story's translation, and a public one."""
    _home, index = ru_en_site
    mine = story(index, "Менің жаңалығым", lead=LEAD_MINE)
    mine_translation = submit(client, mine, "ru")["ru"]
    # Made before the others are translated: nothing to pre-fill yet.
    assert translated(mine_translation, ROLE) is None

    secret = story(index, SECRET_TITLE, lead=LEAD_SECRET)
    secret.unpublish()
    secret_translation = submit(client, secret, "ru")["ru"]
    secret_role = edit_segment(client, secret_translation, ROLE, ROLE_RU)
    secret_lead = edit_segment(client, secret_translation, LEAD_SECRET, LEAD_SECRET_RU)

    private = story(index, PRIVATE_TITLE, lead="Жабық мәтін")
    private_translation = submit(client, private, "ru")["ru"]
    edit_segment(client, private_translation, ROLE, PRIVATE_ROLE_RU)
    PageViewRestriction.objects.create(
        page=publish(private_translation, alice),
        restriction_type=PageViewRestriction.PASSWORD,
        password="x",
    )
    public = story(index, "Ашық жаңалық", lead=LEAD_PUBLIC)
    public_translation = submit(client, public, "ru")["ru"]
    edit_segment(client, public_translation, LEAD_PUBLIC, LEAD_PUBLIC_RU)
    publish(public_translation, alice)

    translator = staff("tina", "wagtail_localize.submit_translation")
    group = Group.objects.create(name="One page")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    ru_mine = mine.get_translation(ru())
    GroupPagePermission.objects.create(
        group=group,
        page=ru_mine,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    translator.groups.add(group)
    login(client, translator)
    return {
        "mine": mine,
        "translation": mine_translation,
        "secret": secret,
        "secret_role": secret_role,
        "secret_lead": secret_lead,
        "translator": translator,
        "index": index,
    }


def test_accept_refuses_a_suggestion_it_never_offered(desk, client):
    """Finding 1: accepting by any id read (and copied) any trusted translation."""
    translation = desk["translation"]
    seg = segment(translation, ROLE)
    for leaked in (desk["secret_role"], desk["secret_lead"]):
        url = reverse("newsdesk_memory_accept", args=[translation.id, seg.id, leaked.id])
        response = client.post(url, follow=True)
        assert response.status_code == 404
        assert leaked.data not in response.content.decode()
    assert translated(translation, ROLE) is None


def test_accept_takes_an_offered_public_suggestion(desk, client):
    translation = desk["translation"]
    offered = StringTranslation.objects.get(data=LEAD_PUBLIC_RU)
    seg = segment(translation, LEAD_MINE)
    url = reverse("newsdesk_memory_accept", args=[translation.id, seg.id, offered.id])
    assert client.post(url).status_code == 302
    assert translated(translation, LEAD_MINE).data == LEAD_PUBLIC_RU
    # Offered for that segment only: not for another one.
    other = segment(translation, ROLE)
    url = reverse("newsdesk_memory_accept", args=[translation.id, other.id, offered.id])
    assert client.post(url, follow=True).status_code == 404


def test_the_panel_offers_only_public_or_editable_texts(desk, client):
    """Finding 3: the panel showed a draft's Russian text and its Kazakh source."""
    html = client.get(reverse("newsdesk_memory_panel", args=[desk["translation"].id]))
    assert html.status_code == 200
    html = html.content.decode()
    assert LEAD_PUBLIC_RU in html  # a live, public translation is offered
    for hidden in (LEAD_SECRET_RU, LEAD_SECRET, SECRET_TITLE, PRIVATE_ROLE_RU, ROLE_RU):
        assert hidden not in html


def test_prefill_copies_no_draft_or_private_text(desk):
    """Finding 4: pre-fill copied a draft's translation and named the draft as origin."""
    other = make_news(desk["index"], "Жаңа жаңалық", body=[
        ("quote", {"text": "Сөз", "attribution": "Ерлан", "role": ROLE, "source_url": ""}),
    ])  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(desk["translator"], [ru()]).create_translations(other)
    page = NewsPage.objects.get(translation_key=other.translation_key, locale=ru())
    body = str(page.get_latest_revision_as_object().body.raw_data)
    assert ROLE_RU not in body and PRIVATE_ROLE_RU not in body
    assert not MemoryMatch.objects.filter(
        string_translation__context__object_id=other.translation_key
    ).exists()


def test_the_report_needs_a_permission_and_shows_only_the_users_pages(desk, client, alice):
    """Finding 2: the report had no permission check (only its menu item was hidden)."""
    url = reverse("newsdesk_memory_review_report")
    login(client, staff("adam"))  # admin access only
    response = client.get(url)
    assert response.status_code in (302, 403) and response.get("Location") != url
    assert SECRET_TITLE not in client.get(url, follow=True).content.decode()

    # A superuser's copy of the draft's role lands in a page the translator may not see.
    login(client, alice)
    submit(client, story(desk["index"], "Әкімнің сөзі"), "ru")
    assert MemoryMatch.objects.filter(origin_repr=SECRET_TITLE).exists()
    login(client, desk["translator"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for hidden in (SECRET_TITLE, ROLE_RU, "Әкімнің сөзі"):
        assert hidden not in html


def test_bulk_translate_needs_rights_on_each_page_and_names_no_other(desk, client):
    """Finding 5: the bulk action checked only the global permission."""
    login(client, staff("sam", "wagtail_localize.submit_translation"))
    draft = story(desk["index"], "Жарияланбаған жоба")
    draft.unpublish()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "translate_all"])
    query = f"?id={draft.id}&next=/admin/"
    confirm = client.get(url + query)
    assert "Жарияланбаған жоба" not in confirm.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url + query, {})
    assert NewsPage.objects.filter(translation_key=draft.translation_key).count() == 1


def test_bulk_translate_of_snippets_needs_the_snippet_permissions(desk, client):
    login(client, staff("sam", "wagtail_localize.submit_translation"))
    author = AuthorFactory(name="Жасырын автор")
    url = reverse("wagtail_bulk_action", args=["news", "author", "translate_all"])
    query = f"?id={author.id}&next=/admin/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url + query, {})
    assert Author.objects.filter(translation_key=author.translation_key).count() == 1
