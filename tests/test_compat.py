"""news/compat.py: each runtime change to wagtail-localize is in place, its system check
holds, and a canary per patch fails once upstream changes the code it relies on (or fixes
what it works around: then drop the patch)."""

import inspect

import pytest
from django.urls import resolve, reverse
from wagtail_localize import models as localize_models
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import edit_translation, update_translations

from news import compat


def upstream(function):
    return inspect.getsource(getattr(function, "__wrapped__", function))


def test_every_patch_is_in_place_and_the_check_is_quiet(db):
    assert compat.patches_check(None) == []
    for patch in compat.PATCHES:
        current = getattr(patch.holder(), patch.attribute)
        assert getattr(current, compat.MARK) == patch.name


def test_applying_twice_changes_nothing():
    before = [getattr(patch.holder(), patch.attribute) for patch in compat.PATCHES]
    compat.apply_patches()
    assert [getattr(patch.holder(), patch.attribute) for patch in compat.PATCHES] == before


def test_the_check_says_when_a_patched_attribute_was_replaced(monkeypatch, db):
    monkeypatch.setattr(Translation, "save_target", lambda self, user=None, publish=True: None)
    errors = compat.patches_check(None)
    assert [error.id for error in errors] == ["newsdesk.compat.E001"]
    assert "Translation.save_target" in errors[0].msg


@pytest.mark.parametrize("patch", compat.PATCHES, ids=lambda patch: patch.name)
def test_the_check_says_when_upstream_moved_the_original(monkeypatch, patch):
    current = getattr(patch.holder(), patch.attribute)
    monkeypatch.setattr(current, "__wrapped__", lambda *args, **kwargs: None)
    assert "not " + patch.expected in " ".join(patch.problems())


# --- Canaries: upstream still does what each patch is written against ------------------


def test_upstream_still_slugifies_translated_slugs_without_unicode():
    source = upstream(TranslationSource.create_or_update_translation)
    assert "slugify(translation.slug)" in source, "the slugify patch has nothing to patch"
    assert localize_models.slugify.__wrapped__("жаңалықтар") == "", (
        "wagtail-localize keeps Cyrillic slugs: drop the slugify patch"
    )


def test_upstream_still_ingests_segments_through_its_module_global():
    source = upstream(TranslationSource.create_or_update_translation)
    assert "ingest_segments(original, translation, self.locale, locale, segments)" in source
    preview = upstream(TranslationSource.get_ephemeral_translated_instance)
    assert "ingest_segments(original, translation, self.locale, locale, segments)" in preview


def test_upstream_save_target_still_publishes_whatever_is_there():
    original = Translation.save_target.__wrapped__
    assert list(inspect.signature(original).parameters) == ["self", "user", "publish"]
    source = upstream(original)
    assert "fallback=True" in source, "save_target no longer publishes gaps: drop the guard?"


def test_upstream_machine_translate_still_lets_errors_escape():
    source = upstream(edit_translation.machine_translate)
    assert "apply_machine_translation(" in source
    assert "except" not in source, "upstream handles the translator's errors: drop the shadow"


def test_upstream_sync_view_still_takes_its_own_translator():
    source = upstream(update_translations.UpdateTranslationsView.form_valid)
    assert "get_machine_translator()" in source, "sync takes a translator hook: use it"


def test_our_views_answer_upstreams_admin_urls(db):
    assert compat.shadow_problems() == []
    for upstream_name, _route, _view, name, _why in compat.ADMIN_URL_SHADOWS:
        assert resolve(reverse(upstream_name, args=[1])).url_name == name
