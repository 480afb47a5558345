"""Published editor's notes are append-only (issue 27).

A note (correction, update or clarification) that readers have seen is never silently
deleted or rewritten:

* **Permission.** The page editor refuses to drop or change a published note unless the
  person holds ``news.withdraw_note`` ("Can withdraw or rewrite a published editor's note",
  given to Moderators in the demo); anyone may append one (``NewsPageForm``).
* **History.** When a story is published without one of its published notes, or with one
  rewritten, Wagtail's history of the page logs it (``news.note_withdrawn``,
  ``news.note_amended``, with the old text), by whoever published.
* **Public trace.** A ``NoteTrace`` row is kept per story (by translation key, so every
  language shows it): the article says "Withdrawn on …: the correction of …" or "Amended
  on …", in the reader's language.

"Published" means: in the story's published content (its database row, which Wagtail
writes only when it publishes). Only the story's source version records traces; its
translations follow it through wagtail-localize's sync, and their note texts change as
they are translated.
"""

import datetime
import json

from django.apps import apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.log_actions import get_active_log_context, log

WITHDRAWN = "withdrawn"
AMENDED = "amended"


def _moment(value):
    """A note's time as one comparable string (stored ISO text or a form's datetime)."""
    if isinstance(value, str):
        value = parse_datetime(value) or value
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(datetime.UTC).isoformat()
    return value


def notes_by_id(notes):
    """{block id: {"kind", "at", "text"}} of a notes stream (as stored, comparable)."""
    if notes is None:
        return {}
    raw = notes.raw_data if hasattr(notes, "raw_data") else notes
    found = {}
    for item in raw:
        if isinstance(item, dict) and item.get("type") == "note" and item.get("id"):
            value = item.get("value") or {}
            found[item["id"]] = {
                "kind": value.get("kind"),
                "at": _moment(value.get("at")),
                "text": (value.get("text") or "").strip(),
            }
    return found


def changes(published, current):
    """[(action, note id, published value)] of the published notes gone or changed."""
    found = []
    for note_id, value in published.items():
        now = current.get(note_id)
        if now is None:
            found.append((WITHDRAWN, note_id, value))
        elif json.dumps(now, sort_keys=True, default=str) != json.dumps(
            value, sort_keys=True, default=str
        ):
            found.append((AMENDED, note_id, value))
    return found


def published_notes(page):
    """The notes of ``page``'s published content ({} when it was never published)."""
    if page.pk is None:
        return {}
    stored = type(page).objects.filter(pk=page.pk, first_published_at__isnull=False).first()
    return notes_by_id(stored.notes) if stored is not None else {}


class NewsPageForm(WagtailAdminPageForm):
    """The story editor: a published note may be dropped or changed only with permission."""

    def clean(self):
        cleaned = super().clean()
        if "notes" not in cleaned or self.instance.pk is None:
            return cleaned
        user = self.for_user
        if user is not None and user.has_perm("news.withdraw_note"):
            return cleaned
        if changes(published_notes(self.instance), notes_by_id(cleaned["notes"])):
            self.add_error(
                "notes",
                _(
                    "A published editor's note is never deleted or rewritten: append a new "
                    "note instead. Withdrawing or rewriting one takes the permission to "
                    "withdraw published editor's notes."
                ),
            )
        return cleaned


def is_source(page):
    """Whether ``page`` is its story's source version (the first one made)."""
    return (
        not type(page).objects.filter(translation_key=page.translation_key, pk__lt=page.pk).exists()
    )


def record_note_changes(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of a story: trace and log the published notes its new content drops or changes."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "notes" not in update_fields:
        return  # a draft saved, or another field: not what readers see
    found = changes(published_notes(instance), notes_by_id(instance.notes))
    if not found or not is_source(instance):
        return
    trace = apps.get_model("news", "NoteTrace")
    user = get_active_log_context().user
    now = timezone.now()
    for action, note_id, value in found:
        trace.objects.create(
            translation_key=instance.translation_key,
            note_id=note_id,
            kind=value.get("kind") or "",
            note_at=value.get("at") or None,
            action=action,
            at=now,
            by=user if getattr(user, "is_authenticated", False) else None,
        )
        log(
            instance=instance,
            action=f"news.note_{action}",
            data={"kind": value.get("kind"), "at": value.get("at"), "text": value.get("text")},
        )
