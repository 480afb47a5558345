"""LocaleMiddleware that leaves the API's answers alone.

Django's LocaleMiddleware turns every 404 outside i18n_patterns into a redirect
to a language-prefixed path (Wagtail's catch-all makes ``/kk/api/v1/…`` "valid"),
and adds ``Vary: Accept-Language`` to every answer. The API chooses its language
itself (``locale``, else Accept-Language, else the default), says so in
``Content-Language`` and varies on the header only when the header chose.

An API request's explicit ``locale`` also chooses the language of its errors:
``?locale=en&page=abc`` answers in English whatever Accept-Language says (the
parameters are checked, and their messages written, before any view picks a language).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


def explicit_locale(request):
    """The configured language named by the request's ``locale`` parameter, or None."""
    code = request.GET.get("locale", "").strip().lower()
    return code if code in dict(settings.LANGUAGES) else None


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(API_PREFIX):
            code = explicit_locale(request)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
