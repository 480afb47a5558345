"""The editors' side: spelling exceptions (snippet), the slug style, the Latin preview."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from news.kazakh_latin import spellings
from news.kazakh_latin.preview import LATIN_MODE
from news.kazakh_latin.spellings import LatinSpelling
from news.models import NewsPage
from tests.factories import make_news, translate

pytestmark = pytest.mark.django_db


def test_exceptions_are_read_once_and_forgotten_when_one_changes(django_assert_num_queries):
    LatinSpelling.objects.create(cyrillic="Ямада", latin="Yamada")
    with django_assert_num_queries(1):
        assert spellings.current().exact == {"ямада": "Yamada"}
        assert spellings.current().exact == {"ямада": "Yamada"}
    LatinSpelling.objects.create(cyrillic="Джун", latin="Jun", inflected=False)
    assert len(spellings.current()) == 2
    LatinSpelling.objects.filter(cyrillic="Джун").get().delete()
    assert len(spellings.current()) == 1


def test_an_exception_is_one_cyrillic_word_and_a_latin_spelling():
    with pytest.raises(ValidationError):
        LatinSpelling(cyrillic="Джун Ямада", latin="Jun Yamada").full_clean()
    with pytest.raises(ValidationError):
        LatinSpelling(cyrillic="Ямада", latin="Ямада").full_clean()
    LatinSpelling(cyrillic=" Ямада ", latin="Yamada").full_clean()


def test_editors_with_the_permission_edit_exceptions_others_do_not(client, django_user_model):
    url = "/admin/snippets/news/latinspelling/"
    access = Permission.objects.get(codename="access_admin")
    plain = django_user_model.objects.create_user("plain", password="x")
    plain.user_permissions.add(access)
    client.force_login(plain)
    assert client.get(url).status_code in (302, 403)

    chiefs = Group.objects.create(name="Chief editors")
    chiefs.permissions.add(
        access,
        *Permission.objects.filter(
            content_type__app_label="news", codename__endswith="_latinspelling"
        ),
    )
    chief = django_user_model.objects.create_user("chief", password="x")
    chief.groups.add(chiefs)
    client.force_login(chief)
    assert client.get(url).status_code == 200
    response = client.post(
        url + "add/", {"cyrillic": "Ямада", "latin": "Yamada", "inflected": "on", "note": ""}
    )
    assert response.status_code == 302
    assert LatinSpelling.objects.get().latin == "Yamada"


def test_new_kazakh_stories_get_a_latin_slug_when_the_setting_says_so(site_tree, settings):
    _home, index = site_tree
    cyrillic = make_news(index, "Жаңа мектеп", slug="жаңа-мектеп")
    assert cyrillic.slug == "жаңа-мектеп"

    settings.NEWSDESK_KAZAKH_SLUG_STYLE = "latin"
    latin = make_news(index, "Нығайту", slug="нығайту")
    assert latin.slug == "nygaitu"
    # An existing story keeps its address.
    cyrillic.title = "Жаңа мектеп ашылды"
    cyrillic.save_revision().publish()
    cyrillic.refresh_from_db()
    assert cyrillic.slug == "жаңа-мектеп"


def test_the_latin_preview_renders_the_kazakh_page_in_latin_letters(site_tree):
    _home, index = site_tree
    LatinSpelling.objects.create(cyrillic="Ямада", latin="Yamada")
    page = make_news(index, "Байланыстарды нығайту")
    assert LATIN_MODE in dict(page.preview_modes)
    response = page.make_preview_request(preview_mode=LATIN_MODE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="kk-Latn"' in html
    assert "Bailanystardy nyğaitu" in html
    assert "Djun Yamada" in html  # the quote's speaker, with the editors' exception
    assert "Байланыстарды нығайту" not in html.split("<body", 1)[1]


def test_the_latin_preview_is_offered_for_kazakh_pages_only(site_tree):
    _home, index = site_tree
    page = make_news(index, "Жаңалық")
    russian = NewsPage.objects.get(pk=translate(page, "ru").pk)
    assert LATIN_MODE not in dict(russian.preview_modes)


def test_the_admin_previews_the_unsaved_draft_in_latin_letters(admin_client, site_tree):
    from wagtail.test.utils.form_data import rich_text, streamfield

    from tests.factories import edit_form_data

    _home, index = site_tree
    story = make_news(index, "Алдын ала")
    data = edit_form_data(
        story,
        title="Жаңа тақырып",
        lead="Қысқаша",
        body=streamfield([("paragraph", rich_text("<p>Ілияс Есенберлин</p>"))]),
        image_caption="",
        image_credit="",
    )
    url = f"/admin/pages/{story.pk}/edit/preview/"
    posted = admin_client.post(url, data)
    assert posted.status_code == 200 and posted.json().get("is_valid") is True
    response = admin_client.get(url + f"?mode={LATIN_MODE}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jaña taqyryp" in html and "Iliias Esenberlin" in html
