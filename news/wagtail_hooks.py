"""Wagtail hooks of the news app: reader-facing rules, and the translators' admin screens."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from news import compat, links, live, presentation, queries, routing
from news.desk import images, localize
from news.desk.coverage import coverage_report_view
from news.desk.schedule import add_schedule_panel, schedule_report_view
from news.kazakh_latin.spellings import LatinSpelling
from news.live import admin as live_admin
from news.models import WebhookEndpoint
from news.outbox import views as outbox_views

hooks.register("before_serve_page", routing.redirect_to_translation)
hooks.register("newsdesk_reader_context", presentation.reader_context)
hooks.register("newsdesk_reader_context", live.reader_context)  # live blogs, the banner
# order=-1: before wagtail-localize's own before_edit_page, which serves its translation editor.
hooks.register("before_edit_page", localize.refuse_incomplete_publish, order=-1)
hooks.register("after_publish_page", images.warn_expired_licences)


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


# order=-1: these URLs come before wagtail-localize's, so the views news.compat lists
# answer wagtail-localize's own "machine_translate" and "update" URLs.
@hooks.register("register_admin_urls", order=-1)
def register_newsdesk_admin_urls():
    return [
        path(
            "reports/translation-coverage/",
            coverage_report_view,
            name="newsdesk_translation_coverage",
        ),
        *compat.admin_urls(),
        path("reports/schedule/", schedule_report_view, name="newsdesk_schedule"),
        path(
            "newsdesk/live/<int:page_id>/add-entry/",
            live_admin.add_entry_view,
            name="newsdesk_live_add_entry",
        ),
    ]


hooks.register("register_page_header_buttons", live_admin.header_buttons)


@hooks.register("register_reports_menu_item")
def register_coverage_report_menu_item():
    return CoverageReportMenuItem(
        _("Translation coverage"),
        reverse("newsdesk_translation_coverage"),
        name="translation-coverage",
        icon_name="site",
        order=1300,
    )


# --- Kazakh in Latin letters (news.kazakh_latin): the editors' spelling exceptions.


class LatinSpellingViewSet(SnippetViewSet):
    """Snippets → "Latin spellings". Who may edit: superusers and the groups given the
    model's add/change/delete permissions (Settings → Groups); readers see the result."""

    model = LatinSpelling
    icon = "pilcrow"
    list_display = ["cyrillic", "latin", "inflected", "note", "updated_at"]
    list_filter = ["inflected"]
    panels = [FieldPanel(name) for name in ("cyrillic", "latin", "inflected", "note")]


register_permission_policy(LatinSpelling, ModelPermissionPolicy(LatinSpelling))
register_snippet(LatinSpellingViewSet)


# --- Outgoing notifications (news.outbox): webhook endpoints and the delivery log.


class WebhookEndpointViewSet(SnippetViewSet):
    """Snippets → "Webhook endpoints": superusers and groups given the model's permissions."""

    model = WebhookEndpoint
    icon = "link-external"
    list_display = ["url", "active"]
    list_filter = ["active"]


register_permission_policy(WebhookEndpoint, ModelPermissionPolicy(WebhookEndpoint))
register_snippet(WebhookEndpointViewSet)


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [
        path("reports/notifications/", outbox_views.delivery_log, name="newsdesk_outbox_log"),
        path(
            "reports/notifications/<uuid:pk>/send-again/",
            outbox_views.send_again,
            name="newsdesk_outbox_send_again",
        ),
    ]


class OutboxLogMenuItem(MenuItem):
    def is_shown(self, request):
        return outbox_views.can_view(request.user)


@hooks.register("register_reports_menu_item")
def register_outbox_menu_item():
    return OutboxLogMenuItem(
        _("Notifications"),
        reverse("newsdesk_outbox_log"),
        name="notifications",
        icon_name="mail",
        order=1400,
    )


# The desk's schedule (news.desk.schedule): a dashboard panel and a report.
hooks.register("construct_homepage_panels", add_schedule_panel)


@hooks.register("register_reports_menu_item")
def register_schedule_report_menu_item():
    return CoverageReportMenuItem(  # the same rule: users who add, edit or publish pages
        _("Schedule"),
        reverse("newsdesk_schedule"),
        name="schedule",
        icon_name="calendar-alt",
        order=1250,
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
