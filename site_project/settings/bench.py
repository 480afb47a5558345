"""``make bench`` only: production settings plus Wagtail's API v3, the peer it is compared with.

Wagtail 8.0 ships ``wagtail.api.v3`` (Django Ninja); the site does not serve it, the
benchmark measures its page list and detail beside ours (site_project/urls_bench.py).
"""

from .production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v3"]  # noqa: F405
ROOT_URLCONF = "site_project.urls_bench"
