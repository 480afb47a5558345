"""news/conf.py (defaults, lazy reads) and news/checks.py (manage.py check explains bad values)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import translation
from wagtail.models import Site

from kazakh_admin.checks import kazakh_admin_check
from news import checks
from news.conf import SETTINGS, conf
from tests.factories import make_news, translate

REPO = Path(__file__).resolve().parent.parent


def ids(errors):
    return sorted(error.id for error in errors)


def test_every_setting_has_a_default_and_a_doc(settings):
    for item in SETTINGS:
        assert item.doc.strip()
        delattr(settings, item.setting_name) if hasattr(settings, item.setting_name) else None
        assert conf.raw(item) == item.default
        expected = item.derive() if item.derive else item.default
        assert getattr(conf, item.name) == expected


def test_without_fallbacks_every_language_falls_back_along_languages(settings):
    del settings.NEWSDESK_FALLBACKS
    settings.LANGUAGES = [("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")]
    assert conf.FALLBACKS == {"kk": ["ru", "en"], "ru": ["kk", "en"], "en": ["kk", "ru"]}
    settings.LANGUAGES = [("en", "English"), ("ru", "Russian")]
    assert conf.FALLBACKS == {"en": ["ru"], "ru": ["en"]}
    settings.NEWSDESK_FALLBACKS = None  # None is "unset"
    assert conf.FALLBACKS == {"en": ["ru"], "ru": ["en"]}
    settings.NEWSDESK_FALLBACKS = {}  # said on purpose: no fallback at all
    assert conf.FALLBACKS == {}
    assert checks.check_settings() == []


def test_an_untranslated_story_falls_back_with_no_setting(client, site_tree, settings):
    del settings.NEWSDESK_FALLBACKS
    home, index = site_tree
    translate(home, "ru")
    translate(index, "ru")
    story = make_news(index, "Тек қазақша")
    response = client.get(story.url.replace("/kk/", "/ru/", 1))
    assert response.status_code == 200 and response.context["is_fallback"] is True
    api = client.get(f"/api/v1/news/{story.pk}/?locale=ru")
    assert api.status_code == 200 and api.json()["is_fallback"] is True


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
        ({"NEWSDESK_FALLBACKS": [["ru", "kk"]]}, ["newsdesk.E001"]),
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


# --- Install checks (news/checks.py) --------------------------------------------------------


def demo_search(folder):
    """``wagtail start``'s own search app: three entries."""
    (folder / "search" / "templates" / "search").mkdir(parents=True)
    (folder / "search" / "__init__.py").write_text("")
    (folder / "search" / "views.py").write_text("")
    (folder / "search" / "templates" / "search" / "search.html").write_text("")
    return folder / "search"


def test_a_host_search_hiding_ours_is_named_with_what_to_do(tmp_path):
    theirs = demo_search(tmp_path)
    error = checks.search_clash(path=[str(tmp_path)], imported=theirs)
    assert error.id == "newsdesk.E020"
    assert error.msg == (
        f"Two packages are named 'search': yours ({theirs}) hides Newsdesk's search app "
        f"({checks.NEWSDESK_SEARCH}), which news, newsdesk_memory and the search pages need."
    )
    assert error.hint == (
        f"It is the demo search of `wagtail start` (__init__.py, templates, views.py): delete "
        f"the folder {theirs}; Newsdesk's search app replaces it (docs/install.md, step 1)."
    )


def test_ours_hiding_a_host_app_of_its_own_is_named_too(tmp_path):
    theirs = demo_search(tmp_path)
    (theirs / "models.py").write_text("")  # more than the demo: the host's own app
    error = checks.search_clash(path=[str(REPO), str(tmp_path)], imported=checks.NEWSDESK_SEARCH)
    assert error.msg == (
        f"Two packages are named 'search': Newsdesk's ({checks.NEWSDESK_SEARCH}) hides yours "
        f"({theirs}), whose code never runs."
    )
    assert error.hint.startswith(f"Rename your app (the folder {theirs} and its name in ")
    assert checks.search_clash(path=[str(REPO)], imported=checks.NEWSDESK_SEARCH) is None
    assert checks.check_search_clash() == []


