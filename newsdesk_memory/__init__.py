"""The translators' desk: translation memory, a glossary, and bulk translation.

A Django app of its own (label ``newsdesk_memory``) beside ``news``, for two reasons:
its models have their own migrations, and its glossary matching reuses the search app's
Kazakh stemmer (``search.analysis``), which ``news`` itself must never import. It hooks
into wagtail-localize (signals on its ``Translation`` and ``StringSegment`` rows, a panel
beside its translation editor, Wagtail bulk actions) and never changes ``news``.
"""
