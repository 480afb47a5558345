"""``manage.py configure_site``: the default Site's hostname and port from the settings.

Wagtail builds every absolute URL from the Site record: canonical and hreflang links,
sitemaps, feeds, the admin's "Frontend (headless API)" preview link. They must name the
host and port readers reach. The settings read them from the environment
(``NEWSDESK_SITE_HOSTNAME``, ``NEWSDESK_SITE_PORT``; by default the host and port of
``WAGTAILADMIN_BASE_URL``): ``make run`` sets them to the address it serves, production to
its public name (run this command after ``migrate`` on each deploy). ``load_demo`` applies
the same settings.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


def configured_address():
    """(hostname, port) from the settings."""
    hostname = getattr(settings, "NEWSDESK_SITE_HOSTNAME", "") or "localhost"
    port = int(getattr(settings, "NEWSDESK_SITE_PORT", 80) or 80)
    return hostname, port


def configure_default_site(site=None):
    """Give the default Site the configured hostname and port; True if it changed."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = configured_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()
    return True


class Command(BaseCommand):
    help = "Set the default Site's hostname and port to NEWSDESK_SITE_HOSTNAME and _PORT."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Site yet (create one in the admin).")
        changed = configure_default_site(site)
        state = "now serves" if changed else "already serves"
        self.stdout.write(f"The default site {state} {site.root_url}/")
