"""Wagtail hooks of the translators' desk: panel, actions, report, glossary, bulk action."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk_memory import bulk, glossary, views
from newsdesk_memory.models import GlossaryTerm


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "list-ul"
    menu_label = _("Glossary")
    add_to_admin_menu = False
    list_display = ["source", "russian", "english", "kind"]
    list_filter = ["kind"]
    search_fields = ["source", "russian", "english"]


register_snippet(GlossaryViewSet)

hooks.register("register_bulk_action", bulk.TranslatePagesBulkAction)
hooks.register("register_bulk_action", bulk.TranslateSnippetsBulkAction)
# Machine translation (news.desk.machine_translation) receives the glossary.
hooks.register("newsdesk_machine_translation_glossary", glossary.machine_glossary)


@hooks.register("register_admin_urls")
def register_memory_urls():
    return [
        path(
            "translation-memory/<int:translation_id>/panel/",
            views.panel,
            name="newsdesk_memory_panel",
        ),
        path(
            "translation-memory/<int:translation_id>/review/<int:string_translation_id>/",
            views.review,
            name="newsdesk_memory_review",
        ),
        path(
            "translation-memory/<int:translation_id>/accept/<int:segment_id>/<int:suggestion_id>/",
            views.accept,
            name="newsdesk_memory_accept",
        ),
        path(
            "reports/translation-memory/", views.review_report, name="newsdesk_memory_review_report"
        ),
    ]


@hooks.register("insert_editor_js")
def memory_panel_js():
    """The panel's script; it only acts on wagtail-localize's translation editor."""
    return format_html(
        '<script src="{}" data-newsdesk-memory-panel="{}" defer></script>',
        static("newsdesk_memory/panel.js"),
        reverse("newsdesk_memory_panel", args=[0]),
    )


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtail_localize.submit_translation") or (
            request.user.is_superuser
        )


@hooks.register("register_reports_menu_item")
def register_memory_report_menu_item():
    return ReportMenuItem(
        _("Translation memory"),
        reverse("newsdesk_memory_review_report"),
        name="translation-memory",
        icon_name="site",
        order=1310,
    )
