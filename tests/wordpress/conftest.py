import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """The importer reports in the active language (kk, the default, once the catalogues
    are filled); these tests assert its messages in English, the catalogues' source."""
    with translation.override("en"):
        yield
