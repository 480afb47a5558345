"""Property-based fuzzing of the headless API v1 (schemathesis) on a live server.

Every operation of ``/api/v1/schema/`` gets ``NEWSDESK_FUZZ_EXAMPLES`` (default
300) generated requests against pytest-django's live server on 127.0.0.1,
including invalid ones (wrong types, out-of-range numbers, odd strings):
no response may be a 5xx, and every response must conform to the schema
(status code documented, content type, headers and body shape).

Marked ``fuzz`` (and ``slow``), so the normal suite (``make test``) leaves it out:
``.ci/run`` runs it in a step of its own with a time bound, ``make fuzz`` runs it alone
(``.venv/bin/pytest -m fuzz tests/reliability/test_fuzz_api.py``).
"""

import datetime
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation import GenerationMode

from tests.factories import NewsTopicFactory, make_image, make_news, make_site, translate

EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "300"))

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def fuzz_site(transactional_db, settings):
    """A small multilingual newsroom the live server can serve."""
    settings.NEWSDESK_API_RATE = ""  # the fuzzer is one client sending thousands of requests
    home, index = make_site()
    translate(home, "ru")
    translate(index, "ru", strings={"zhanalyqtar": "novosti"})
    topic = NewsTopicFactory(name="Экономика", slug="ekonomika")
    photo = make_image("Сурет")
    first = make_news(index, "Бірінші", topics=[topic], image=photo, date=datetime.date(2026, 1, 2))
    second = make_news(index, "Екінші", related=[first], date=datetime.date(2026, 1, 3))
    translate(second, "ru", strings={"Екінші": "Вторая"})
    make_news(index, "Жоба", publish=False)
    return index


@pytest.fixture
def api_schema(fuzz_site, live_server):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")


def fuzz_operation(operation, mode, examples, base_url, counter):
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # bounded: no shrinking
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        counter[operation.label] = counter.get(operation.label, 0) + 1
        case.call_and_validate(base_url=base_url, checks=CHECKS)

    run()


@pytest.mark.fuzz
@pytest.mark.slow
def test_api_conforms_to_its_schema(api_schema, live_server):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    # Every v1 endpoint is in the schema, so every one is fuzzed.
    for path in (
        "/api/v1/news/",
        "/api/v1/news/{id}/",
        "/api/v1/news/{id}/other/",
        "/api/v1/resolve/",
        "/api/v1/locales/",
    ):
        assert f"GET {path}" in labels, sorted(labels)
    counter = {}
    for operation in operations:
        fuzz_operation(operation, GenerationMode.POSITIVE, EXAMPLES, live_server.url, counter)
        try:
            fuzz_operation(
                operation, GenerationMode.NEGATIVE, max(EXAMPLES // 3, 1), live_server.url, counter
            )
        except Unsatisfiable:
            # No parameter can be made invalid (e.g. /locales/ takes none).
            assert not operation.query and not operation.path_parameters, operation.label
    total = sum(counter.values())
    print(f"\nfuzzed {total} requests over {len(counter)} operations: {counter}")
    with_parameters = {
        operation.label
        for operation in operations
        if operation.query or operation.path_parameters or operation.headers
    }
    assert all(counter[label] >= EXAMPLES for label in with_parameters), counter
