"""``manage.py preview_token <page id>``: a headless preview token without a browser.

For a frontend developer or a CI job building a preview route: the token is the one the
admin's "Frontend (headless API)" preview mode makes (news.previews.make_token), for the
page's latest revision (its draft, autosaves included); it then follows newer revisions.
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from wagtail.models import Page

from news.previews import HeadlessPreviewMixin, make_token


class Command(BaseCommand):
    help = "Print a headless preview token (and its API path) for a page's latest draft."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)

    def handle(self, *args, page_id, **options):
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"No page has id {page_id}.")
        draft = page.specific.get_latest_revision_as_object()
        if not isinstance(draft, HeadlessPreviewMixin):
            raise CommandError(f"Page {page_id} has no headless preview (not a news page).")
        token = make_token(draft)
        self.stdout.write(token)
        self.stdout.write(f"{reverse('newsdesk_api:preview')}?token={token}", self.style.NOTICE)
