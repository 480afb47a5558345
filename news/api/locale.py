"""LocaleMiddleware that leaves the API's answers alone.

Django's LocaleMiddleware turns every 404 outside i18n_patterns into a redirect
to a language-prefixed path (Wagtail's catch-all makes ``/kk/api/v1/…`` "valid"),
and adds ``Vary: Accept-Language`` to every answer. The API chooses its language
itself (``locale``, else Accept-Language, else the default), says so in
``Content-Language`` and varies on the header only when the header chose.
"""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

API_PREFIX = "/api/"


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
