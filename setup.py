"""Build step that pyproject.toml cannot declare: compile the .po catalogues into the wheel.

The .mo files are build products (not in git); Django reads only .mo, so the wheel must
carry them. polib (a build requirement) compiles them in pure Python, no GNU gettext.
Everything else about the distribution is in pyproject.toml.
"""

from pathlib import Path

import polib
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        for po_path in sorted(Path(self.build_lib).glob("*/locale/*/LC_MESSAGES/*.po")):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildWithCatalogues})
