"""Template tags of the translators' admin screens."""

from django import template
from wagtail_localize.machine_translators import get_machine_translator

from news.conf import conf

register = template.Library()


@register.inclusion_tag("news/admin/machine_translation_hint.html")
def machine_translation_hint():
    """Where the editor's "Translate with …" button would be: how to turn one on, when off.

    wagtail-localize's translation editor shows nothing at all without a machine
    translator, so translators never learn that one can be turned on.
    """
    return {
        "configured": get_machine_translator() is not None,
        "docs_url": conf.MACHINE_TRANSLATION_DOCS_URL,
    }
