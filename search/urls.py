"""The search page, which a host includes inside its ``i18n_patterns`` (docs/install.md).

Its path is ``search/`` under the language prefix: Newsdesk's templates link to
``/<language>/search/``.
"""

from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
