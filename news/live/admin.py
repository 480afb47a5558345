"""The editors' quick "add entry" form for a live blog (admin URL ``newsdesk_live_add_entry``).

Who may use it: a signed-in admin user with permission to *edit* the page (Wagtail's
page permissions, the same check as the page editor). Whoever may also *publish* it
publishes the entry at once; anyone else submits it to the page's moderation workflow
(news.live.editing). Anyone else gets 403; a page that is not a live blog, 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import Button

from news.live.editing import add_entry
from news.models import NewsPage


class EntryForm(forms.Form):
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=255)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Separate paragraphs with an empty line."),
    )
    key_event = forms.BooleanField(label=gettext_lazy("Key event"), required=False)
    pinned = forms.BooleanField(label=gettext_lazy("Pinned"), required=False)


def add_entry_view(request, page_id):
    page = get_object_or_404(NewsPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not page.is_live_blog:
        raise Http404
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _page, published = add_entry(page, user=request.user, **form.cleaned_data)
        if published:
            messages.success(request, _("The entry is published."))
        else:
            messages.success(request, _("The entry is submitted for moderation."))
        return redirect("newsdesk_live_add_entry", page_id=page.pk)
    return TemplateResponse(
        request,
        "news/admin/live_add_entry.html",
        {"page": page, "form": form, "entries": list(page.entries)[:5]},
    )


def header_buttons(page, user, view_name, next_url=None):
    """The "Add live entry" button on a live blog's admin header."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, NewsPage) and specific.is_live_blog:
        if page.permissions_for_user(user).can_edit():
            yield Button(
                _("Add live entry"),
                reverse("newsdesk_live_add_entry", args=[page.pk]),
                icon_name="time",
                priority=12,
            )
