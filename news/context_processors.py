from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from news import cache_keys, i18n, presentation
from news.kazakh_latin import edition


def newsdesk(request):
    """Site-wide template context: languages, the switcher for non-page views, nav links."""
    if request.path.startswith(reverse("wagtailadmin_home")):
        # Not in the Wagtail admin: its header reverses a "search_url" *URL name*, so ours
        # (a path) made "Translate this page" and other admin views fail with a 500.
        return {}
    cache_keys.add(cache_keys.CHROME)  # the page shows the site's chrome
    language = i18n.active_language()
    path = request.get_full_path()
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "current_language": language,
        "current_language_name": i18n.local_name(language),
        "default_language_links": edition.alternate_links(
            i18n.language_links(
                language, lambda code: (i18n.swap_language_prefix(path, code), True)
            )
        ),
        "home_url": f"/{language}/",
        "news_index_url": SimpleLazyObject(lambda: presentation.news_index_url(language)),
        "search_url": f"/{language}/search/",
        "corrections_url": SimpleLazyObject(_corrections_url),
    }


def _corrections_url():
    """The corrections page in the active language, or "" where a host did not include
    ``news.urls.reader_urlpatterns``."""
    try:
        return reverse("news_corrections")
    except NoReverseMatch:
        return ""
