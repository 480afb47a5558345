"""The site's URLs plus Wagtail's API v3 under /api/v3/ (bench settings only)."""

from django.urls import path
from wagtail.api.v3.urls import api

from site_project.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("api/v3/", api.urls), *site_urlpatterns]
