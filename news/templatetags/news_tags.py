"""Template helpers of the reader site: the fallback notice, pagination.

Everything here works on data the views already loaded (decorated pages), so no
helper adds a query per listed item. Images use Wagtail's ``{% image %}`` and
``{% srcset_image %}`` (through news_images, which takes preloaded renditions without
Wagtail's per-tag work) with the specs of news.renditions.RENDITIONS.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from news import i18n, image_rights

register = template.Library()


def _interpolate(text, **parts):
    """``text`` (a translated string, escaped) with ``%(name)s`` replaced by safe HTML parts.

    Unlike ``format_html``, a stray brace or percent sign in a translation can
    never raise: an unknown placeholder simply stays as it is.
    """
    result = str(conditional_escape(text))
    for name, part in parts.items():
        result = result.replace(f"%({name})s", str(conditional_escape(part)))
    return mark_safe(result)  # noqa: S308 - every part was escaped above


def _language_link(language):
    """A link to one version, its text the phrase "only available ___" needs in the
    reader's language («на казахском языке»): the link text is in the reader's language,
    so it carries ``hreflang`` but no ``lang`` of its own."""
    return format_html(
        '<a href="{}" hreflang="{}">{}</a>',
        language["url"],
        language["code"],
        i18n.available_in(language["code"]),
    )


def join_list(items):
    """``a``, ``a and b``, ``a, b and c`` in the active language (items are safe HTML)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    head = mark_safe(", ".join(str(conditional_escape(item)) for item in items[:-1]))  # noqa: S308
    return _interpolate(gettext("%(items)s and %(last)s"), items=head, last=items[-1])


@register.simple_tag(takes_context=True)
def fallback_notice_links(context, available_languages):
    """What the fallback notice names: the other languages as quoted links, and the
    reader's own version when it exists (a routing fallback can serve another
    version although the reader's language has one under a different slug).

    Returns ``{"links": safe HTML, "own": safe HTML or ""}``.
    """
    current = context.get("current_language")
    own = None
    others = []
    for language in available_languages or []:
        if language["code"] == current:
            own = language
        else:
            others.append(language)
    own_link = ""
    if own is not None:
        own_link = _language_link(own)
    return {"links": join_list(_language_link(lang) for lang in others), "own": own_link}


@register.simple_tag
def alt_language(page, segment_languages):
    """The language of the hero image's alt text where it is not the page's, else None.

    The alt text is the page's own, else its caption (``NewsPage.image_alt_text``): a
    translation that left the one it shows untranslated shows source-language words,
    which must carry their ``lang`` like the caption does. None renders no attribute.
    """
    if not segment_languages:
        return None
    name = "image_alt" if getattr(page, "image_alt", "") else "image_caption"
    return segment_languages.fields.get(name) or None


@register.simple_tag
def image_credit(image, override=""):
    """What a figure's credit line shows: ``credit`` (the story's ``override``, else the
    image's own), ``own`` (True when it is the story's text, which follows the story's
    language), the licence's ``licence_name`` and ``licence_url`` (news.image_rights)."""
    rights = image_rights.rights_of(image)
    return {
        "credit": image_rights.credit(image, override),
        "own": bool(override),
        "licence_name": rights.licence_label if rights is not None else "",
        "licence_url": rights.licence_link if rights is not None else "",
    }


@register.simple_tag
def page_range(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to show around the current page, with ``…`` gaps."""
    paginator = page_obj.paginator
    return [
        {"number": number, "is_gap": number == paginator.ELLIPSIS}
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
