"""A newsroom for the feed, sitemap and SEO tests: translated, fallback and hidden stories."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import NewsTopicFactory, make_image, make_news, translate

HIDDEN_TITLES = ("Жоба", "Құпия", "Болашақ", "Алынған")


@dataclass
class Newsroom:
    home: object
    index: object
    ru_home: object
    ru_index: object
    topic: object
    ru_topic: object
    translated: object  # kk story with a live ru translation, a hero image and a topic
    ru_translated: object
    fallback_only: object  # kk story without translation, no image
    hidden: dict = field(default_factory=dict)  # name -> page that readers must never see


def build_newsroom(home, index):
    ru_home = translate(home, "ru", strings={"Басты бет": "Главная"})
    ru_index = translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    ru_topic = translate(
        topic, "ru", strings={"Экономика": "Экономика (ru)", "ekonomika": "ekonomika-ru"}
    )
    fallback_only = make_news(index, "Екінші", topics=[topic], lead="Екінші жаңалықтың лиді")
    translated = make_news(
        index,
        "Бірінші",
        topics=[topic],
        image=make_image("Хабар суреті"),
        image_caption="Астана",
        image_credit="Фото: Newsdesk",
        lead="Бірінші жаңалықтың лиді",
    )
    ru_translated = translate(
        translated,
        "ru",
        strings={
            "Бірінші": "Первая",
            "Бірінші жаңалықтың лиді": "Лид первой новости",
            "Астана": "Астана (ru)",
        },
    )

    # make_news(publish=False) alone leaves a *live* page (Page.live defaults to True),
    # as Wagtail's admin never does for a new draft: say live=False explicitly.
    draft = make_news(index, "Жоба", publish=False, live=False)
    private = make_news(index, "Құпия")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    future = make_news(index, "Болашақ", publish=False, live=False)
    future.go_live_at = timezone.now() + timedelta(days=2)
    future.save_revision().publish()
    future.refresh_from_db()
    assert not future.live
    withdrawn = make_news(index, "Алынған")
    withdrawn.unpublish()
    return Newsroom(
        home=home,
        index=index,
        ru_home=ru_home,
        ru_index=ru_index,
        topic=topic,
        ru_topic=ru_topic,
        translated=translated,
        ru_translated=ru_translated,
        fallback_only=fallback_only,
        hidden={"draft": draft, "private": private, "future": future, "withdrawn": withdrawn},
    )
