"""Compile the project's .po catalogues to .mo without GNU gettext.

``compilemessages`` needs ``msgfmt``, which a fresh machine with only Python does
not have; polib does the same job in pure Python.
"""

import sys
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from news.kazakh_latin import catalogue as latin_catalogues


def _project_app_locale_dirs():
    """locale/ of the installed apps that live in this project (kazakh_admin), not in a venv."""
    base = Path(settings.BASE_DIR).resolve()
    venv = Path(sys.prefix).resolve()
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(venv):
            if (path / "locale").is_dir() and path / "locale" not in settings.LOCALE_PATHS:
                yield path / "locale"


class Command(BaseCommand):
    help = (
        "Generate the kk_Latn catalogues from the Kazakh ones, then compile every "
        "locale/*/LC_MESSAGES/*.po of the project (and its apps) into .mo files."
    )

    def handle(self, *args, **options):
        compiled = 0
        locale_dirs = [*settings.LOCALE_PATHS, *_project_app_locale_dirs()]
        # The Latin edition's words, generated from the Kazakh catalogues (committed).
        generated = latin_catalogues.write_latin_catalogues(locale_dirs)
        self.stdout.write(f"generated {generated} Latin Kazakh catalogue(s)")
        for locale_dir in locale_dirs:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except OSError as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                latin_catalogues.write_if_changed(po_path.with_suffix(".mo"), catalogue.to_binary())
                compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
