from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KazakhAdminConfig(AppConfig):
    name = "kazakh_admin"
    verbose_name = _("Kazakh admin")

    def ready(self):
        from kazakh_admin import (
            checks,  # noqa: F401 - registers the system checks
            compat,  # (and its system check)
        )

        compat.apply()
