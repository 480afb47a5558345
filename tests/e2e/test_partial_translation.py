"""The reader's page of a partially translated story, in Chromium.

A Russian translation is published through wagtail-localize's own models with two
segments left untranslated: the speaker's role and the slug. The reader's page keeps
the role's Kazakh marked ``lang="kk"`` (the browser's ``:lang()`` sees it, so screen
readers, hyphenation and fonts do too), everything translated stays Russian, and the
URL comes from the translated title.
"""

import json
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import shell

pytestmark = pytest.mark.e2e

# A role no story has had translated (translation memory would pre-fill a known one).
ROLE_KK = "Талғар аудандық білім бөлімінің басшысы"
RUSSIAN = {
    "Талғарда жаңа мектеп ашылды": "В Талгаре открылась новая школа",
    "Мектеп 600 оқушыға арналған.": "Школа рассчитана на 600 учеников.",
    "Мектеп күзде ашылды.": "Школа открылась осенью.",
    "Балалар үшін бұл үлкен қуаныш": "Для детей это большая радость",
    "Серік Әбенов": "Серик Абенов",
}

PUBLISH_PARTLY = """
import json
from wagtail.models import Locale
from news.desk.translating import write_translation
from news.models import NewsIndex, NewsPage

russian = json.loads({russian!r})
kk, ru = Locale.objects.get(language_code="kk"), Locale.objects.get(language_code="ru")
index = NewsIndex.objects.get(locale=kk)
page = NewsPage(
    title="Талғарда жаңа мектеп ашылды",
    slug="talgarda-zhana-mektep-e2e",
    lead="Мектеп 600 оқушыға арналған.",
    body=[
        ("paragraph", "<p>Мектеп күзде ашылды.</p>"),
        ("quote", {{"text": "Балалар үшін бұл үлкен қуаныш", "attribution": "Серік Әбенов",
                    "role": {role!r}, "source_url": ""}}),
    ],
)
index.add_child(instance=page)
page.save_revision().publish()
write_translation(page, ru, russian)
print(NewsPage.objects.get(pk=page.get_translation(ru).pk).url)
"""


def test_the_untranslated_role_is_marked_kazakh_on_the_russian_page(page, live_url, server_env):
    url = shell(server_env, PUBLISH_PARTLY.format(russian=json.dumps(RUSSIAN), role=ROLE_KK))
    # The slug was left untranslated: the URL follows the translated title.
    assert unquote(url) == "/ru/новости/в-талгаре-открылась-новая-школа/"

    page.goto(live_url + url)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    role = page.locator(".quote__role")
    expect(role).to_have_text(ROLE_KK)
    expect(role).to_have_attribute("lang", "kk")
    # The browser's own idea of each element's language (what assistive technology uses).
    expect(page.locator(".quote__role:lang(kk)")).to_have_count(1)
    expect(page.locator(".quote__speaker:lang(ru)")).to_have_text("Серик Абенов")
    expect(page.locator(".article__title:lang(ru)")).to_have_text("В Талгаре открылась новая школа")
    # Only the one untranslated segment is Kazakh inside the article.
    expect(page.locator(".article__content [lang=kk]")).to_have_count(1)
