"""An answer that changes at a known time says so in ``Expires``: the response cache keeps
it until then and no longer, in every tier, and an unreadable ``Expires`` (already
expired, RFC 9111) is not kept at all. This module is its own URLconf: two views whose
every answer differs, so that a cached one shows.
"""

import itertools
import time

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils.http import http_date, parse_http_date

from site_project import urls as site_urls

_answers = itertools.count()


def _expiring(request, seconds):
    response = HttpResponse(f"answer {next(_answers)}", content_type="text/plain")
    response["Expires"] = http_date(time.time() + seconds)
    return response


def _unreadable(request):
    response = HttpResponse(f"answer {next(_answers)}", content_type="text/plain")
    response["Expires"] = "0"
    return response


urlpatterns = [
    path("expiring/<int:seconds>/", _expiring),
    path("unreadable/", _unreadable),
    *site_urls.urlpatterns,  # the admin's, which the middleware asks for
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def _max_age(response):
    return int(response["Cache-Control"].split("max-age=")[1].split(",")[0])


def test_an_answer_is_kept_until_it_expires_and_no_longer(client):
    first = client.get("/expiring/2/")
    assert first["X-Cache"] == "miss"
    expires = parse_http_date(first["Expires"])
    hit = client.get("/expiring/2/")
    assert hit["X-Cache"] == "hit" and hit.content == first.content
    assert _max_age(hit) <= 2  # counted down to Expires, not the HTML pages' max-age

    time.sleep(max(0.0, expires - time.time()) + 0.1)
    again = client.get("/expiring/2/")
    assert again["X-Cache"] == "miss"
    assert again.content != first.content


def test_an_unreadable_expires_is_never_kept(client):
    first, second = client.get("/unreadable/"), client.get("/unreadable/")
    assert first.status_code == second.status_code == 200
    assert "X-Cache" not in second
    assert first.content != second.content
