from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# In-process caches for the test client (tests of the on-disk default and Redis set their own).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tt"},
}
# One process: the in-process cache is the shared one here (no few-seconds bound), and
# pending purges are re-checked rarely, so that query counts do not depend on the clock.
NEWSDESK_UNSHARED_CACHE_SECONDS = 3600
NEWSDESK_TOKEN_CACHE = ""  # the tokens live beside the entries
# LocMemCache is shared here: the tests run in one process (news/checks.py).
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "newsdesk.W060", "newsdesk.E061"]  # noqa: F405
NEWSDESK_PURGE_RECHECK_SECONDS = 3600
# Tasks run in the request (no worker in the test process); tests of the worker start one.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Each test process gets its own PostgreSQL test database, so parallel runs never collide.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {"NAME": f"test_newsdesk_{os.getpid()}"}  # noqa: F405
    # Test databases are thrown away: a commit need not wait for the disk (migrations,
    # transactional tests and the servers they start commit thousands of times).
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405

# The Latin edition is tested on its own (tests/kazakh_latin/test_edition.py turns it on);
# elsewhere the tests see the site as a host that did not enable it.
NEWSDESK_KAZAKH_LATIN_EDITION = False
