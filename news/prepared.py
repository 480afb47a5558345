"""SQL compiled once per query shape and run again with new values.

Why by hand: Django builds and compiles a queryset's SQL on every evaluation. The
listing's queries (visibility, the best language along the fallback chain, the languages
and links of each item) take 10–25 ms of Python to build and compile for under 1 ms of
SQL, most of a miss (docs/benchmarks.md). Django has no API to reuse compiled SQL, and
the one package that did (django-prepared-queries) was last released in 2019, for Django 2.

``run(key, build, *values)``: the first call for ``key`` in a process builds the queryset
twice, ``build(*stand_ins)``, with two sets of stand-in values of the same types and
lengths as ``values``, and compiles both. It keeps the compiled query only when both SQL
texts are the same and the parameters differ exactly where the stand-ins went, each
stand-in at least once. Otherwise (a value that changes the SQL's text, or that does not
reach the SQL, or an input of its own such as a clock) nothing is kept and every call
builds the queryset with the real values, as Django would. A kept query runs with the
values put in the stand-ins' places, through the kept compiler state, so rows become model
instances (``select_related``, annotations, prefetches) exactly as Django makes them.

``key`` must hold everything else ``build`` reads (language chain, limits, the restricted
paths…). A change of a setting a query may read forgets every kept query.
"""

import itertools
import threading
import uuid

from cachetools import LRUCache
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections

_KEPT = LRUCache(maxsize=256)
_LOCK = threading.Lock()
_NOT_KEPT = object()
_numbers = itertools.count(1)

# How a value appears among a compiled query's parameters (a UUID: as itself on
# PostgreSQL, as its hex on SQLite).
_FORMS = (lambda value: value, lambda value: value.hex, str)


def _stand_in(value):
    if isinstance(value, list | tuple):
        return type(value)(_stand_in(item) for item in value)
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, int) and not isinstance(value, bool):
        # Negative, so never an id, but within a 32-bit column's range: Django leaves a
        # comparison with an out-of-range value out of the SQL (PostgreSQL).
        return -(10**9) - next(_numbers)
    if isinstance(value, str):
        return f"stand-in-{next(_numbers)}"
    raise TypeError(f"no stand-in for {type(value).__name__}")


def _flat(values):
    for value in values:
        if isinstance(value, list | tuple):
            yield from _flat(value)
        else:
            yield value


def _lengths(values):
    """The lengths of ``values`` and of every list in them: what shapes a query."""
    return tuple(_lengths(value) if isinstance(value, list | tuple) else 0 for value in values)


def _slots(first, second, params_1, params_2):
    """Where each stand-in went: ``[(parameter index, value index, form)]``, or None."""
    slots, used = [], set()
    for index, (one, two) in enumerate(zip(params_1, params_2, strict=True)):
        if one == two and type(one) is type(two):
            continue
        slot = next(
            (
                (index, position, form)
                for position, (a, b) in enumerate(zip(first, second, strict=True))
                for form in _FORMS
                if _matches(form, a, one) and _matches(form, b, two)
            ),
            None,
        )
        if slot is None:
            return None
        slots.append(slot)
        used.add(slot[1])
    return slots if len(used) == len(first) else None


def _matches(form, value, param):
    try:
        return form(value) == param and type(form(value)) is type(param)
    except AttributeError:
        return False


def _compile(queryset):
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return compiler, None, ()
    return compiler, sql, tuple(params)


def _prepare(build, values):
    """The kept query for ``build`` (queryset, compiler, SQL, parameters, slots), or
    ``_NOT_KEPT``."""
    try:
        first, second = _stand_in(values), _stand_in(values)
    except TypeError:
        return _NOT_KEPT
    queryset = build(*first)
    compiler, sql, params = _compile(queryset)
    _other_compiler, other_sql, other_params = _compile(build(*second))
    if sql is None or sql != other_sql or len(params) != len(other_params):
        return _NOT_KEPT
    slots = _slots(list(_flat(first)), list(_flat(second)), params, other_params)
    if slots is None:
        return _NOT_KEPT
    return queryset, compiler, sql, params, slots


def _copy(instance):
    """A shallow copy without ``__getstate__`` (a queryset's would evaluate it)."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__.update(instance.__dict__)
    return clone


class _KeptQuery:
    """What a queryset's evaluation asks of its query: a compiler, here the kept one with
    the new parameters; anything else (the names of ``values()``) is the kept query's."""

    def __init__(self, compiler, sql, params):
        self.compiler, self.sql, self.params = compiler, sql, params

    def __getattr__(self, name):
        return getattr(self.compiler.query, name)

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = _copy(self.compiler)
        compiler.using = using
        compiler.connection = connection or connections[using]
        compiler.as_sql = lambda *args, **kwargs: (self.sql, self.params)
        return compiler


def run(key, build, *values):
    """The rows of ``build(*values)`` (a list), from the SQL kept for ``key`` when it can be.

    ``values``: UUIDs, integers, strings, or lists and tuples of them; ``build`` may use
    them only as values of the query (their number may shape it: put it in ``key``).
    """
    shape = (key, _lengths(values))
    with _LOCK:
        kept = _KEPT.get(shape)
    if kept is None:
        kept = _prepare(build, values)
        with _LOCK:
            _KEPT[shape] = kept
    if kept is _NOT_KEPT:
        return list(build(*values))
    queryset, compiler, sql, params, slots = kept
    flat = list(_flat(values))
    params = list(params)
    for index, position, form in slots:
        params[index] = form(flat[position])
    rows = _copy(queryset)
    rows._query = _KeptQuery(compiler, sql, tuple(params))
    return list(rows)


def padded(values):
    """``values`` (a list for an ``IN``) with its last item repeated up to a power of two:
    fewer shapes, the same rows."""
    size = 1
    while size < len(values):
        size *= 2
    return values + values[-1:] * (size - len(values))


# Settings no query reads: changing them (a test's media folder, caches, hosts, the
# response cache) keeps what is kept. Any other setting may change what ``build`` makes.
_UNRELATED = frozenset(
    {
        "ALLOWED_HOSTS",
        "CACHES",
        "CORS_ALLOWED_ORIGINS",
        "DEBUG",
        "LOGGING",
        "MEDIA_ROOT",
        "MEDIA_URL",
        "MIDDLEWARE",
        "NEWSDESK_API_MAX_AGE",
        "NEWSDESK_API_RATE",
        "NEWSDESK_RESPONSE_CACHE",
        "REDIS_URL",
        "ROOT_URLCONF",
        "SECRET_KEY",
        "STATIC_ROOT",
        "STATIC_URL",
        "STORAGES",
        "TEMPLATES",
    }
)


def forget(setting=None, **kwargs):
    """Forget every kept query (a change of a setting a query may read, or a direct call)."""
    if setting in _UNRELATED:
        return
    with _LOCK:
        _KEPT.clear()


setting_changed.connect(forget, dispatch_uid="news.prepared.forget")
