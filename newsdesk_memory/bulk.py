"""Bulk action "Translate into all languages", for pages and for translatable snippets.

wagtail-localize translates one object at a time (its #705 asks for this). The action
runs wagtail-localize's own ``TranslationCreator`` for each selected object into every
locale it is not yet translated into, in one transaction; memory then pre-fills the new
translations as for any other.
"""

from django.db import transaction
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.models import Locale, TranslatableMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.operations import TranslationCreator


def translate_into_all_languages(objects, user=None):
    """Translate each of ``objects`` into every other locale; returns (objects, translations)."""
    locales = list(Locale.objects.all())
    done_objects = new_translations = 0
    with transaction.atomic():
        for instance in objects:
            instance = getattr(instance, "specific", instance)
            missing = [
                locale
                for locale in locales
                if locale.id != instance.locale_id
                and not type(instance)
                .objects.filter(translation_key=instance.translation_key, locale=locale)
                .exists()
            ]
            creator = TranslationCreator(user, missing)
            creator.create_translations(instance)
            done_objects += 1
            new_translations += len(missing)
    return done_objects, new_translations


def may_submit(user):
    return user.is_active and (
        user.is_superuser or user.has_perm("wagtail_localize.submit_translation")
    )


class TranslateAllMixin:
    display_name = _("Translate into all languages")
    action_type = "translate_all"
    aria_label = _("Translate the selected items into all languages")
    template_name = "newsdesk_memory/confirm_bulk_translate.html"
    action_priority = 60

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return translate_into_all_languages(objects, user=user)

    def get_success_message(self, num_objects, num_translations):
        return ngettext(
            "%(objects)d item has been submitted for translation (%(translations)d new).",
            "%(objects)d items have been submitted for translation (%(translations)d new).",
            num_objects,
        ) % {"objects": num_objects, "translations": num_translations}


class TranslatePagesBulkAction(TranslateAllMixin, PageBulkAction):
    def check_perm(self, page):
        user = self.request.user
        return (
            not page.is_root()
            and page.depth > 1
            and may_submit(user)
            and page.permissions_for_user(user).can_edit()
        )

    def get_execution_context(self):
        return {"user": self.request.user}


class TranslateSnippetsBulkAction(TranslateAllMixin, SnippetBulkAction):
    @classproperty
    def models(cls):
        # Evaluated late, as Wagtail's own SnippetBulkAction does: snippets register late.
        return [m for m in get_snippet_models() if issubclass(m, TranslatableMixin)]

    def check_perm(self, snippet):
        user = self.request.user
        return (
            may_submit(user)
            and ModelPermissionPolicy(type(snippet)).user_has_permission(user, "add")
            and ModelPermissionPolicy(type(snippet)).user_has_permission(user, "change")
        )

    def get_execution_context(self):
        return {"user": self.request.user}
