"""The live blog updates endpoint: ``GET /api/v1/news/{id}/updates/?since=<cursor>``.

Pollers (the reader's page script, a frontend) ask every few seconds with the cursor of
their last answer and ``If-None-Match``. The answer holds its story's cache key only, so
the response cache (news.caching.middleware) answers every repeat from memory, a 304
before any view code runs, until an entry of the story changes in any language.
"""

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError

from news import cache_keys, live
from news.api import serializers as s
from news.api.params import LocaleQuery, TextField
from news.api.views import (
    ACCEPT_LANGUAGE,
    COMMON_ERRORS,
    ID_PARAMETER,
    ApiView,
    problems,
    story_in_language,
)


class CursorField(TextField):
    """A cursor this server made (``news.live.cursor``): the moment it stands for."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            if len(text) > 40:
                raise live.BadCursor(text)
            return live.parse_cursor(text)
        except live.BadCursor as error:
            from django.utils.translation import gettext as _

            raise ValidationError(
                _("Not a cursor of this server: pass the `cursor` of an earlier answer.")
            ) from error


class UpdatesQuery(LocaleQuery):
    since = CursorField(
        default=None,
        help_text="The `cursor` of an earlier answer (the detail's `live.cursor`); empty: all.",
    )


class LiveUpdatesView(ApiView):
    @extend_schema(
        operation_id="news_updates",
        summary="A live blog's new and changed entries",
        description=(
            "The entries of live blog `id` added or changed after `since`, newest first, in "
            "the requested language where translated, else in their source's language "
            "(`is_fallback: true`). `entry_ids` lists every current entry (removed ones are "
            "missing). Poll with `If-None-Match`: a 304 while nothing changed. A story that "
            "is not a live blog is 404."
        ),
        parameters=[
            ID_PARAMETER,
            UpdatesQuery,
            ACCEPT_LANGUAGE,
        ],
        responses={
            200: s.LiveUpdatesSerializer,
            **problems(s400="Unknown locale or a cursor this server did not make."),
            **problems(s404="No live, public live blog has this id."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request, pk):
        params = UpdatesQuery.parse(request)
        language = params.language
        page, versions = story_in_language(pk, language)
        if not page.is_live_blog:
            raise Http404
        cache_keys.add(cache_keys.story(page.translation_key))
        entries = live.localize_authors(live.entries_for(page, language, versions), language)
        ordered = live.pinned_first(entries)
        latest = live.latest_change(entries)
        context = s.context(request, language, versions=versions)
        with translation.override(language):
            data = s.live_data(
                page,
                # ``since=`` (empty, as a page without entries polls): from the beginning.
                live.changed_since(entries, params.since or None),
                latest,
                context,
                id=page.pk,
                locale=page.locale.language_code,
                requested_locale=language,
                entry_ids=[entry.id for entry in ordered],
            )
        return self.respond(data, params, modified=latest)
