"""The admin in the language of the editor's account, whatever the browser asks for.

Wagtail switches to the account's "Preferred language" only inside the views it wraps with
``require_admin_access``; the rest of an admin request still follows Accept-Language:
``Content-Language``, Wagtail's own ``/admin/jsi18n/`` strings, the login redirect, error
pages. This middleware activates the account's language for the whole request to
``/admin/``, so an editor whose account says Kazakh gets a Kazakh admin from an English
browser. A user who chose no language keeps Wagtail's rule (the browser's, if the admin
offers it, else ``LANGUAGE_CODE``). Put it after ``AuthenticationMiddleware``.
"""

from functools import cache

from django.urls import reverse
from django.utils import translation
from wagtail.admin.localization import get_available_admin_languages


@cache
def admin_prefix():
    return reverse("wagtailadmin_home")


def preferred_admin_language(user):
    """The admin language the user's account names, or None (none chosen, or not offered)."""
    if not user.is_authenticated:
        return None
    # Wagtail's admin views read the same profile: one query, cached on the user.
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "")
    if language and language in dict(get_available_admin_languages()):
        return language
    return None


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(admin_prefix()):
            language = preferred_admin_language(request.user)
            if language:
                # Left active: the locale middleware's response step reads it for
                # Content-Language, as for the language it activated itself.
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
