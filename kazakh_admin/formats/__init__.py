"""Format modules for ``FORMAT_MODULE_PATH`` (Django ships none for Kazakh)."""
