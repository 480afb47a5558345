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
