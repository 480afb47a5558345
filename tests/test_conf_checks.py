"""news/conf.py (defaults, lazy reads) and news/checks.py (manage.py check explains bad values)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from news import checks
from news.conf import SETTINGS, conf


def ids(errors):
    return sorted(error.id for error in errors)


def test_every_setting_has_a_default_and_a_doc(settings):
    for item in SETTINGS:
        assert item.doc.strip()
        delattr(settings, item.setting_name) if hasattr(settings, item.setting_name) else None
        assert getattr(conf, item.name) == item.default


def test_conf_reads_the_setting_on_each_access():
    with override_settings(NEWSDESK_PAGE_SIZE=3):
        assert conf.PAGE_SIZE == 3
    with override_settings(NEWSDESK_PAGE_SIZE=7):
        assert conf.PAGE_SIZE == 7


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        conf.NO_SUCH_SETTING  # noqa: B018


def test_the_reference_configuration_passes():
    assert checks.check_settings() == []
    assert checks.check_installation() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"NEWSDESK_PAGE_SIZE": "10"}, ["newsdesk.E001"]),
        ({"NEWSDESK_LISTING_FALLBACK": 1}, ["newsdesk.E001"]),
        ({"NEWSDESK_PAGE_SIZE": 0}, ["newsdesk.E002"]),
        ({"NEWSDESK_FALLBACKS": {"ru": ["kk", "de"]}}, ["newsdesk.E003"]),
        ({"NEWSDESK_FALLBACKS": {"xx": ["kk"]}}, ["newsdesk.E003"]),
        ({"NEWSDESK_FALLBACKS": {"ru": "kk"}}, ["newsdesk.E004"]),
        ({"NEWSDESK_API_RATE": "lots"}, ["newsdesk.E005"]),
        ({"NEWSDESK_API_RATE": ""}, []),
        ({"NEWSDESK_SEARCH_FUNCTION": "search.query.no_such_function"}, ["newsdesk.E006"]),
        ({"NEWSDESK_PREVIEW_URL": "https://front.example/preview"}, ["newsdesk.E007"]),
    ],
)
def test_malformed_values_are_explained(overrides, expected):
    with override_settings(**overrides):
        assert ids(checks.check_settings()) == expected


def test_missing_apps_and_middleware(settings, monkeypatch):
    # A required app that is not installed (changing INSTALLED_APPS itself would reload
    # the app registry and every URLconf mid-test).
    monkeypatch.setattr(checks, "REQUIRED_APPS", [*checks.REQUIRED_APPS, "wagtail_newsdesk_x"])
    django_locale = "django.middleware.locale.LocaleMiddleware"
    settings.MIDDLEWARE = [
        django_locale if m == "news.api.locale.LocaleMiddleware" else m for m in settings.MIDDLEWARE
    ]
    errors = checks.check_installation()
    assert ids(errors) == ["newsdesk.E010", "newsdesk.W012"]
    assert "'wagtail_newsdesk_x'" in errors[0].msg
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != django_locale]
    assert ids(checks.check_installation()) == ["newsdesk.E010", "newsdesk.W013"]
    settings.WAGTAIL_I18N_ENABLED = False
    assert "newsdesk.E011" in ids(checks.check_installation())


def test_manage_py_check_fails_with_the_explanation():
    with override_settings(NEWSDESK_API_RATE="often"), pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert "NEWSDESK_API_RATE: 'often' is not a rate." in str(raised.value)


def test_the_plugins_read_settings_through_conf():
    """A ``settings.NEWSDESK_X`` read fails on a host that leaves X at its default."""
    base = Path(__file__).resolve().parent.parent
    offenders = [
        f"{path.relative_to(base)}:{number}"
        for app in ("news", "search", "kazakh_admin")
        for path in sorted((base / app).rglob("*.py"))
        if path.name != "conf.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"settings\.NEWSDESK_|getattr\(settings, [\"']NEWSDESK_", line)
        and not line.lstrip().startswith("#")
        and "``" not in line
    ]
    assert not offenders, f"read these through news.conf.conf: {offenders}"


def test_docs_list_every_setting_with_its_default():
    text = (Path(__file__).resolve().parent.parent / "docs" / "install.md").read_text()
    for item in SETTINGS:
        assert f"| `{item.setting_name}` | `{item.default!r}` |" in text, item.setting_name
