"""Every change Newsdesk makes to wagtail-localize at run time, in one place.

Where no hook or subclass reaches (wagtail-localize has no signal around
``create_or_update_translation`` and calls its module-level helpers directly), an
attribute is wrapped. Each patch below names the upstream behaviour it changes; the
rule it applies lives where the rest of that rule does (``news.desk.localize``).
For each one:

* ``tests/test_compat.py`` has a canary that fails when upstream changes the code the
  patch relies on, or fixes what it works around (then the patch goes);
* the system check ``newsdesk.compat.E001`` says when the attribute in place is not our wrapper
  around the original we expect (upstream renamed or moved it, or another app replaced
  it after us).

Two wagtail-localize admin URLs are answered by our views instead (``ADMIN_URL_SHADOWS``,
registered ahead of upstream's by ``news.wagtail_hooks``); the same check makes sure they
still shadow upstream's URL names.

Wagtail admin strings no catalogue reaches are fixed by ``kazakh_admin.compat`` (an app
that stands alone, so its patches stay with it).
"""

import functools
import importlib
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.urls import NoReverseMatch, Resolver404, path, resolve, reverse
from django.utils.text import slugify

from news.desk import localize, machine_translation

MARK = "_newsdesk_patch"


def dotted(obj):
    """``module.qualname`` of a function (or of a ``functools.partial``'s function)."""
    obj = getattr(obj, "func", obj)
    return f"{obj.__module__}.{obj.__qualname__}"


@dataclass(frozen=True)
class Patch:
    """``owner.attribute`` replaced by ``make(original)``, once."""

    owner: str  # a module, or module:Class
    attribute: str
    expected: str  # dotted name of the original we wrap
    make: object  # original -> replacement
    upstream: str  # the upstream behaviour it changes

    def holder(self):
        module, _, cls = self.owner.partition(":")
        found = importlib.import_module(module)
        return getattr(found, cls) if cls else found

    def apply(self):
        holder = self.holder()
        current = getattr(holder, self.attribute)
        if getattr(current, MARK, None) == self.name:
            return
        replacement = self.make(current)
        setattr(replacement, MARK, self.name)
        replacement.__wrapped__ = current
        setattr(holder, self.attribute, replacement)

    @property
    def name(self):
        return f"{self.owner}.{self.attribute}"

    def problems(self):
        current = getattr(self.holder(), self.attribute, None)
        if getattr(current, MARK, None) != self.name:
            return [f"{self.name} is not Newsdesk's wrapper (replaced after us, or not applied)"]
        original = dotted(current.__wrapped__)
        if original != self.expected:
            return [f"{self.name} wraps {original}, not {self.expected}"]
        return []


# --- The patches ---------------------------------------------------------------------


def _unicode_slugify(original):
    # A Cyrillic slug kept (WAGTAIL_ALLOW_UNICODE_SLUGS); an empty one is replaced by
    # SlugNeverEmptyMixin from the title.
    return functools.partial(
        original, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    )


def _slug_follows_title(original):
    @functools.wraps(original)
    def ingest_segments(original_obj, translated_obj, src_locale, tgt_locale, segments):
        original(original_obj, translated_obj, src_locale, tgt_locale, segments)
        localize.slug_from_translated_title(original_obj, translated_obj, src_locale, tgt_locale)

    return ingest_segments


def _guarded_save_target(original):
    @functools.wraps(original)
    def save_target(self, user=None, publish=True):
        publish = localize.may_publish(self, publish)
        if publish is None:
            return None
        return original(self, user=user, publish=publish)

    return save_target


PATCHES = [
    Patch(
        "wagtail_localize.models",
        "slugify",
        dotted(slugify),
        _unicode_slugify,
        "TranslationSource.create_or_update_translation passes every translated page slug "
        "through slugify() without allow_unicode: «жаңалықтар» becomes an empty slug",
    ),
    Patch(
        "wagtail_localize.models",
        "ingest_segments",
        "wagtail_localize.segments.ingest.ingest_segments",
        _slug_follows_title,
        "an untranslated slug is published with the source's text, so the Russian page "
        "lived at a Kazakh URL (localize.slug_from_translated_title)",
    ),
    Patch(
        "wagtail_localize.models:Translation",
        "save_target",
        "wagtail_localize.models.Translation.save_target",
        _guarded_save_target,
        "every publishing path (editor, sync, bulk) calls save_target, which publishes "
        "gaps; NEWSDESK_PUBLISH_INCOMPLETE_TRANSLATIONS = False refuses them "
        "(localize.may_publish)",
    ),
]

# (wagtail-localize's URL name, its path under /admin/, our view, our URL name, why)
ADMIN_URL_SHADOWS = [
    (
        "wagtail_localize:machine_translate",
        "localize/translate/<int:translation_id>/machine_translate/",
        machine_translation.machine_translate,
        "newsdesk_machine_translate",
        "upstream's view lets any error of the machine translator escape as a 500",
    ),
    (
        "wagtail_localize:update_translations",
        "localize/update/<int:translation_source_id>/",
        machine_translation.SyncTranslationsView.as_view(),
        "newsdesk_update_translations",
        "upstream's sync view machine-translates without the newsroom's glossary",
    ),
]


def apply_patches():
    """Install every patch (``NewsConfig.ready``); a second call changes nothing."""
    for patch in PATCHES:
        patch.apply()


def admin_urls():
    """Our views on wagtail-localize's own admin URLs (registered ahead of upstream's)."""
    return [
        path(route, view, name=name) for _upstream, route, view, name, _why in ADMIN_URL_SHADOWS
    ]


def shadow_problems():
    problems = []
    for upstream, _route, _view, name, _why in ADMIN_URL_SHADOWS:
        try:
            theirs, ours = reverse(upstream, args=[1]), reverse(name, args=[1])
            answered_by = resolve(theirs).url_name
        except (NoReverseMatch, Resolver404) as error:
            problems.append(f"{upstream}: {error}")
            continue
        if theirs != ours or answered_by != name:
            problems.append(f"{upstream} ({theirs}) is no longer answered by {name} ({ours})")
    return problems


@register(Tags.compatibility)
def patches_check(app_configs, **kwargs):
    """newsdesk.compat.E001: a patched attribute is no longer the original we wrapped."""
    problems = [problem for patch in PATCHES for problem in patch.problems()]
    problems += shadow_problems()
    return [
        Error(
            problem,
            hint="Check news/compat.py against the installed wagtail-localize "
            "(tests/test_compat.py says what changed).",
            id="newsdesk.compat.E001",
        )
        for problem in problems
    ]
