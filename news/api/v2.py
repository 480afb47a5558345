"""Wagtail's own API v2 (pages, images, documents), kept at /api/v2/ for tools that expect it.

Only the JSON renderer changes: the same ``<``/``>``/``&`` escaping as API v1.
"""

from rest_framework.renderers import BrowsableAPIRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from news.api.renderers import SafeJSONRenderer

RENDERERS = [SafeJSONRenderer, BrowsableAPIRenderer]


class PagesViewSet(PagesAPIViewSet):
    renderer_classes = RENDERERS


class ImagesViewSet(ImagesAPIViewSet):
    renderer_classes = RENDERERS


class DocumentsViewSet(DocumentsAPIViewSet):
    renderer_classes = RENDERERS


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesViewSet)
api_router.register_endpoint("images", ImagesViewSet)
api_router.register_endpoint("documents", DocumentsViewSet)
