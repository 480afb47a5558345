"""Newsdesk: multilingual news for Wagtail (the ``wagtail-newsdesk`` distribution).

``__version__`` is the installed distribution's version, read from its metadata, so that
pyproject.toml's ``version`` stays the one place it is written (CHANGELOG.md lists what
each version changed). A checkout that is not installed reports ``0+unknown``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wagtail-newsdesk")
except PackageNotFoundError:  # pragma: no cover - a bare checkout, not pip-installed
    __version__ = "0+unknown"
