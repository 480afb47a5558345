"""The glossary: inflected Kazakh matching, the check, the panel, and machine translation."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from wagtail_localize.machine_translators.deepl import DeepLTranslator
from wagtail_localize.models import StringTranslation

from newsdesk_memory import checks, glossary
from newsdesk_memory.models import GlossaryTerm
from tests.memory.conftest import edit_segment, story, submit, translated

OBLYS = "Алматы облысы"
OBLYS_RU = "Алматинская область"
ROLE = "Алматы облысының әкімі"


@pytest.fixture
def terms(db):
    return [
        GlossaryTerm.objects.create(
            source=OBLYS, russian=OBLYS_RU, english="Almaty Region", kind="place"
        ),
        GlossaryTerm.objects.create(
            source="Талғар ауданы", russian="Талгарский район", kind="place", note="аудан → район"
        ),
        GlossaryTerm.objects.create(source="Парламент Мәжілісі", russian="Мажилис Парламента"),
        GlossaryTerm.objects.create(source="Ұлттық банк", russian="Национальный банк"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Алматы облысының әкімі", [OBLYS]),
        ("Алматы облысында жаңбыр жауды", [OBLYS]),
        ("Алматы облысына барды", [OBLYS]),
        ("Алматы облысы", [OBLYS]),
        ("Талғар ауданының әкімі", ["Талғар ауданы"]),
        ("Парламент Мәжілісінің отырысы", ["Парламент Мәжілісі"]),
        ("Алматыда жаңа облыс", []),  # the words apart: no match
        ("Алматы қаласы", []),
        # «облыстық» ("regional") is another word than «облыс» ("region").
        ("Алматы облыстық ауруханасы", []),
        ("Ұлттық банктің төрағасы", ["Ұлттық банк"]),
    ],
)
def test_inflected_kazakh_matches_the_term(terms, text, expected):
    assert [m.term.source for m in glossary.find_terms(text, terms)] == expected


def test_match_keeps_its_span_and_the_translation_check_accepts_inflected_targets(terms):
    (match,) = glossary.find_terms("Біз Алматы облысының әкімімен кездестік", terms)
    assert match.text == "Алматы облысының"
    assert glossary.contains("аким Алматинской области", OBLYS_RU, "ru")
    assert not glossary.contains("аким Алматы", OBLYS_RU, "ru")
    assert glossary.missing_targets(ROLE, "аким Алматы", "ru", terms) == [terms[0]]
    assert glossary.missing_targets(ROLE, "аким Алматинской области", "ru", terms) == []


def test_the_check_lists_segments_lacking_the_target_term(terms, ru_en_site, client, alice):
    _home, index = ru_en_site
    good = story(index, "Жақсы", role=ROLE)
    bad = story(index, "Жаман", role="Талғар ауданының әкімі", attribution="Нұрлан")
    edit_segment(client, submit(client, good, "ru")["ru"], ROLE, "аким Алматинской области")
    t_bad = submit(client, bad, "ru")["ru"]
    edit_segment(client, t_bad, "Талғар ауданының әкімі", "аким Талгара")

    findings = checks.glossary_findings()
    assert [(f.object_repr, f.language, f.target) for f in findings] == [
        ("Жаман", "ru", "Талгарский район")
    ]
    assert findings[0].translated_text == "аким Талгара"

    report = client.get(reverse("newsdesk_memory_review_report")).content.decode()
    assert "data-glossary-finding" in report and "аким Талгара" in report

    # The panel shows the terms found in each segment, and the missing one.
    panel = client.get(reverse("newsdesk_memory_panel", args=[t_bad.id])).content.decode()
    assert 'data-glossary-term="Талғар ауданы"' in panel
    assert "Талгарский район" in panel and "data-glossary-missing" in panel


# --- machine translation receives the glossary ------------------------------------------


class FakeService(BaseHTTPRequestHandler):
    """LibreTranslate's POST /translate, and DeepL's /v2/glossaries and /v2/translate."""

    def do_POST(self):  # noqa: N802 - http.server's API
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.path == "/translate":  # LibreTranslate (JSON)
            payload = json.loads(body)
            self.server.requests.append(("libre", payload))
            texts = payload["q"] if isinstance(payload["q"], list) else [payload["q"]]
            return self._reply({"translatedText": [f"[ru] {t}" for t in texts]})
        form = parse_qs(body)
        self.server.requests.append((self.path, form))
        if self.path == "/v2/glossaries":
            return self._reply({"glossary_id": "g-123", "entry_count": 1})
        if self.path == "/v2/translate":
            return self._reply({"translations": [{"text": f"[DE] {t}"} for t in form["text"]]})
        self.send_response(404)
        self.end_headers()
        return None

    def _reply(self, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class LoopbackDeepL(DeepLTranslator):
    """wagtail-localize's DeepL translator, pointed at the fake service."""

    def get_api_endpoint(self):
        return self.options["URL"] + "/v2/translate"


