"""What the desk has scheduled: stories going live, stories expiring, translations waiting.

Wagtail shows a schedule only as a tag in the page list. The desk's day needs it in one
place, per language, with who scheduled each item: a dashboard panel (the next few of
each kind, ``construct_homepage_panels``) and a report (Reports → Schedule, everything).

* **Going live**: revisions approved for a future publication (Wagtail keeps the time on
  the revision, ``approved_go_live_at``; the page's ``go_live_at`` is only the form's
  value). Who: the revision's user, the editor who scheduled it.
* **Expiring**: live pages with an ``expire_at`` still ahead. Who: the user of the
  page's latest revision (Wagtail keeps no separate record of who set the expiry).
* **Translations waiting**: translations (pages in another language than the site's
  default) with a draft not yet live, not already scheduled. Who: the latest revision's
  user.

Only pages the user may see in the admin's explorer are listed
(``PagePermissionPolicy.explorable_instances``), so a reporter limited to one section
sees that section's schedule and nothing else. A fixed number of queries (four), whatever
the number of items.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy

GO_LIVE = "go_live"
EXPIRY = "expiry"
WAITING = "waiting"
KINDS = {
    GO_LIVE: _("Going live"),
    EXPIRY: _("Expiring"),
    WAITING: _("Translations waiting"),
}
PANEL_SIZE = 5


@dataclass
class Item:
    kind: str
    page: Page
    language: str
    when: object  # an aware datetime, or None for a translation without a schedule
    by: str

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


def _name(user):
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def _visible_pages(user):
    return PagePermissionPolicy(Page).explorable_instances(user)


def schedule(user, now=None):
    """``[Item]``: every scheduled go-live and expiry and every waiting translation the
    user may see, soonest first (waiting translations last, by language)."""
    now = now or timezone.now()
    visible = _visible_pages(user)
    revisions = list(
        Revision.page_revisions.filter(approved_go_live_at__gt=now)
        .select_related("user")
        .order_by("approved_go_live_at")
    )
    scheduled_ids = {int(revision.object_id) for revision in revisions}
    pages = {
        page.pk: page for page in visible.filter(pk__in=scheduled_ids).select_related("locale")
    }
    items = [
        Item(
            GO_LIVE,
            pages[int(revision.object_id)],
            pages[int(revision.object_id)].locale.language_code,
            revision.approved_go_live_at,
            _name(revision.user),
        )
        for revision in revisions
        if int(revision.object_id) in pages
    ]
    for page in (
        visible.filter(live=True, expire_at__gt=now)
        .select_related("locale", "latest_revision__user")
        .order_by("expire_at")
    ):
        items.append(
            Item(
                EXPIRY,
                page,
                page.locale.language_code,
                page.expire_at,
                _name(page.latest_revision.user if page.latest_revision else None),
            )
        )
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    waiting = (
        visible.filter(has_unpublished_changes=True)
        .exclude(pk__in=scheduled_ids)
        .exclude(locale=default)
        .exclude(depth__lte=1)
        .select_related("locale", "latest_revision__user")
        .order_by("locale__language_code", "-latest_revision_created_at")
    )
    for page in waiting:
        items.append(
            Item(
                WAITING,
                page,
                page.locale.language_code,
                None,
                _name(page.latest_revision.user if page.latest_revision else None),
            )
        )
    return items


def by_language(items):
    """``[{"language", "name", "kinds": [{"kind", "label", "items"}]}]`` in the site's
    language order; empty kinds and languages left out."""
    names = dict(settings.LANGUAGES)
    order = [code for code, _name in settings.LANGUAGES]
    grouped = []
    for code in sorted({item.language for item in items}, key=_position(order)):
        kinds = [
            {
                "kind": kind,
                "label": label,
                "items": [i for i in items if i.language == code and i.kind == kind],
            }
            for kind, label in KINDS.items()
        ]
        grouped.append(
            {
                "language": code,
                "name": Locale(language_code=code).get_display_name() or names.get(code, code),
                "kinds": [kind for kind in kinds if kind["items"]],
            }
        )
    return grouped


def _position(order):
    return lambda code: order.index(code) if code in order else len(order)


def _may_see_schedule(user):
    return PagePermissionPolicy(Page).user_has_any_permission(user, ["add", "change", "publish"])


def schedule_report_view(request):
    """Reports → Schedule: everything scheduled and waiting, per language."""
    if not _may_see_schedule(request.user):
        raise PermissionDenied
    items = schedule(request.user)
    return TemplateResponse(
        request,
        "news/admin/schedule_report.html",
        {
            "page_title": _("Schedule"),
            "header_title": _("Schedule"),
            "header_icon": "calendar-alt",
            "languages": by_language(items),
            "item_count": len(items),
        },
    )


class SchedulePanel(Component):
    """The dashboard's "Schedule" panel: the next few of each kind, per language."""

    name = "newsdesk_schedule"
    order = 90  # above Wagtail's own panels (site summary 100 is in the header)
    template_name = "news/admin/schedule_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        items = schedule(self.request.user)
        shown = []
        for kind in KINDS:
            shown.extend([item for item in items if item.kind == kind][:PANEL_SIZE])
        return {
            "languages": by_language(shown),
            "item_count": len(items),
            "shown_count": len(shown),
            "report_url": reverse("newsdesk_schedule"),
        }


def add_schedule_panel(request, panels):
    """``construct_homepage_panels`` hook: the panel, for users who edit pages."""
    if _may_see_schedule(request.user):
        panels.append(SchedulePanel(request))
