"""kazakh_admin/compat.py and jsi18n.FIXES: each upstream string no catalogue can reach is
shown translated, and each test also fails once upstream fixes its bug (drop the fix)."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from .upstream import package_dir

OVERRIDE = Path(settings.BASE_DIR) / "kazakh_admin" / "templates" / "wagtailadmin"


def test_chooser_viewset_labels_follow_the_users_language():
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    seen = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            seen[language] = (
                str(ChooserViewSet.search_tab_label),
                str(ChooserViewSet.choose_one_text),
            )
    assert seen == {
        "kk": ("Іздеу", "Таңдау"),
        "ru": ("Поиск", "Выбрать"),
        "en": ("Search", "Choose"),
    }


def test_upstream_still_translates_chooser_labels_at_import():
    source = (package_dir("wagtail") / "admin" / "viewsets" / "chooser.py").read_text()
    assert "from django.utils.translation import gettext as _" in source, (
        "Wagtail's ChooserViewSet labels are lazy now: drop lazy_chooser_viewset_labels"
    )


def test_the_chooser_locale_filter_has_a_translated_label(db):
    from wagtail.admin.forms.choosers import BaseFilterForm, LocaleFilterMixin
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="kk")
    Locale.objects.get_or_create(language_code="ru")

    class Filter(LocaleFilterMixin, BaseFilterForm):
        pass

    with translation.override("kk"):
        assert str(Filter().fields["locale"].label) == "Тіл"
    with translation.override("ru"):
        assert str(Filter().fields["locale"].label) != "Locale"


def test_translated_segment_dates_are_localized():
    from wagtail_localize.models import StringTranslation

    done = StringTranslation(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        updated_at=datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC),
    )
    with translation.override("kk"):
        comment = done.get_comment()
    assert "28 қараша 2026" in comment and "November" not in comment
    with translation.override("ru"):
        assert "ноября" in done.get_comment()


def test_upstream_still_writes_english_month_names():
    from wagtail_localize.compat import DATE_FORMAT

    assert "%B" in DATE_FORMAT, "wagtail-localize localizes its dates: drop the get_comment fix"


def test_the_actions_header_override_is_wagtails_template_translated():
    ours = (OVERRIDE / "shared" / "headers" / "_actions.html").read_text()
    theirs = (
        package_dir("wagtail") / "admin/templates/wagtailadmin/shared/headers/_actions.html"
    ).read_text()
    assert 'aria-label="Actions"' in theirs, "Wagtail translates it now: delete our override"
    expected = theirs.replace('aria-label="Actions"', "aria-label=\"{% trans 'Actions' %}\"")
    assert ours.split("\n", 1)[1] == expected, "Wagtail's template changed: copy it again"


def test_the_override_renders_kazakh_and_russian():
    from django.template.loader import render_to_string

    for language, label in (("kk", "Әрекеттер"), ("ru", "Действия"), ("en", "Actions")):
        with translation.override(language):
            html = render_to_string("wagtailadmin/shared/headers/_actions.html", {"actions": ""})
        assert f'aria-label="{label}"' in html, (language, html)


def test_wagtail_localize_bundle_still_hard_codes_what_the_script_translates():
    from kazakh_admin.jsi18n import FIXES

    bundle = package_dir("wagtail_localize") / "static/wagtail_localize/js/wagtail-localize.js"
    code = bundle.read_text()
    assert '"More actions"' in code, "drop the 'More actions' fix from jsi18n.FIXES"
    assert re.search(r"\$\{[^}]+\} to \$\{[^}]+\} translation", code), (
        "drop the '<source> to <target> translation' fix from jsi18n.FIXES"
    )
    assert {fix["msgid"] for fix in FIXES} == {
        "More actions",
        "%(source)s to %(target)s translation",
    }


def test_the_system_check_finds_the_fixes_in_place():
    from kazakh_admin import compat

    assert compat.problems() == []


def test_the_system_check_says_when_a_fix_was_replaced(monkeypatch):
    from wagtail_localize.models import StringTranslation

    from kazakh_admin import compat

    monkeypatch.setattr(StringTranslation, "get_comment", lambda self: "")
    errors = compat.fixes_check(None)
    assert [error.id for error in errors] == ["kazakh_admin.E001"]
    assert "StringTranslation.get_comment" in errors[0].msg


def test_upstream_still_leaves_the_chooser_locale_filter_unlabelled():
    import inspect

    from wagtail.admin.forms.choosers import LocaleFilterMixin

    source = inspect.getsource(LocaleFilterMixin.__init__.__wrapped__)
    field = source[source.index('self.fields["locale"] = forms.ChoiceField(') :]
    assert "label=" not in field, "Wagtail labels the locale filter: drop the fix"


# --- Issue 32: English and ungrammatical counts found on the Kazakh admin's screens ------


def test_the_login_password_field_has_a_translated_label():
    from wagtail.admin.forms.auth import LoginForm

    labels = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            labels[language] = str(LoginForm()["password"].label)
    assert labels == {"kk": "Құпиясөз", "ru": "Пароль", "en": "Password"}


def test_upstream_login_password_field_still_has_no_label():
    source = (package_dir("wagtail") / "admin" / "forms" / "auth.py").read_text()
    block = source[source.index("password = forms.CharField(") :][:300]
    assert "label=" not in block, "Wagtail labels the password: drop label_the_login_password"


def test_the_localize_reports_menu_item_follows_the_users_language():
    from wagtail_localize.wagtail_hooks import register_wagtail_localize2_report_menu_item

    from kazakh_admin.compat import lazy_localize_reports_menu_label

    with translation.override("en"):  # built once, in whatever language is active
        item = register_wagtail_localize2_report_menu_item()
    assert item.label == "Translations"
    lazy_localize_reports_menu_label(None, [item])
    with translation.override("kk"):
        assert str(item.label) == "Аудармалар"
    with translation.override("ru"):
        assert str(item.label) == "Переводы"


def test_upstream_localize_menu_label_is_still_translated_when_built():
    source = (package_dir("wagtail_localize") / "wagtail_hooks.py").read_text()
    assert "from django.utils.translation import gettext as _" in source
    assert '_("Translations"),' in source, "the label is lazy upstream: drop the fix"


def test_sites_columns_have_translated_labels():
    from wagtail.sites.views import IndexView

    with translation.override("kk"):
        labels = {column.name: str(column.label) for column in IndexView.columns}
    assert labels["port"] == "Порт"
    assert labels["site_name"] == "Сайт атауы"
    assert labels["root_page"] == "Түбірлік бет"


def _upstream(package, template):
    return (package_dir(package) / template).read_text()


def test_template_overrides_still_fix_upstream_bugs():
    """Each override copies an upstream template with one bug; fails once upstream fixes it."""
    admin = "admin/templates/wagtailadmin/"
    assert "{{ model_name }}" in _upstream(
        "wagtail", admin + "pages/listing/_page_title_column_header.html"
    )
    assert "TODO Make this translatable" in _upstream(
        "wagtail_localize", "locales/templates/wagtaillocales/index.html"
    )
    assert "title=value|stringformat:'s'" in _upstream(
        "wagtail", admin + "tables/boolean_cell.html"
    )
    assert "{% if not username %}{{ user }}" in _upstream(
        "wagtail", admin + "shared/user_avatar.html"
    )
    assert "items_count_label|capfirst" in _upstream(
        "wagtail", admin + "shared/pagination_nav.html"
    )


def test_counts_are_made_with_ngettext_and_never_print_none(rf):
    from django.template.loader import render_to_string

    context = {
        "column": type("Column", (), {"label": "", "sort_key": None})(),
        "start_index": 1,
        "end_index": 21,
        "items_count": 21,
        "model_name": None,
        "table": type("Table", (), {"base_url": "/admin/pages/search/"})(),
        "request": rf.get("/admin/pages/search/"),
    }
    template = "wagtailadmin/pages/listing/_page_title_column_header.html"
    with translation.override("kk"):
        kk = " ".join(render_to_string(template, context).split())
    with translation.override("ru"):
        ru = " ".join(render_to_string(template, context).split())
    assert "21 беттің 1-21" in kk and "беттер" not in kk and "None" not in kk
    assert "1-21 из 21 страницы" in ru and "None" not in ru


def test_the_locales_usage_and_booleans_read_in_kazakh():
    from django.template.loader import render_to_string

    with translation.override("kk"):
        html = render_to_string(
            "wagtailadmin/tables/boolean_cell.html", {"value": True, "column": None}
        )
        avatar = render_to_string("wagtailadmin/shared/user_avatar.html", {"user": None})
    assert "True" not in html and "Иә" in html
    assert "None" not in avatar


def test_whats_new_in_wagtail_follows_the_users_language():
    from wagtail.admin.wagtail_hooks import register_whats_new_in_wagtail_version_menu_item

    from kazakh_admin.compat import lazy_help_menu_labels

    with translation.override("en"):  # the help menu is built once, by the first user
        item = register_whats_new_in_wagtail_version_menu_item()
    assert str(item.label).startswith("What's new in Wagtail")
    lazy_help_menu_labels(None, [item])
    with translation.override("kk"):
        assert "нұсқасындағы жаңалықтар" in str(item.label)
    with translation.override("ru"):
        assert "What's" not in str(item.label)


def test_upstream_still_interpolates_the_whats_new_label_when_built():
    source = (package_dir("wagtail") / "admin" / "wagtail_hooks.py").read_text()
    assert """_("What's new in Wagtail %(version)s") % {"version": version}""" in source