@pytest.fixture
def service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeService)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cache.clear()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def glossary_story(terms, ru_en_site, client, alice):
    _home, index = ru_en_site
    page = story(index, "Облыс жаңалығы", role=ROLE)
    return submit(client, page, "ru")["ru"]


def use_libretranslate(settings, service):
    """wagtail-localize's LibreTranslate translator, pointed at the fake service."""
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": f"http://127.0.0.1:{service.server_port}",
            "API_KEY": "",
            "TIMEOUT": 2,
        },
    }


def _machine_translate(client, translation):
    url = reverse("wagtail_localize:machine_translate", args=[translation.id])
    return client.post(url, {"next": "/admin/"})


def test_libretranslate_gets_terms_substituted_before_and_after(
    settings, service, glossary_story, client
):
    use_libretranslate(settings, service)
    response = _machine_translate(client, glossary_story)
    assert response.status_code == 302
    ((kind, payload),) = service.requests
    sent = payload["q"]
    assert "[[T0]] әкімі" in sent  # the term never reaches the service
    assert not any("Алматы облысы" in text for text in sent)
    role = translated(glossary_story, ROLE)
    assert role.data == f"[ru] {OBLYS_RU} әкімі"
    assert role.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
    assert role.tool_name == "LibreTranslate"


def test_deepl_gets_a_real_glossary(settings, service, glossary_story, client):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "tests.memory.test_glossary.LoopbackDeepL",
        "OPTIONS": {"AUTH_KEY": "k", "URL": f"http://127.0.0.1:{service.server_port}"},
    }
    response = _machine_translate(client, glossary_story)
    assert response.status_code == 302
    (path1, created), (path2, translate) = service.requests
    assert path1 == "/v2/glossaries"
    assert created["source_lang"] == ["KK"] and created["target_lang"] == ["RU"]
    assert created["entries_format"] == ["tsv"]
    assert f"{OBLYS}\t{OBLYS_RU}" in created["entries"][0].split("\n")
    assert path2 == "/v2/translate"
    assert translate["glossary_id"] == ["g-123"]
    assert ROLE in translate["text"]  # DeepL applies the glossary itself
    assert translated(glossary_story, ROLE).data == f"[DE] {ROLE}"


def test_sync_with_machine_translation_gets_the_glossary(settings, service, glossary_story, client):
    # wagtail-localize's "Sync translated pages" with "use machine translation": upstream's
    # view takes the translator itself, without the glossary (news.desk.machine_translation
    # SyncTranslationsView answers its URL).
    use_libretranslate(settings, service)
    source = glossary_story.source
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.id]),
            {"use_machine_translation": "on"},
        )
    assert response.status_code == 302
    ((_kind, payload),) = service.requests
    assert "[[T0]] әкімі" in payload["q"]
    assert translated(glossary_story, ROLE).data == f"[ru] {OBLYS_RU} әкімі"


def test_the_task_worker_machine_translates_with_the_glossary(
    settings, service, glossary_story, alice
):
    from news.tasks import machine_translate

    use_libretranslate(settings, service)
    machine_translate.call(glossary_story.id, alice.id)
    ((_kind, payload),) = service.requests
    assert "[[T0]] әкімі" in payload["q"]
    assert translated(glossary_story, ROLE).data == f"[ru] {OBLYS_RU} әкімі"
