"""The desk's schedule (issue 32 item 2): a dashboard panel and Reports → Schedule list
stories going live and expiring, and translations waiting, per language, with who
scheduled them; in Kazakh; only pages the user may see in the admin."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from news.desk import schedule
from tests.factories import make_news, translate

pytestmark = pytest.mark.django_db


def user(username, first_name, *, superuser=False, language="kk"):
    model = get_user_model()
    if superuser:
        made = model.objects.create_superuser(username, f"{username}@example.com", "pw")
    else:
        made = model.objects.create_user(username, f"{username}@example.com", "pw")
        made.user_permissions.add(Permission.objects.get(codename="access_admin"))
    made.first_name, made.last_name = first_name, "Ахметов"
    made.save()
    profile = UserProfile.get_for_user(made)
    profile.preferred_language = language
    profile.save()
    return made


@pytest.fixture
def desk(site_tree):
    """A story scheduled to go live, one expiring, a Russian translation waiting."""
    home, index = site_tree
    ru_home = translate(home, "ru", strings={"Басты бет": "Главная"})
    translate(index, "ru", strings={"Жаңалықтар": "Новости", "zhanalyqtar": "novosti"})
    editor = user("bakyt", "Бақыт", superuser=True)
    soon = timezone.now() + datetime.timedelta(days=1)
    scheduled = make_news(index, "Ертеңгі жаңалық", slug="erten", publish=False, live=False)
    scheduled.go_live_at = soon
    scheduled.save_revision(user=editor).publish(user=editor)
    expiring = make_news(index, "Уақытша хабар", slug="uaqytsha")
    expiring.expire_at = soon + datetime.timedelta(days=2)
    expiring.save_revision(user=editor).publish(user=editor)
    story = make_news(index, "Аударылатын жаңалық", slug="audarylatyn")
    waiting = translate(story, "ru", publish=False, strings={"Аударылатын жаңалық": "Перевод"})
    return {
        "editor": editor,
        "scheduled": scheduled,
        "expiring": expiring,
        "waiting": waiting,
        "ru_home": ru_home,
        "soon": soon,
    }


def test_schedule_lists_each_kind_with_who_scheduled_it(desk):
    items = schedule.schedule(desk["editor"])
    found = {(item.kind, item.page.pk, item.language, item.by) for item in items}
    assert found == {
        ("go_live", desk["scheduled"].pk, "kk", "Бақыт Ахметов"),
        ("expiry", desk["expiring"].pk, "kk", "Бақыт Ахметов"),
        ("waiting", desk["waiting"].pk, "ru", ""),
    }
    go_live = next(item for item in items if item.kind == "go_live")
    assert abs(go_live.when - desk["soon"]) < datetime.timedelta(seconds=1)


def test_dashboard_panel_and_report_in_kazakh(client, desk):
    client.force_login(desk["editor"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index("data-schedule-panel") :]
    assert "Жоспар" in panel
    assert "Жариялануы жоспарланған" in panel and "Жариялаудан алынатын" in panel
    assert "Күтіп тұрған аудармалар" in panel
    assert "Ертеңгі жаңалық" in panel and "Уақытша хабар" in panel and "Перевод" in panel
    assert "Бақыт Ахметов" in panel

    response = client.get(reverse("newsdesk_schedule"))
    assert response.status_code == 200
    report = response.content.decode()
    for language in ("kk", "ru"):
        assert f'data-schedule-language="{language}"' in report
    kk = report[
        report.index('data-schedule-language="kk"') : report.index('data-schedule-language="ru"')
    ]
    assert "Ертеңгі жаңалық" in kk and "Перевод" not in kk
    assert re.search(r'data-schedule-kind="go_live".*Бақыт Ахметов', kk, re.S)
    # The Reports menu names it.
    assert (
        "/admin/reports/schedule/"
        in client.get(reverse("wagtailadmin_reports:locked_pages")).content.decode()
    )


def test_a_user_sees_only_pages_they_may_see_in_the_admin(client, desk):
    """A Russian desk translator (rights under the Russian home only) sees the Russian
    translation waiting, never the Kazakh schedule; a user without page rights gets no
    panel and no report."""
    translator = user("ru_desk", "Ольга", language="ru")
    group = Group.objects.create(name="ru desk")
    GroupPagePermission.objects.create(
        group=group, page=desk["ru_home"], permission=Permission.objects.get(codename="change_page")
    )
    translator.groups.add(group)
    items = schedule.schedule(translator)
    assert [(item.kind, item.page.pk) for item in items] == [("waiting", desk["waiting"].pk)]
    client.force_login(translator)
    report = client.get(reverse("newsdesk_schedule")).content.decode()
    assert "Перевод" in report and "Ертеңгі жаңалық" not in report
    assert "Уақытша хабар" not in report

    nobody = user("nobody", "Нұрлан")
    client.force_login(nobody)
    assert client.get(reverse("newsdesk_schedule")).status_code in (302, 403)
    assert "data-schedule-panel" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_schedule_costs_a_fixed_number_of_queries(desk, django_assert_max_num_queries):
    index = desk["scheduled"].get_parent()
    for number in range(5):
        page = make_news(index, f"Кейінгі {number}", slug=f"keiingi-{number}")
        page.expire_at = timezone.now() + datetime.timedelta(days=3 + number)
        page.save_revision(user=desk["editor"]).publish(user=desk["editor"])
    with django_assert_max_num_queries(6):
        assert len(schedule.schedule(desk["editor"])) == 8
