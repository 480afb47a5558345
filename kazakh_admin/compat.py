"""Every runtime change kazakh_admin makes to Wagtail and wagtail-localize, in one place.

Wagtail 8.0 and wagtail-localize 1.14 show a few strings no catalogue can translate.
Each fix is small and has a canary in tests/kazakh_admin/test_compat.py that fails once
upstream changes or fixes the code, so that the fix can be dropped; the system check
``kazakh_admin.E001`` says when a patched attribute is no longer our wrapper around the
original we expect (upstream moved it, or another app replaced it after us). The app
stands alone (any Wagtail site can list it), so its patches are not in ``news.compat``.

* ``ChooserViewSet``'s labels ("Choose", "Search", ...) are translated once, when the
  module is imported, in whatever language is active then (the server's, Kazakh): every
  user then sees them in that language. They are made lazy again;
* the chooser's locale filter has no label, so Django shows the field's name, "Locale";
* wagtail-localize writes the date of a translated segment with ``strftime("%-d %B %Y")``,
  English month names in every language ("28 November 2026");
* the slim header's ``<nav aria-label="Actions">`` is hard-coded: overridden by
  templates/wagtailadmin/shared/headers/_actions.html;
* wagtail-localize's editor has two hard-coded English strings in its JavaScript bundle
  ("More actions", "<source> to <target> translation"): see jsi18n.FIXES;
* the login form's password field has no label, so Django shows its name, "Password",
  in every language (issue 32);
* wagtail-localize's Reports menu item "Translations" is translated with ``gettext`` once,
  when the menu is first built, in whatever language is active then (issue 32: English on
  every screen). Its label is made lazy again;
* Wagtail's Help menu item "What's new in Wagtail 8.0" interpolates its lazy label when the
  menu is first built, freezing it in the first user's language (English on a Kazakh
  screen): it is interpolated lazily again;
* Settings → Sites labels three columns by their attribute names ("Port", "Site name",
  "Root page"): they get the model fields' translated verbose names;
* the page listing's count ("1-21 of 21 pages") pastes a plural noun after a number
  («21 беттер») and Python's ``None`` where a search has no model name («2 None»):
  templates/wagtailadmin/pages/listing/_page_title_column_header.html counts with
  ``ngettext`` instead.
"""

import functools
import importlib

from django.core.checks import Error, Tags, register
from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_lazy

MARK = "_kazakh_admin_fix"
# (module, class, attribute) -> dotted name of the upstream original each fix wraps
WRAPPED = {
    ("wagtail.admin.forms.choosers", "LocaleFilterMixin", "__init__"): (
        "wagtail.admin.forms.choosers.LocaleFilterMixin.__init__"
    ),
    ("wagtail_localize.models", "StringTranslation", "get_comment"): (
        "wagtail_localize.models.StringTranslation.get_comment"
    ),
}


def _once(cls, name, make):
    original = getattr(cls, name)
    if getattr(original, MARK, False):
        return
    fixed = functools.wraps(original)(make(original))
    setattr(fixed, MARK, True)
    setattr(cls, name, fixed)


CHOOSER_VIEWSET_LABELS = {
    "choose_one_text": "Choose",
    "choose_another_text": "Choose another",
    "edit_item_text": "Edit",
    "search_tab_label": "Search",
    "create_action_label": "Create",
}


def lazy_chooser_viewset_labels():
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    for name, msgid in CHOOSER_VIEWSET_LABELS.items():
        if isinstance(ChooserViewSet.__dict__.get(name), str):  # translated at import
            setattr(ChooserViewSet, name, gettext_lazy(msgid))


def label_the_chooser_locale_filter():
    from wagtail.admin.forms.choosers import LocaleFilterMixin

    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            field = self.fields.get("locale")
            if field is not None and field.label is None:
                field.label = gettext_lazy("Locale")

        return __init__

    _once(LocaleFilterMixin, "__init__", make)


def localize_translation_comment_dates():
    from wagtail_localize.models import StringTranslation

    def make(original):
        def get_comment(self):
            date = formats.date_format(timezone.localtime(self.updated_at), "DATE_FORMAT")
            if self.tool_name:
                return gettext("Translated with {tool_name} on {date}").format(
                    tool_name=self.tool_name, date=date
                )
            if self.translation_type == self.TRANSLATION_TYPE_MANUAL:
                return gettext("Translated manually on {date}").format(date=date)
            if self.translation_type == self.TRANSLATION_TYPE_MACHINE:
                return gettext("Machine translated on {date}").format(date=date)
            return original(self)

        return get_comment

    _once(StringTranslation, "get_comment", make)


def label_the_login_password():
    from wagtail.admin.forms.auth import LoginForm

    field = LoginForm.base_fields["password"]
    if field.label is None:
        field.label = gettext_lazy("Password")


def lazy_localize_reports_menu_label(request, menu_items):
    """``construct_reports_menu`` hook (kazakh_admin.wagtail_hooks): wagtail-localize's
    "Translations" item gets its label back as a lazy string, read in each user's
    language (the hooks that build the item run once, after this app is ready)."""
    for item in menu_items:
        if type(item).__name__ == "TranslationsReportMenuItem" and not isinstance(
            item.label, Promise
        ):
            item.label = gettext_lazy("Translations")


def _whats_new_label(version):
    return gettext("What's new in Wagtail %(version)s") % {"version": version}


lazy_whats_new_label = lazy(_whats_new_label, str)


def lazy_help_menu_labels(request, menu_items):
    """``construct_help_menu`` hook (kazakh_admin.wagtail_hooks): "What's new in Wagtail
    <version>" read in each user's language."""
    from wagtail.utils.version import get_main_version

    for item in menu_items:
        if item.name.startswith("whats-new-in-wagtail-") and not isinstance(item.label, Promise):
            item.label = lazy_whats_new_label(get_main_version(include_patch=False))


def label_the_sites_columns():
    from django.utils.text import capfirst
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in ("port", "site_name", "root_page") and not isinstance(
            column.label, Promise
        ):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def apply():
    from django.apps import apps

    lazy_chooser_viewset_labels()
    label_the_chooser_locale_filter()
    label_the_login_password()
    label_the_sites_columns()
    if apps.is_installed("wagtail_localize"):
        localize_translation_comment_dates()


def _dotted(function):
    return f"{function.__module__}.{function.__qualname__}"


def problems():
    """What no longer matches the upstream originals the fixes were written for."""
    from django.apps import apps

    found = []
    for (module, cls, name), expected in WRAPPED.items():
        if module.startswith("wagtail_localize") and not apps.is_installed("wagtail_localize"):
            continue
        current = getattr(getattr(importlib.import_module(module), cls), name)
        original = getattr(current, "__wrapped__", None)
        if not getattr(current, MARK, False) or original is None:
            found.append(f"{module}.{cls}.{name} is not kazakh_admin's fix")
        elif _dotted(original) != expected:
            found.append(f"{module}.{cls}.{name} wraps {_dotted(original)}, not {expected}")
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    for name in CHOOSER_VIEWSET_LABELS:
        if not isinstance(getattr(ChooserViewSet, name, None), Promise):
            found.append(f"ChooserViewSet.{name} is not a lazy label")
    return found


@register(Tags.compatibility)
def fixes_check(app_configs, **kwargs):
    """kazakh_admin.E001: a fixed attribute is not the upstream original we wrapped."""
    return [
        Error(
            problem,
            hint="Check kazakh_admin/compat.py against the installed Wagtail "
            "(tests/kazakh_admin/test_compat.py says what changed).",
            id="kazakh_admin.E001",
        )
        for problem in problems()
    ]
