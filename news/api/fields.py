"""Serializer fields for Wagtail's API v2 (``api_fields`` on the models)."""

from rest_framework import serializers


class TopicField(serializers.Field):
    """A topic snippet as ``{id, name, slug}`` (API v2 has no endpoint for snippets)."""

    def to_representation(self, topic):
        return {"id": topic.pk, "name": topic.name, "slug": topic.slug}
