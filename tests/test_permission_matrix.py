"""Every admin URL our apps register, as each role sees it (issue 27).

The URLs come from the URLconf (``get_resolver()``): every pattern under the admin whose
view lives in ``news``, ``search``, ``newsdesk_memory`` or ``kazakh_admin``, every URL of
the snippet viewsets of their models, and every bulk action they register. The expected
access is the table in docs/roles.md, read here: a new view without a row fails
``test_every_admin_url_has_a_row``. The roles are built from the newsroom's groups
(``home.roles``, which ``load_demo`` applies), so the demo's groups are what is tested.

Outcomes: ``yes`` (the view answers: 200, or a redirect elsewhere than the login page or
the admin's dashboard), ``no`` (403, 404 or Wagtail's "permission denied" redirect to
the dashboard), ``login`` (a redirect to the login page).
"""

import re
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import URLResolver, get_resolver, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import GroupPagePermission
from wagtail_localize.models import StringTranslation

from home import roles
from news.kazakh_latin.spellings import LatinSpelling
from news.models import OutboxDelivery, WebhookEndpoint
from newsdesk_memory.models import GlossaryTerm
from tests.factories import AuthorFactory, NewsTopicFactory
from tests.memory.conftest import (  # noqa: F401 - alice is a fixture
    ROLE,
    alice,
    edit_segment,
    ru,
    segment,
    story,
    submit,
)

OUR_APPS = {"news", "search", "newsdesk_memory", "kazakh_admin"}
ROLES = ["anonymous", "admin only", "translator", "editor", "moderator", "superuser"]
TABLE = Path(__file__).resolve().parents[1] / "docs" / "roles.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")

LEAD_MINE = "Талғар ауданында екі жаңа зауыт ашылды"
LEAD_PUBLIC = "Талғар ауданында жаңа саябақ ашылды"


def expected_table():
    """{url key: {role: outcome}} from docs/roles.md's matrix."""
    table = {}
    for line in TABLE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            cells = [cell.strip() for cell in match.group(2).split("|")]
            table[match.group(1)] = dict(zip(ROLES, cells[: len(ROLES)], strict=True))
    return table


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            yield prefix + str(pattern.pattern), pattern, namespace


def _module(pattern):
    view = pattern.callback
    view = getattr(view, "view_class", view)
    return getattr(view, "__module__", "") or ""


def our_snippet_namespaces():
    from wagtail.snippets.models import get_snippet_models

    found = set()
    for model in get_snippet_models():
        if model._meta.app_label in OUR_APPS:
            label = f"{model._meta.app_label}_{model._meta.model_name}"
            found |= {f"wagtailsnippets_{label}", f"wagtailsnippetchoosers_{label}"}
    return found


def admin_urls():
    """{key: (route, pattern)} of every admin URL of our apps, and our bulk actions."""
    snippets = our_snippet_namespaces()
    found = {}
    for route, pattern, namespace in _walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        ours = _module(pattern).split(".")[0] in OUR_APPS or namespace in snippets
        if ours and pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found[key] = (route, pattern)
    bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")  # scans the hooks
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            for action_type, action in actions.items():
                if action.__module__.split(".")[0] in OUR_APPS:
                    found[f"bulk:{app_label}.{model_name}.{action_type}"] = (None, action)
    return found


def test_every_admin_url_has_a_row():
    table = expected_table()
    missing = sorted(set(admin_urls()) - set(table))
    assert not missing, f"add these to the matrix in docs/roles.md: {missing}"
    stale = sorted(set(table) - set(admin_urls()))
    assert not stale, f"rows of docs/roles.md for no URL: {stale}"
    for key, row in table.items():
        assert set(row.values()) <= {"yes", "no", "login"}, (key, row)


def _user(name, *groups, superuser=False):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    user.is_superuser = superuser
    user.save()
    user.groups.add(*groups)
    return user


