"""The headless API v1 (Django REST framework): news, locales, resolve, preview, schema."""
