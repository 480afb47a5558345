"""Live coverage's content: the entry block and the fields a live blog adds to a story.

A live blog is a *mode* of ``NewsPage`` (``live_status`` "live" or "ended"), not a
page type of its own; the reasons are in ``news.live``'s docstring. This module holds
what the content layer needs: :class:`LiveEntryBlock` (one entry: a StreamField item, so
wagtail-localize translates entries one by one, segment by segment, and keeps each
entry's block id in every language: the id is the entry's stable ``#anchor``), and
:class:`LiveCoverageMixin`, the abstract fields ``NewsPage`` inherits.

Each entry's *modified* time is derived on save (:func:`entry_stamps`): a digest of the
entry's content, compared with the one the page had in the database; an entry whose
digest changed (or that is new) gets the time of this save. The updates endpoint's
cursor and JSON-LD's ``dateModified`` read it.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.snippets.blocks import SnippetChooserBlock

from news.blocks import NewsBodyBlock

NOT_LIVE, LIVE, ENDED = "", "live", "ended"
LIVE_STATUSES = [
    (NOT_LIVE, _("A story (not a live blog)")),
    (LIVE, _("Live")),
    (ENDED, _("Ended")),
]


class LiveEntryBlock(blocks.StructBlock):
    """One entry of a live blog: its time, headline, body (a story's blocks), authors, flags."""

    at = blocks.DateTimeBlock(
        label=_("Time"), required=False, help_text=_("Empty: the time it is first published.")
    )
    headline = blocks.CharBlock(label=_("Headline"), max_length=255)
    body = NewsBodyBlock(label=_("Text"), required=False)
    authors = blocks.ListBlock(
        SnippetChooserBlock("news.Author"), label=_("Authors"), required=False, default=list
    )
    key_event = blocks.BooleanBlock(
        label=_("Key event"), required=False, help_text=_("Listed in the summary at the top.")
    )
    pinned = blocks.BooleanBlock(
        label=_("Pinned"), required=False, help_text=_("Shown first, above newer entries.")
    )

    class Meta:
        icon = "time"
        label = _("Live entry")
        template = "news/live/entry_block.html"
        description = _("One update of a live blog: a time, a headline and its text.")
        preview_value = {"headline": "Сайлау учаскелері ашылды", "key_event": True}
        form_classname = "struct-block live-entry-block"


class LiveEntriesBlock(blocks.StreamBlock):
    entry = LiveEntryBlock()

    class Meta:
        block_counts = {}


class LiveCoverageMixin(models.Model):
    """The fields of a live blog and a breaking story (abstract; ``NewsPage`` inherits them).

    ``live_status``, the coverage times, ``breaking`` and the stamps are synchronised
    (one live blog is live or ended in every language at once); ``entries`` is translated.
    """

    live_status = models.CharField(
        _("live coverage"), max_length=10, choices=LIVE_STATUSES, default=NOT_LIVE, blank=True
    )
    coverage_start = models.DateTimeField(_("coverage starts"), null=True, blank=True)
    coverage_end = models.DateTimeField(_("coverage ends"), null=True, blank=True)
    breaking = models.BooleanField(
        _("breaking"),
        default=False,
        help_text=_("Show a banner linking here on the home and news pages of every language."),
    )
    entries = StreamField(
        LiveEntriesBlock(), verbose_name=_("live entries"), blank=True, default=list
    )
    # {entry id: [content digest, first published ISO time, modified ISO time]}: set on save.
    live_stamps = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_live_blog(self):
        return self.live_status in (LIVE, ENDED)

    @property
    def shows_banner(self):
        """Flagged as breaking, and not a live blog that has ended."""
        return self.breaking and self.live_status != ENDED

    @property
    def last_entry_at(self):
        """When an entry of this version last changed (None: no entries, or not live)."""
        if not self.is_live_blog or not self.live_stamps:
            return None
        return max(stamp_time(stamp[2]) for stamp in self.live_stamps.values())

    def get_template(self, request, *args, **kwargs):
        if self.is_live_blog:
            return "news/live_page.html"
        return super().get_template(request, *args, **kwargs)

    def derive_live_stamps(self):
        """Set ``live_stamps`` (and each entry's empty time) from the entries, before a save."""
        if not self.is_live_blog and not self.entries and not self.live_stamps:
            self._live_stamps_before = {}
            return  # a story: no query
        previous = {}
        if self.pk:
            row = type(self).objects.filter(pk=self.pk).values_list("live_stamps", flat=True)
            previous = next(iter(row), None) or {}
        self._live_stamps_before = previous  # the outbox's entry events compare with it
        self.live_stamps = entry_stamps(self.entries, previous, timezone.now())
        if self.is_live_blog and self.coverage_start is None:
            self.coverage_start = timezone.now()


def _digest(block):
    raw = json.dumps(block.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def entry_stamps(entries, previous, now):
    """``{entry id: [digest, published, modified]}`` of ``entries`` given the ``previous`` ones.

    An entry without a time gets ``now`` as its time (written into the block), so that
    every language shows the same time once the translations are synced.
    """
    stamps = {}
    for block in entries or []:
        if block.block_type != "entry" or not block.id:
            continue
        if block.value.get("at") is None:
            block.value["at"] = now
        digest = _digest(block)
        old = previous.get(block.id)
        if old and old[0] == digest:
            stamps[block.id] = old
            continue
        published = old[1] if old else block.value["at"].isoformat()
        stamps[block.id] = [digest, published, now.isoformat()]
    return stamps


def stamp_time(value):
    """A stamp's ISO time as an aware datetime (None when absent)."""
    return parse_datetime(value) if value else None
