from django.apps import AppConfig


class SiteProjectConfig(AppConfig):
    """The reference site's own app: only its deploy checks (site_project/checks.py)."""

    name = "site_project"
    label = "site_project"
    verbose_name = "Newsdesk reference site"

    def ready(self):
        from site_project import checks  # noqa: F401 - registers the checks
