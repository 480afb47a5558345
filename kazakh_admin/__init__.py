"""Kazakh for the Wagtail admin: one catalogue per domain for Wagtail, wagtail-localize and
the Django strings the admin shows, Kazakh date and number formats, and the JavaScript
strings of the admin's editors.

Add ``"kazakh_admin"`` to ``INSTALLED_APPS`` ahead of the Wagtail and Django apps (its
catalogue then wins over Django's incomplete Kazakh one) and ``"kk"`` to
``WAGTAILADMIN_PERMITTED_LANGUAGES``; ``manage.py check`` says what is missing.
"""
