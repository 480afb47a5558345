"""The delivery log in the admin (Reports → Notifications), with "send again".

Who may do what (the rule is written once, here):

* see the log: a user with the ``news.view_outboxdelivery`` permission (superusers have
  it; give it to a group under Settings → Groups → "Outbox delivery: Can view");
* send a delivery again: a user with ``news.change_outboxdelivery`` as well, and only by
  POST (with Django's CSRF check).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from news.outbox.delivery import resend

PAGE_SIZE = 50
STATUS_FILTERS = ("pending", "sent", "failed")


def can_view(user):
    return user.is_active and user.has_perm("news.view_outboxdelivery")


def can_resend(user):
    return can_view(user) and user.has_perm("news.change_outboxdelivery")


def delivery_log(request):
    """The newest deliveries first, ``?status=failed`` to show one status, ``?p=2``."""
    from news.models import OutboxDelivery

    if not can_view(request.user):
        raise PermissionDenied
    rows = OutboxDelivery.objects.order_by("-created_at")
    status = request.GET.get("status") or ""
    if status in STATUS_FILTERS:
        rows = rows.filter(status=status)
    else:
        status = ""
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "news/admin/outbox_log.html",
        {
            "page_title": _("Notifications"),
            "header_title": _("Notifications"),
            "header_icon": "mail",
            "page_obj": page_obj,
            "status": status,
            "statuses": OutboxDelivery.STATUSES,
            "can_resend": can_resend(request.user),
        },
    )


@require_POST
def send_again(request, pk):
    """Make a delivery pending again and hand it to the worker."""
    from news.models import OutboxDelivery

    if not can_resend(request.user):
        raise PermissionDenied
    row = get_object_or_404(OutboxDelivery, pk=pk)
    resend(row)
    messages.success(request, _("The notification will be sent again."))
    return redirect("newsdesk_outbox_log")
