"""Migration from WordPress: read a WXR export and turn it into linked Wagtail translations.

``wxr`` reads the export safely, ``qtranslate`` splits qTranslate-X multilingual
strings, ``html_to_blocks`` turns post HTML into StreamField blocks and
``importer`` writes pages, topics, images and redirects.
"""
