"""The newsroom's staff groups and what each may do (docs/roles.md says it for people).

Wagtail's own migration creates *Editors* and *Moderators* with page permissions on the
root, images and documents. ``ensure_groups`` adds what the newsroom needs on top of
that, and the *Translators* group; ``load_demo`` runs it, and the permission matrix test
(``tests/test_permission_matrix.py``) builds its roles from the same groups, so the demo
and the tested rules cannot drift. Page rights of translators are given per page or per
language tree (a ``GroupPagePermission``), never globally.
"""

from django.contrib.auth.models import Group, Permission

SNIPPETS = ("news.author", "news.newstopic", "newsdesk_memory.glossaryterm")

GROUPS = {
    "Editors": [
        "wagtail_localize.submit_translation",
        *(f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in SNIPPETS
          for action in ("add", "change")),
    ],
    "Moderators": [
        "wagtail_localize.submit_translation",
        *(f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in SNIPPETS
          for action in ("add", "change", "delete")),
        # Deleting or rewriting a published editor's note (docs/bylines-and-corrections.md).
        "news.withdraw_note",
    ],
    "Translators": [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
    ],
}  # fmt: skip


def permission(code):
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups():
    """Create or complete the newsroom's groups (idempotent); returns {name: group}."""
    groups = {}
    for name, codes in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(permission(code) for code in codes))
        groups[name] = group
    return groups
