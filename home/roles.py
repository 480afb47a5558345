"""The newsroom's staff groups and what each may do (docs/roles.md says it for people).

Wagtail's own migration creates *Editors* and *Moderators* with page permissions on the
root, images and documents. ``ensure_groups`` adds what the newsroom needs on top of
that, and the *Translators* group, each named in the site's language (``LANGUAGE_CODE``: a
Kazakh newsroom's admin shows «Редакторлар», never Wagtail's English row names);
``load_demo`` runs it, and the permission matrix test
(``tests/test_permission_matrix.py``) builds its roles from the same groups, so the demo
and the tested rules cannot drift. Page rights of translators are given per page or per
language tree (a ``GroupPagePermission``), never globally.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext_lazy as _

SNIPPETS = ("news.author", "news.newstopic", "news.latinspelling", "newsdesk_memory.glossaryterm")

GROUPS = {
    "Editors": [
        "wagtail_localize.submit_translation",
        "news.view_outboxdelivery",
        *(f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in SNIPPETS
          for action in ("add", "change")),
    ],
    "Moderators": [
        "wagtail_localize.submit_translation",
        *(f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in SNIPPETS
          for action in ("add", "change", "delete")),
        # Deleting or rewriting a published editor's note (docs/bylines-and-corrections.md).
        "news.withdraw_note",
        # The notifications log, and sending one again (docs/webhooks.md).
        "news.view_outboxdelivery",
        "news.change_outboxdelivery",
    ],
    "Translators": [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
    ],
}  # fmt: skip


# The groups' names as the admin shows them; GROUPS' keys are Wagtail's English names.
LABELS = {"Editors": _("Editors"), "Moderators": _("Moderators"), "Translators": _("Translators")}


def names(key, label):
    """Every name a group may already have: ``key`` (Wagtail's) or its label in any language."""
    found = {key}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(str(label))
    return found


def find(model, key, label):
    """The row of ``model`` (a Group, a Workflow, a Task) named ``key`` in any language."""
    return model.objects.filter(name__in=names(key, label)).order_by("pk").first()


def permission(code):
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups(language=None):
    """Create or complete the newsroom's groups, named in ``language`` (the site's by
    default); idempotent, a group already named in any language is found and renamed.
    Returns {Wagtail's English name: group}."""
    groups = {}
    for key, codes in GROUPS.items():
        group = find(Group, key, LABELS[key]) or Group(name=key)
        with translation.override(language or settings.LANGUAGE_CODE):
            group.name = str(LABELS[key])
        group.save()
        group.permissions.add(*(permission(code) for code in codes))
        groups[key] = group
    return groups
