"""Machine translation through wagtail-localize, against a fake LibreTranslate on loopback."""

import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from tests.factories import make_news

ROOT = Path(__file__).resolve().parent.parent
LIBRETRANSLATE = "wagtail_localize.machine_translators.libretranslate.LibreTranslator"

# What the fake service "knows"; anything else comes back as "[ru] <text>".
GLOSSARY = {"Сөз": "Слово", "Елші": "Посол"}


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """POST /translate like LibreTranslate; ``server.mode`` is "ok", "error" or "slow"."""

    def do_POST(self):  # noqa: N802 - http.server's API
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(payload)
        if self.path != "/translate":
            return self._reply(404, {"error": "Not found"})
        if self.server.mode == "error":
            return self._reply(500, {"error": "Internal error"})
        if self.server.mode == "slow":
            time.sleep(2.5)
        texts = payload["q"] if isinstance(payload["q"], list) else [payload["q"]]
        target = payload["target"]
        return self._reply(
            200, {"translatedText": [GLOSSARY.get(text, f"[{target}] {text}") for text in texts]}
        )

    def _reply(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    server.daemon_threads = True
    server.mode = "ok"
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def libretranslate(settings, fake_server):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": LIBRETRANSLATE,
        "OPTIONS": {
            "LIBRETRANSLATE_URL": f"http://127.0.0.1:{fake_server.server_port}",
            "API_KEY": "test-key",
            "TIMEOUT": 1,
        },
    }
    return fake_server


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    # The admin speaks each editor's language (kk by default); these messages are asserted
    # in English, the source language of the catalogues.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def ru_translation(site_tree):
    """A Kazakh article submitted for translation into ru, one string already done by hand."""
    home, index = site_tree
    page = make_news(index, "Бірінші жаңалық")
    ru = Locale.objects.get(language_code="ru")
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=ru)
    title = source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.create(
        translation_of=title.string,
        locale=ru,
        context=title.context,
        data="Первая новость",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )
    translation.save_target(publish=False)
    return translation


def _ru_strings(translation):
    return {
        st.context.path: st.data
        for st in StringTranslation.objects.filter(
            locale=translation.target_locale, context__object=translation.source.object
        ).select_related("context")
    }


def _post_machine_translate(client, translation):
    url = reverse("wagtail_localize:machine_translate", args=[translation.id])
    return client.post(url, {"next": "/admin/"})


def test_machine_translation_fills_the_missing_segments(
    editor_client, libretranslate, ru_translation
):
    segments = ru_translation.source.stringsegment_set.count()
    response = _post_machine_translate(editor_client, ru_translation)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    strings = _ru_strings(ru_translation)
    assert len(strings) == segments
    # The string done by hand is untouched; the service was not even asked for it.
    assert strings["title"] == "Первая новость"
    assert all("Бірінші жаңалық" != text for text in libretranslate.requests[0]["q"])
    assert libretranslate.requests[0]["source"] == "kk"
    assert libretranslate.requests[0]["target"] == "ru"
    quote_text = next(v for k, v in strings.items() if k.endswith(".text"))
    assert quote_text == "Слово"
    machine = StringTranslation.objects.filter(
        locale=ru_translation.target_locale, tool_name="LibreTranslate"
    )
    assert machine.count() == segments - 1
    assert all(st.translation_type == "machine" for st in machine)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("LibreTranslate" in m for m in messages)

    # Nothing left: a second run asks nothing and says so.
    response = _post_machine_translate(editor_client, ru_translation)
    assert len(libretranslate.requests) == 1
    assert any("anything left" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize(
    ("mode", "reason"), [("error", "error 500"), ("slow", "did not answer in time")]
)
def test_service_failure_gives_a_clear_message_and_changes_nothing(
    editor_client, libretranslate, ru_translation, mode, reason
):
    libretranslate.mode = mode
    before = _ru_strings(ru_translation)

    response = _post_machine_translate(editor_client, ru_translation)

    assert response.status_code == 302  # never a 500
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1
    assert "LibreTranslate could not translate this page" in messages[0]
    assert reason in messages[0]
    assert "Nothing was changed" in messages[0]
    assert _ru_strings(ru_translation) == before == {"title": "Первая новость"}


def test_unreachable_service(editor_client, settings, ru_translation):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": LIBRETRANSLATE,
        # Port 9 (discard) on loopback: nothing listens there.
        "OPTIONS": {"LIBRETRANSLATE_URL": "http://127.0.0.1:9", "API_KEY": "", "TIMEOUT": 1},
    }
    response = _post_machine_translate(editor_client, ru_translation)
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "could not be reached" in messages[0]


def test_no_machine_translator_configured_is_a_404(editor_client, settings, ru_translation):
    if hasattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR"):
        del settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR
    response = _post_machine_translate(editor_client, ru_translation)
    # A 404 (which LocaleMiddleware turns into a redirect to a language-prefixed URL, in
    # the language of the editor's account).
    assert response.status_code == 404 or re.match(
        r"^/(kk|ru|en)/admin/localize/", response["Location"]
    )
    assert _ru_strings(ru_translation) == {"title": "Первая новость"}


def test_only_editors_may_machine_translate(client, libretranslate, ru_translation):
    response = _post_machine_translate(client, ru_translation)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert libretranslate.requests == []


def _settings_in_subprocess(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_MACHINE")}
    clean.update(env, DJANGO_SETTINGS_MODULE="site_project.settings.test")
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


@pytest.mark.slow
def test_settings_translate_the_environment_into_wagtail_localize_options():
    result = _settings_in_subprocess()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is None  # off unless configured

    result = _settings_in_subprocess(
        NEWSDESK_MACHINE_TRANSLATOR="libretranslate",
        NEWSDESK_MACHINE_TRANSLATOR_URL="http://127.0.0.1:5000/",
        NEWSDESK_MACHINE_TRANSLATOR_KEY="k",
        NEWSDESK_MACHINE_TRANSLATOR_TIMEOUT="7",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["CLASS"] == LIBRETRANSLATE
    assert config["OPTIONS"]["LIBRETRANSLATE_URL"] == "http://127.0.0.1:5000"
    assert config["OPTIONS"]["API_KEY"] == "k"
    assert config["OPTIONS"]["TIMEOUT"] == 7

    result = _settings_in_subprocess(
        NEWSDESK_MACHINE_TRANSLATOR="deepl", NEWSDESK_MACHINE_TRANSLATOR_KEY="abc:fx"
    )
    config = json.loads(result.stdout)
    assert config["CLASS"].endswith("deepl.DeepLTranslator")
    assert config["OPTIONS"]["AUTH_KEY"] == "abc:fx"

    result = _settings_in_subprocess(NEWSDESK_MACHINE_TRANSLATOR="libretranslate")
    assert result.returncode != 0
    assert "NEWSDESK_MACHINE_TRANSLATOR_URL is required" in result.stderr
