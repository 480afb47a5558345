"""Kazakh for the Wagtail admin: one catalogue per domain for Wagtail, wagtail-localize and
the Django strings the admin shows, Kazakh date and number formats, and the JavaScript
strings of the admin's editors.

Put ``"kazakh_admin"`` first in ``INSTALLED_APPS`` (its catalogue then wins over the
Kazakh strings of every app after it, Django's incomplete one included), ``"kk"`` in
``WAGTAILADMIN_PERMITTED_LANGUAGES``, ``"kazakh_admin.formats"`` in ``FORMAT_MODULE_PATH``
and ``kazakh_admin.middleware.AdminLanguageMiddleware`` after ``AuthenticationMiddleware``
(docs/install.md, step 2); ``manage.py check`` says what is missing.
"""
