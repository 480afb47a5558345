"""Production settings for the multi-process cache tests, without the static manifest.

Everything else (DEBUG off, security middleware, caches from REDIS_URL) is production's.
"""

from site_project.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
