"""JSON that never carries a raw ``<``, ``>`` or ``&``.

Titles and other plain-text fields may hold anything an editor or an import
typed, including ``<script>``. The decoded JSON is unchanged, but the bytes
escape those three characters as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (as
Django's ``json_script`` does), so an answer that a browser sniffs, a proxy
shows or a frontend inlines into a page can never open a tag. Outside strings
JSON has none of these characters, so replacing bytes is exact.
"""

from rest_framework.renderers import JSONRenderer

_ESCAPES = ((b"&", b"\\u0026"), (b"<", b"\\u003c"), (b">", b"\\u003e"))


class SafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        content = super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _ESCAPES:
            if raw in content:
                content = content.replace(raw, escaped)
        return content
