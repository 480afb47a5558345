"""/api/v1/search/ (mounted before the news API in site_project/urls.py)."""

from django.urls import path

from search import api

app_name = "search_api"

urlpatterns = [
    path("", api.SearchView.as_view(), name="search"),
    path("suggest/", api.SuggestView.as_view(), name="suggest"),
]
