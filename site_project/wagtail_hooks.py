"""Document privacy of the reference site (Hardening v2 #3).

Wagtail serves a document to anyone unless its *collection* is restricted. A document
an editor attached only to a login-restricted, draft or scheduled page was therefore
public at /documents/<id>/<name>. Here a document used by pages (Wagtail's reference
index) is served to readers only when one of those pages is live and publicly visible;
editors (admin access) always get it, and a document no page uses keeps Wagtail's rules.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail import hooks
from wagtail.models import Page, ReferenceIndex


def _publicly_visible(page):
    return page.live and not page.get_view_restrictions().exists()


@hooks.register("before_serve_document")
def hide_documents_of_hidden_pages(document, request):
    user = getattr(request, "user", None)
    if user is not None and user.has_perm("wagtailadmin.access_admin"):
        return None
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = set(
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    if not page_ids:
        return None
    if any(_publicly_visible(page) for page in Page.objects.filter(pk__in=page_ids)):
        return None
    raise Http404("No such document.")
