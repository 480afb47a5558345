"""Search queries: news matching a reader's words, and title suggestions.

The candidate set is exactly the news list of the requested language
(``news.queries.news_for_locale``: live, public, one version per story in the
best language of the fallback chain, topic and date filters), narrowed in SQL
to the pages whose index entry holds every query word:

* the query is analyzed once per language of the fallback chain, with that
  language's analyzer, and each version is matched with the terms of its own
  language (a Russian reader's «Toyota» finds the Kazakh-only article);
* on PostgreSQL through ``to_tsvector('simple', terms) @@ to_tsquery(…)``
  (GIN index, ``ts_rank`` with title weight A above body weight B);
* on SQLite through an FTS5 index of the same terms (migration 0004; where
  SQLite lacks FTS5, whole-term LIKE matches on the space-padded terms),
  ranked by a SQL score: a word in the title counts 3, each occurrence in
  the body 1 (up to 5).

Best match first, then newest. Everything is one bounded SQL query plus the
listing's fixed prefetches; no Python filtering over pages.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.contrib.postgres.search import SearchVectorField as _SearchVectorField
from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least, Length, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from news import cache_keys, i18n, presentation, queries
from news.conf import conf
from news.models import NewsPage
from search import analysis
from search.models import SearchEntry

MAX_QUERY_LENGTH = 200
TITLE_WEIGHT = 3
BODY_WEIGHT = 1
# Occurrences in the body beyond this add nothing (long texts must not drown titles).
MAX_FREQUENCY = 5
SNIPPET_LENGTH = 240
SNIPPET_LEAD_IN = 60
MAX_SUGGESTIONS = 20


class QueryTooLong(ValueError):
    """The query has more than ``MAX_QUERY_LENGTH`` characters."""


def clean_query(q):
    """``q`` stripped; raises ``QueryTooLong`` over ``MAX_QUERY_LENGTH`` characters."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryTooLong(q)
    return q


def _chain(language, fallback):
    return i18n.fallback_chain(language) if fallback else [language]


def _terms_by_language(q, chain):
    """{language: [(stem, …) per query word]} for the languages that have words."""
    return {code: groups for code in chain if (groups := analysis.query_terms(q, code))}


class _TermsVector(Func):
    """``to_tsvector('simple', title_terms || ' ' || body_terms)``, exactly as indexed."""

    template = "to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, ''))"
    arg_joiner = ", '') || ' ' || COALESCE("
    output_field = _SearchVectorField()


def _tsquery(groups):
    raw = " & ".join("(" + " | ".join(f"'{term}'" for term in group) + ")" for group in groups)
    return SearchQuery(raw, search_type="raw", config="simple")


def postgres_matching_entries(terms):
    """Page ids whose entry holds every word, for ``{language: groups}``: PostgreSQL.

    One tsquery (the union of every language's) that the GIN index answers,
    then the exact per-language condition on the rows it found.
    """
    union = None
    language_match = Q(pk__in=[])
    for code, groups in terms.items():
        tsquery = _tsquery(groups)
        union = tsquery if union is None else union | tsquery
        language_match |= Q(language=code, search_vector=tsquery)
    return (
        SearchEntry.objects.annotate(search_vector=_TermsVector(F("title_terms"), F("body_terms")))
        .filter(search_vector=union)
        .filter(language_match)
        .values("page_id")
    )


def _postgres_match(qs, terms):
    tsqueries = {code: _tsquery(groups) for code, groups in terms.items()}
    entries = postgres_matching_entries(terms)
    weighted = SearchVector(
        "search_entry__title_terms", config="simple", weight="A"
    ) + SearchVector("search_entry__body_terms", config="simple", weight="B")
    ranks = [
        When(search_entry__language=code, then=SearchRank(weighted, tsquery))
        for code, tsquery in tsqueries.items()
    ]
    return qs.filter(pk__in=entries).annotate(
        search_rank=Case(*ranks, default=Value(0.0), output_field=FloatField())
    )


def _word_q(field, group):
    condition = Q(pk__in=[])
    for term in group:
        condition |= Q(**{f"search_entry__{field}__contains": f" {term} "})
    return condition


def _frequency(field, group):
    """How often the terms of ``group`` occur in ``field``, counted in SQL."""
    total = Value(0)
    for term in group:
        padded = Value(f" {term} ")
        total = total + (Length(field) - Length(Replace(field, padded, Value("")))) / Length(padded)
    return total * Value(BODY_WEIGHT)


