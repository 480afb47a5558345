"""The TypeScript client's committed schema and generated types are the API's current ones
(clients/typescript; .ci/run also type-checks the reference consumer with tsc --strict)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "typescript"
REGENERATE = (
    "regenerate: DJANGO_SETTINGS_MODULE=site_project.settings.test .venv/bin/python manage.py "
    "spectacular --urlconf news.api.schema_urls --format openapi-json "
    "--file clients/typescript/schema/openapi.json && (cd clients/typescript && npm run generate)"
)


def test_committed_schema_is_the_current_one(tmp_path, db):
    fresh = tmp_path / "openapi.json"
    call_command(
        "spectacular",
        urlconf="news.api.schema_urls",
        format="openapi-json",
        file=str(fresh),
    )
    committed = json.loads((CLIENT / "schema" / "openapi.json").read_text())
    assert json.loads(fresh.read_text()) == committed, REGENERATE


def test_generated_types_are_fresh(tmp_path):
    generator = CLIENT / "node_modules" / ".bin" / "openapi-typescript"
    if not generator.exists() or shutil.which("node") is None:
        pytest.skip("cd clients/typescript && npm ci (CI runs it)")
    fresh = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(generator), "schema/openapi.json", "-o", str(fresh)],
        cwd=CLIENT,
        check=True,
        capture_output=True,
    )
    assert fresh.read_text() == (CLIENT / "src" / "schema.d.ts").read_text(), REGENERATE