@pytest.fixture
def world(ru_en_site, client, alice, settings):  # noqa: F811 - fixtures
    """A story with a Russian translation (the translator's one page), a public translated
    story it can borrow from, a topic, an author, a glossary term; a user per role."""
    # wagtail-localize's own dummy translator: the machine translation views answer.
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    _home, index = ru_en_site
    mine = story(index, "Менің жаңалығым", lead=LEAD_MINE)
    translation = submit(client, mine, "ru")["ru"]
    reviewed = edit_segment(client, translation, ROLE, "аким")
    public = story(index, "Ашық жаңалық", lead=LEAD_PUBLIC)
    public_translation = submit(client, public, "ru")["ru"]
    offered = edit_segment(client, public_translation, LEAD_PUBLIC, "Открылся парк")
    with TestCase.captureOnCommitCallbacks(execute=True):
        public_translation.save_target(user=alice, publish=True)

    groups = roles.ensure_groups()
    admin_only = Group.objects.create(name="Admin access only")
    admin_only.permissions.add(roles.permission("wagtailadmin.access_admin"))
    one_page = Group.objects.create(name="Translators of one page")
    GroupPagePermission.objects.create(
        group=one_page,
        page=mine.get_translation(ru()),
        permission=roles.permission("wagtailcore.change_page"),
    )
    users = {
        "anonymous": None,
        "admin only": _user("adam", admin_only),
        "translator": _user("tina", groups["Translators"], one_page),
        "editor": _user("eddie", groups["Editors"]),
        "moderator": _user("mona", groups["Moderators"]),
        "superuser": _user("sue", superuser=True),
    }
    objects = {
        "news_newstopic": NewsTopicFactory(name="Саясат"),
        "news_author": AuthorFactory(name="Айгүл Серікова"),
        "newsdesk_memory_glossaryterm": GlossaryTerm.objects.create(
            source="Талғар ауданы", russian="Талгарский район"
        ),
        "news_latinspelling": LatinSpelling.objects.create(cyrillic="Ямада", latin="Yamada"),
        "news_webhookendpoint": WebhookEndpoint.objects.create(
            url="http://127.0.0.1:9/hook", secret="whsec_c2VjcmV0c2VjcmV0c2VjcmV0"
        ),
        # A notification in the delivery log ("send again" takes its id).
        "newsdesk_outbox_send_again": OutboxDelivery.objects.create(
            id=uuid.uuid4(), channel="webhook", target="http://127.0.0.1:9/hook", event="x"
        ),
    }
    # The live blog's quick entry form (news.live.admin) is tried on the translator's page.
    live_page = mine.get_translation(ru())
    type(live_page).objects.filter(pk=live_page.pk).update(live_status="live")
    args = {
        "page_id": live_page.pk,
        "translation_id": translation.id,
        "translation_source_id": translation.source_id,
        "string_translation_id": reviewed.id,
        "segment_id": segment(translation, LEAD_MINE).id,
        "suggestion_id": StringTranslation.objects.get(pk=offered.pk).id,
    }
    bulk_ids = {"page": mine.id, "author": objects["news_author"].id}
    bulk_ids["newstopic"] = objects["news_newstopic"].id
    return {"users": users, "objects": objects, "args": args, "bulk_ids": bulk_ids}


def _url(key, pattern, world):
    if key.startswith("bulk:"):
        app_label, model_name, action_type = key.removeprefix("bulk:").split(".")
        url = reverse("wagtail_bulk_action", args=[app_label, model_name, action_type])
        return f"{url}?id={world['bulk_ids'][model_name]}"
    kwargs = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            namespace = key.split(":")[0]
            label = namespace.removeprefix("wagtailsnippets_").removeprefix(
                "wagtailsnippetchoosers_"
            )
            kwargs[name] = world["objects"][label].pk
        else:
            kwargs[name] = world["args"][name]
    # Where an action returns to when it succeeds (not the dashboard, a refusal's place).
    return reverse(key, kwargs=kwargs) + "?next=/admin/pages/"


def outcome(key, response, url):
    if response.status_code == 302:
        location = urlparse(response["Location"]).path
        if "/login/" in location:
            return "login"
        if re.fullmatch(r"(/\w\w)?/admin/", location) or location.endswith(urlparse(url).path):
            return "no"  # Wagtail's "permission denied", or a 404 sent to the language's URL
        return "yes"
    if response.status_code in (403, 404):
        return "no"
    assert response.status_code == 200, (key, url, response.status_code)
    if key.startswith("bulk:"):
        # The confirmation page always answers; it lists only what the user may act on.
        return "yes" if b"data-bulk-item" in response.content else "no"
    return "yes"


def observe(key, pattern, world, user):
    client = Client()
    if user is not None:
        client.force_login(user)
    url = _url(key, pattern, world)
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(url)
    return outcome(key, response, url)


def test_each_role_gets_what_docs_roles_md_says(world):
    table = expected_table()
    wrong = []
    observed = {}
    for key, (_route, pattern) in sorted(admin_urls().items()):
        for role in ROLES:
            got = observe(key, pattern, world, world["users"][role])
            observed.setdefault(key, []).append(got)
            if table.get(key, {}).get(role) != got:
                wrong.append(
                    f"{key} as {role}: {got}, docs/roles.md says {table.get(key, {}).get(role)}"
                )
    print("\n".join(f"| `{k}` | {' | '.join(v)} |" for k, v in observed.items()))
    assert not wrong, "\n".join(wrong)
