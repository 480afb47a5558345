"""Deploy checks of the reference site (``manage.py check --deploy``).

Django's deploy checks know nothing of our cache or of Wagtail's admin base URL:

* ``site_project.W001``: no ``REDIS_URL``. The caches are then on this machine's disk
  (``NEWSDESK_CACHE_DIR``): shared by its processes, not by a second app server, whose
  rate limit and response cache would be its own.
* ``site_project.W002``: ``WAGTAILADMIN_BASE_URL`` left at localhost: links in
  notification e-mails and the admin's "view live" point at the editor's own machine.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - compared, not bound


@register(Tags.caches, deploy=True)
def check_redis(app_configs=None, **kwargs):
    if getattr(settings, "REDIS_URL", ""):
        return []
    return [
        Warning(
            "REDIS_URL is not set: the caches are on this machine's disk (NEWSDESK_CACHE_DIR), "
            "shared by its processes but not with another app server.",
            hint=(
                "Set REDIS_URL when more than one machine serves the site: each would "
                "otherwise count the API rate limit and keep cached answers on its own."
            ),
            id="site_project.W001",
        )
    ]


@register(deploy=True)
def check_admin_base_url(app_configs=None, **kwargs):
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    try:
        host = (urlsplit(base_url).hostname or "").lower()
    except ValueError:
        host = ""
    if host not in LOCAL_HOSTS and not host.endswith(".localhost"):
        return []
    return [
        Warning(
            f"WAGTAILADMIN_BASE_URL is {base_url!r}, which points at this machine.",
            hint="Set WAGTAILADMIN_BASE_URL to the admin's public URL (https://…).",
            id="site_project.W002",
        )
    ]
