"""Adding an entry to a live blog without reopening the whole page.

:func:`add_entry` puts a new entry on top of the page's *live* content (never publishing
someone's unfinished draft with it) and, for an editor who may publish, publishes it
(one revision, one publish: the story's purge, the outbox's ``live.entry.added``); for
one who may not, it saves the revision and submits it to the page's workflow, the same
moderation as any change to a story. A draft in progress gets the entry too, so the
next publish of that draft does not drop it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.rich_text import RichText

from news.models import NewsPage


def paragraphs(text):
    """The body blocks of plain text: one paragraph per blank-line-separated part."""
    parts = [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [
        ("paragraph", RichText("<p>" + escape(part).replace("\n", "<br>") + "</p>"))
        for part in parts
        if part
    ]


def _with_entry(page, value):
    page.entries.insert(0, ("entry", value))
    return page


def add_entry(page, *, headline, text="", key_event=False, pinned=False, authors=(), user=None):
    """Add an entry to live blog ``page``; returns ``(page, published)``.

    ``published`` is False when ``user`` may edit but not publish: the entry then waits
    for moderation in a submitted revision.
    """
    value = {
        "at": timezone.now(),
        "headline": headline,
        "body": paragraphs(text),
        "authors": list(authors),
        "key_event": key_event,
        "pinned": pinned,
    }
    permissions = page.permissions_for_user(user) if user is not None else None
    may_publish = permissions is None or permissions.can_publish()
    with transaction.atomic():
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
        base = NewsPage.objects.get(pk=page.pk)  # the live content
        _with_entry(base, value)
        revision = base.save_revision(user=user, log_action=True)
        if may_publish:
            revision.publish(user=user)
            if draft is not None:  # the draft in progress keeps its changes, and the entry
                draft.entries.insert(0, ("entry", base.entries[0].value))
                draft.entries[0].id = base.entries[0].id
                draft.save_revision(user=user, log_action=False)
        else:
            workflow = base.get_workflow()
            if workflow is not None and not base.workflow_in_progress:
                workflow.start(base, user)
    base.refresh_from_db()
    return base, may_publish
