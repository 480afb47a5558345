"""Wagtail hooks of the news app: reader-facing rules, and the translators' admin screens."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from news import links, presentation, queries, routing
from news.desk import localize, machine_translation
from news.desk.coverage import coverage_report_view

hooks.register("before_serve_page", routing.redirect_to_translation)
hooks.register("newsdesk_reader_context", presentation.reader_context)
# order=-1: before wagtail-localize's own before_edit_page, which serves its translation editor.
hooks.register("before_edit_page", localize.refuse_incomplete_publish, order=-1)


@hooks.register("before_serve_document")
def hide_documents_of_hidden_pages(document, request):
    """/documents/<id>/<name>: editors get every document, readers news.queries' rule."""
    user = getattr(request, "user", None)
    if user is not None and user.has_perm("wagtailadmin.access_admin"):
        return None
    if not queries.document_served_to_readers(document):
        raise Http404("No such document.")
    return None


# order=1: after Wagtail's own registration of the "page" link type, which this replaces,
# so every expand_db_html (templates, API v1 and v2, feeds) follows news.links's rule.
@hooks.register("register_rich_text_features", order=1)
def register_page_link_rule(features):
    features.register_link_type(links.PageLinkHandler)


class CoverageReportMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy(Page).user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


# order=-1: these URLs come before wagtail-localize's, so the machine translation
# views below answer wagtail-localize's own "machine_translate" and "update" URLs.
@hooks.register("register_admin_urls", order=-1)
def register_newsdesk_admin_urls():
    return [
        path(
            "reports/translation-coverage/",
            coverage_report_view,
            name="newsdesk_translation_coverage",
        ),
        path(
            "localize/translate/<int:translation_id>/machine_translate/",
            machine_translation.machine_translate,
            name="newsdesk_machine_translate",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            machine_translation.SyncTranslationsView.as_view(),
            name="newsdesk_update_translations",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_coverage_report_menu_item():
    return CoverageReportMenuItem(
        _("Translation coverage"),
        reverse("newsdesk_translation_coverage"),
        name="translation-coverage",
        icon_name="site",
        order=1300,
    )


@hooks.register("register_log_actions")
def register_note_log_actions(actions):
    """Wagtail's history names what happened to a published editor's note (news.notes)."""
    actions.register_action(
        "news.note_withdrawn", _("Withdraw editor's note"), _("Published editor's note withdrawn")
    )
    actions.register_action(
        "news.note_amended", _("Rewrite editor's note"), _("Published editor's note rewritten")
    )