def test_the_clash_stops_django_setup_before_anything_else_fails(tmp_path):
    """The host's search first on the path: django.setup() stops with E020, not with
    ``No module named 'search.analysis'`` from newsdesk_memory's models."""
    theirs = demo_search(tmp_path)
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "site_project.settings.test", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()
    assert "search.analysis" not in result.stderr
    assert last[-2] == (
        "django.core.exceptions.ImproperlyConfigured: newsdesk.E020: Two packages are named "
        f"'search': yours ({theirs}) hides Newsdesk's search app ({checks.NEWSDESK_SEARCH}), "
        "which news, newsdesk_memory and the search pages need."
    )
    assert last[-1].strip().startswith("HINT: It is the demo search of `wagtail start`")


def test_unapplied_migrations_are_an_error_in_check_deploy(db):
    assert checks.check_migrations(databases=["default"]) == []
    assert checks.check_migrations(databases=None) == []  # `check` without --database
    recorder = MigrationRecorder.Migration.objects
    for app in ("news", "django_tasks_database"):
        recorder.filter(app=app).order_by("-applied").first().delete()
    [error] = checks.check_migrations(databases=["default"])
    assert error.id == "newsdesk.E021"
    assert error.msg == (
        "The 'default' database lacks 2 migrations: django_tasks_database (1), news (1)."
    )
    assert error.hint == (
        "Run `python manage.py migrate` after adding every app, the task queue's included "
        "(docs/install.md, step 4)."
    )


def test_a_site_left_on_localhost_is_named_and_newsdesk_site_fixes_it(db, settings, capsys):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.kz"
    site = Site.objects.get(is_default_site=True)  # as `wagtail start` leaves it
    assert (site.hostname, site.port) == ("localhost", 80)
    assert checks.check_site_address() == []  # `check` without --database
    [warning] = checks.check_site_address(databases=["default"])
    assert warning.id == "newsdesk.W022"
    assert warning.msg == (
        "The default Site is still http://localhost/, but WAGTAILADMIN_BASE_URL is "
        "https://news.example.kz: canonical, hreflang and JSON-LD links would point at "
        "localhost."
    )
    assert "`python manage.py newsdesk_site`" in warning.hint
    call_command("newsdesk_site")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("news.example.kz", 443)
    assert "now serves https://news.example.kz/" in capsys.readouterr().out
    assert checks.check_site_address(databases=["default"]) == []
    call_command("newsdesk_site", "http://127.0.0.1:8123")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)


def kazakh_admin_warnings():
    with translation.override("en"):
        return [w for w in kazakh_admin_check(None) if w.id != "kazakh_admin.W002"]


def test_kazakh_admin_placement_and_middleware(settings):
    assert kazakh_admin_warnings() == []
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "kazakh_admin.middleware.AdminLanguageMiddleware"
    ]
    [warning] = kazakh_admin_warnings()
    assert warning.id == "kazakh_admin.W004"
    assert warning.msg == (
        "The admin follows the browser's language, not the one an editor chose in their account."
    )
    assert warning.hint == (
        'Add "kazakh_admin.middleware.AdminLanguageMiddleware" to MIDDLEWARE, after '
        "AuthenticationMiddleware."
    )
    settings.MIDDLEWARE = ["kazakh_admin.middleware.AdminLanguageMiddleware", *settings.MIDDLEWARE]
    assert [w.id for w in kazakh_admin_warnings()] == ["kazakh_admin.W004"]


def test_kazakh_admin_after_an_app_with_kazakh_strings_is_named(settings):
    """The reference site silences W002 (its own apps come first by design); a host
    that lists kazakh_admin after news hears which apps override it."""
    from django.apps import apps

    configs = list(apps.app_configs.values())
    names = [c.name for c in configs]
    assert names.index("news") < names.index("kazakh_admin")
    with translation.override("en"):
        [warning] = [w for w in kazakh_admin_check(None) if w.id == "kazakh_admin.W002"]
    assert warning.msg.startswith("These apps come before kazakh_admin and override its Kazakh: ")
    assert "news" in warning.msg
    assert warning.hint == "Put kazakh_admin ahead of them in INSTALLED_APPS."


def test_the_no_redis_deploy_warning_says_where_the_cache_is(settings):
    """Since the on-disk default, no cache is "each worker process's own memory"."""
    from site_project.checks import check_redis

    settings.REDIS_URL = ""
    [warning] = check_redis()
    assert warning.id == "site_project.W001"
    assert warning.msg == (
        "REDIS_URL is not set: the caches are on this machine's disk (NEWSDESK_CACHE_DIR), "
        "shared by its processes but not with another app server."
    )
    assert "own memory" not in warning.msg + warning.hint
