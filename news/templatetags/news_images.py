"""Wagtail's ``{% image %}`` and ``{% srcset_image %}``, cheaper where renditions are preloaded.

The same tags, syntax and HTML: Wagtail's own parser and nodes, whose ``img_tag`` and
``ResponsiveImage`` write the markup. Two per-tag costs of Wagtail's nodes are left out
(an article renders a dozen such tags; they were 40% of its template's time):

* each render builds a new ``Filter`` from the tag's spec, whose operations are parsed
  anew: here each spec's ``Filter`` is built once per process;
* ``get_rendition`` writes the rendition it found to the rendition cache, although it
  came from the renditions loaded with the image (news.renditions): a write to the
  shared cache per tag. Here an image whose renditions were loaded takes its rendition
  from them (Wagtail's ``find_existing_renditions``, which asks nothing else then).

An image without loaded renditions, an SVG (Wagtail rewrites its filters), or one whose
loaded renditions lack the spec takes Wagtail's own path, which may make the rendition.
Hand-written: Wagtail offers no hook to keep its filters or to skip that cache write.
"""

import functools

from django import template
from wagtail.images.models import Filter, ResponsiveImage
from wagtail.images.templatetags.wagtailimages_tags import ImageNode, SrcsetImageNode, image

register = template.Library()


@functools.lru_cache(maxsize=256)
def _filters(specs):
    """The ``Filter`` of each spec in ``specs`` (a tuple), built once."""
    return tuple(Filter(spec=spec) for spec in specs)


def _loaded(image, filters):
    """``{spec: rendition}`` from the renditions loaded with ``image``, or None when it
    has none loaded, is an SVG, or lacks one of ``filters``."""
    if getattr(image, "prefetched_renditions", None) is None and "renditions" not in getattr(
        image, "_prefetched_objects_cache", {}
    ):
        return None
    if image.is_svg():
        return None
    found = image.find_existing_renditions(*filters)
    if len(found) < len(filters):
        return None
    return {f.spec: found[f] for f in filters}


def _attrs(node, context):
    return {key: value.resolve(context) for key, value in node.attrs.items()}


class LoadedImageNode(ImageNode):
    """``{% image %}``: Wagtail's node, taking a loaded rendition when there is one."""

    def get_filter(self):
        return _filters(("|".join(self.filter_specs),))[0]

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        found = _loaded(image, [self.get_filter()])
        if found is None:
            return super().render(context)
        (rendition,) = found.values()
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag(_attrs(self, context))


class LoadedSrcsetImageNode(SrcsetImageNode):
    """``{% srcset_image %}``: Wagtail's node, taking loaded renditions when there are."""

    def get_filters(self):
        return list(_filters(tuple(Filter.expand_spec(self.filter_specs))))

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = _loaded(image, self.get_filters())
        if renditions is None:
            return super().render(context)
        if self.output_var_name:
            context[self.output_var_name] = ResponsiveImage(renditions)
            return ""
        return ResponsiveImage(renditions, _attrs(self, context)).__html__()


@register.tag("image")
def image_tag(parser, token):
    """Wagtail's ``{% image %}`` (its parser), rendered by :class:`LoadedImageNode`."""
    node = image(parser, token)
    node.__class__ = LoadedImageNode
    return node


@register.tag("srcset_image")
def srcset_image_tag(parser, token):
    """Wagtail's ``{% srcset_image %}`` (its parser), rendered by :class:`LoadedSrcsetImageNode`."""
    node = image(parser, token)
    node.__class__ = LoadedSrcsetImageNode
    return node
