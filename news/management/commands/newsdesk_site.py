"""``manage.py newsdesk_site [URL]``: the default Site's hostname and port from a URL.

Wagtail builds every absolute URL from the Site record: canonical and hreflang links,
JSON-LD, sitemaps, the admin's preview links. ``wagtail start`` leaves it on
``localhost:80``; this sets it to the address readers reach: the URL given, else
``WAGTAILADMIN_BASE_URL`` (the check newsdesk.W022 asks for it). The reference site has
its own ``configure_site``, which reads its environment.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Set the default Site's hostname and port from a URL (default: WAGTAILADMIN_BASE_URL)."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="e.g. https://news.example.kz")

    def handle(self, *args, url=None, **options):
        url = url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(
                f"{url!r} is not an http(s) URL: give one, or set WAGTAILADMIN_BASE_URL."
            )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Site yet (create one in the admin).")
        site.hostname = parts.hostname
        site.port = parts.port or (443 if parts.scheme == "https" else 80)
        site.save()
        self.stdout.write(f"The default site now serves {site.root_url}/")
