"""``manage.py check`` says what a site still lacks for a Kazakh admin."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.formats import iter_format_modules
from django.utils.translation import gettext as _


@register(Tags.translation)
def kazakh_admin_check(app_configs, **kwargs):
    messages = []
    permitted = dict(getattr(settings, "WAGTAILADMIN_PERMITTED_LANGUAGES", ()))
    if "kk" not in permitted:
        messages.append(
            Warning(
                _("Kazakh is not offered as an admin language."),
                hint=_('Add ("kk", "Қазақша") to WAGTAILADMIN_PERMITTED_LANGUAGES.'),
                id="kazakh_admin.W001",
            )
        )
    configs = list(apps.get_app_configs())
    names = [app.name for app in configs]
    ahead = [
        app.name
        for app in configs[: names.index("kazakh_admin")]
        if any((Path(app.path) / "locale" / "kk" / "LC_MESSAGES").glob("django.*"))
    ]
    if ahead:
        messages.append(
            Warning(
                _("These apps come before kazakh_admin and override its Kazakh: %(apps)s.")
                % {"apps": ", ".join(ahead)},
                hint=_("Put kazakh_admin ahead of them in INSTALLED_APPS."),
                id="kazakh_admin.W002",
            )
        )
    if not list(iter_format_modules("kk", getattr(settings, "FORMAT_MODULE_PATH", None))):
        messages.append(
            Warning(
                _("There are no Kazakh date and number formats: dates read like 11/28/2026."),
                hint=_('Add "kazakh_admin.formats" to FORMAT_MODULE_PATH.'),
                id="kazakh_admin.W003",
            )
        )
    middleware = list(settings.MIDDLEWARE)
    ours = "kazakh_admin.middleware.AdminLanguageMiddleware"
    auth = "django.contrib.auth.middleware.AuthenticationMiddleware"
    if ours not in middleware or (
        auth in middleware and middleware.index(ours) < middleware.index(auth)
    ):
        messages.append(
            Warning(
                _(
                    "The admin follows the browser's language, not the one an editor chose "
                    "in their account."
                ),
                hint=_(
                    'Add "kazakh_admin.middleware.AdminLanguageMiddleware" to MIDDLEWARE, '
                    "after AuthenticationMiddleware."
                ),
                id="kazakh_admin.W004",
            )
        )
    return messages