def _portable_rank(terms):
    """A SQL score: a query word in the title counts 3, each occurrence in the body 1 (≤ 5)."""
    ranks = []
    for code, groups in terms.items():
        score = Value(0)
        for group in groups:
            in_title = _word_q("title_terms", group)
            score = (
                score
                + Case(
                    When(in_title, then=Value(TITLE_WEIGHT)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                + Least(_frequency("search_entry__body_terms", group), Value(MAX_FREQUENCY))
            )
        ranks.append(When(search_entry__language=code, then=score))
    return Case(*ranks, default=Value(0), output_field=IntegerField())


def _like_match(terms):
    """Every word (one of its stems) in the title or body terms: whole-term LIKE."""
    match = Q(pk__in=[])
    for code, groups in terms.items():
        language_match = Q(search_entry__language=code)
        for group in groups:
            language_match &= _word_q("title_terms", group) | _word_q("body_terms", group)
        match |= language_match
    return match


FTS_TABLE = "search_entry_fts"
_FTS_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
_fts_tables = {}


def sqlite_fts_available():
    """Whether the FTS5 table of migration 0004 exists (checked once per database)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _fts_tables:
        _fts_tables[name] = FTS_TABLE in connection.introspection.table_names()
    return _fts_tables[name]


def _fts_match(terms):
    """The same condition through SQLite's FTS5 index: one MATCH per language."""
    match = Q(pk__in=[])
    for code, groups in terms.items():
        expression = " AND ".join(
            "(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups
        )
        # The table name is a constant; the user's words travel as a parameter.
        rowids = RawSQL(_FTS_SQL, (expression,))  # noqa: S611
        match |= Q(search_entry__language=code, search_entry__id__in=rowids)
    return match


def _portable_match(qs, terms):
    match = _fts_match(terms) if sqlite_fts_available() else _like_match(terms)
    return qs.filter(match).annotate(search_rank=_portable_rank(terms))


def search_news(q, language, *, topic=None, date_from=None, date_to=None, fallback=None):
    """News in ``language`` (with fallback versions) matching ``q``, best match first.

    ``topic`` is a ``NewsTopic`` (or a slug: unknown slugs find nothing),
    ``date_from``/``date_to`` dates, ``fallback`` as in ``news_for_locale``.
    Returns an ordered ``NewsPage`` queryset (empty for a query without words)
    annotated with ``search_rank``, ``search_text`` and ``search_language``,
    ready for ``decorate_results``. Raises ``QueryTooLong``.
    """
    q = clean_query(q)
    # What matches changes with any story's text: cached answers are purged by any change.
    cache_keys.add(cache_keys.ANY)
    if isinstance(topic, str):
        topic = queries.topic_from_slug(topic, language)
        if topic is None:
            return NewsPage.objects.none()
    if fallback is None:
        fallback = conf.LISTING_FALLBACK
    terms = _terms_by_language(q, _chain(language, fallback)) if q else {}
    if not terms:
        return NewsPage.objects.none()
    qs = queries.news_for_locale(
        language, topic=topic, fallback=fallback, date_from=date_from, date_to=date_to
    )
    if connection.vendor == "postgresql":
        qs = _postgres_match(qs, terms)
    else:
        qs = _portable_match(qs, terms)
    return qs.annotate(
        search_text=F("search_entry__text"), search_language=F("search_entry__language")
    ).order_by("-search_rank", "-date", "-first_published_at", "-pk")


def highlight(text, q, language, length=SNIPPET_LENGTH):
    """An escaped excerpt of ``text`` around the first query word, words in ``<mark>``.

    ``language`` is the language of ``text`` (its words are stemmed as indexed).
    Without a match, the beginning of the text. Returns a safe string.
    """
    text = text or ""
    wanted = {term for group in analysis.query_terms(q, language) for term in group}
    hits = []
    for match in analysis.TOKEN_RE.finditer(text):
        token = analysis.normalize(match.group())
        if wanted.intersection(analysis.index_terms(token, language)):
            if hits and match.start() >= hits[0][0] + length:
                break
            hits.append((match.start(), match.end()))
    start = 0
    if hits and hits[0][0] > SNIPPET_LEAD_IN:
        start = hits[0][0] - SNIPPET_LEAD_IN
        space = text.find(" ", start, hits[0][0])
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts = ["…" if start > 0 else ""]
    position = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        parts.append(escape(text[position:hit_start]))
        parts.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def decorate_results(pages, q, language, request=None):
    """``news.queries.decorate`` plus ``search_snippet`` (highlighted, safe HTML)."""
    pages = presentation.decorate(pages, language, request)
    for page in pages:
        text_language = getattr(page, "search_language", None) or page.content_language
        page.search_snippet = highlight(getattr(page, "search_text", ""), q, text_language)
    return pages


def suggest_titles(q, language, limit=10, request=None):
    """Titles of news for ``language`` (with fallback) with a word starting with ``q``.

    Prefix match on the title's words (``жапо`` → «Жапония…»; several words
    match consecutive title words), titles starting with ``q`` first, then
    newest. Returns dicts ``{id, title, url, locale, is_fallback}``.
    """
    q = clean_query(q)
    words = analysis.tokenize(q)
    if not words:
        return []
    limit = max(1, min(int(limit or 10), MAX_SUGGESTIONS))
    prefix = " " + " ".join(words)
    cache_keys.add(cache_keys.ANY)  # any story's title may change what matches
    qs = (
        queries.news_for_locale(language)
        .prefetch_related(None)
        .filter(search_entry__title_words__contains=prefix)
        .annotate(
            starts=Case(
                When(search_entry__title_words__startswith=prefix, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "-date", "-first_published_at", "-pk")
    )
    suggestions = []
    for page in qs[:limit]:
        found = i18n.localized(page, language)
        content_language, is_fallback = found.language, found.is_fallback
        url = page.get_url(request)
        suggestions.append(
            {
                "id": page.pk,
                "title": page.title,
                "url": found.url(url),
                "locale": content_language,
                "is_fallback": is_fallback,
            }
        )
    return suggestions
