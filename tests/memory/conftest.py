from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from tests.factories import make_news

ROLE = "Талғар ауданының әкімі"
ROLE_RU = "аким Талгарского района"


def story(index, title, *, role=ROLE, lead=None, attribution="Ерлан Нұрланов"):
    return make_news(
        index,
        title,
        lead=lead or f"{title}: қысқаша",
        body=[
            ("paragraph", f"<p>{title} мәтіні.</p>"),
            ("quote", {"text": "Сөз", "attribution": attribution, "role": role, "source_url": ""}),
        ],
    )


def make_user(name):
    user = get_user_model().objects.create_superuser(name, f"{name}@example.com", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # messages asserted in English, the catalogues' source
    profile.save()
    return user


@pytest.fixture
def alice(client, db):
    user = make_user("alice")
    client.force_login(user)
    return user


def ru():
    return Locale.objects.get(language_code="ru")


def submit(client, page, *languages):
    """wagtail-localize's own "Translate this page" view."""
    locales = [Locale.objects.get(language_code=code).id for code in languages]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[page.id]),
            {"locales": locales},
        )
    assert response.status_code == 302, response.content[:500]
    source = TranslationSource.objects.get_for_instance(page)
    return {t.target_locale.language_code: t for t in Translation.objects.filter(source=source)}


def segment(translation, text):
    return StringSegment.objects.get(source=translation.source, string__data=text)


def edit_segment(client, translation, text, value):
    """wagtail-localize's own editor API: a translator types a segment's translation."""
    seg = segment(translation, text)
    response = client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.id, seg.id]),
        urlencode({"value": value}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content[:500]
    return StringTranslation.objects.get(
        translation_of=seg.string, context=seg.context, locale=translation.target_locale
    )


def translated(translation, text):
    seg = segment(translation, text)
    return StringTranslation.objects.filter(
        translation_of=seg.string, context=seg.context, locale=translation.target_locale
    ).first()
