"""Machine translation that fails politely.

wagtail-localize's ``machine_translate`` view lets any error of the outside
service (HTTP 500, a timeout, a refused connection, a malformed answer) escape
as a server error. This view wraps the very same ``apply_machine_translation``
and turns such failures into a clear message for the translator. Nothing is
written when the service fails: wagtail-localize only stores the strings after
the whole batch came back, and it never overwrites a string already translated.
It is mounted on wagtail-localize's own URL (see ``news.wagtail_hooks``), so the
editor's "Translate with …" button uses it unchanged.
"""

import logging

import requests
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.edit_translation import (
    apply_machine_translation,
    user_can_edit_instance,
)
from wagtail_localize.views.update_translations import UpdateTranslationsView

from news.desk.mt_glossary import with_glossary

logger = logging.getLogger(__name__)


def failure_reason(exc):
    """A translator-facing explanation of why the machine translator failed."""
    if isinstance(exc, requests.Timeout):
        return _("the service did not answer in time")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return _("the service answered with error %(status)s") % {
            "status": exc.response.status_code
        }
    if isinstance(exc, requests.ConnectionError):
        return _("the service could not be reached")
    return _("the service gave an answer that could not be used")


def machine_translator():
    """The configured machine translator with the newsroom's glossary, or None.

    Every path that machine-translates (the editor's button, the sync view, the task worker)
    takes its translator here, so none of them forgets the glossary.
    """
    return with_glossary(get_machine_translator())


@require_POST
def machine_translate(request, translation_id):
    """Fill the untranslated segments of a translation with the configured machine translator."""
    translator = machine_translator()
    if translator is None:
        raise Http404
    try:
        translated = apply_machine_translation(translation_id, request.user, translator)
    except (PermissionDenied, Http404):
        raise
    except Exception as exc:  # an outside service: any failure becomes a message, not a 500
        logger.warning("Machine translation with %s failed: %r", translator.display_name, exc)
        messages.error(
            request,
            _(
                "%(translator)s could not translate this page: %(reason)s. Nothing was "
                "changed; try again later or translate the remaining strings by hand."
            )
            % {"translator": translator.display_name, "reason": failure_reason(exc)},
        )
    else:
        if translated:
            messages.success(
                request,
                _("Translated the missing strings with %(translator)s.")
                % {"translator": translator.display_name},
            )
        else:
            messages.warning(request, _("There isn't anything left to translate."))
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))


class SyncTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", whose machine translation gets the glossary.

    Upstream's ``form_valid`` calls ``get_machine_translator()`` itself. This view takes the
    "use machine translation" choice out of the form, brings the source up to date (as
    upstream does first), translates with :func:`machine_translator`, then lets upstream do
    the rest of the sync. Mounted on wagtail-localize's own URL (``news.wagtail_hooks``).

    Who may use it: whoever holds "submit translation" (upstream's rule) *and* may edit the
    source page or snippet. Upstream checks only the global permission, so a translator with
    rights on one page could open any source's sync form, a draft's title included.
    """

    def dispatch(self, request, *args, **kwargs):
        source = TranslationSource.objects.filter(pk=kwargs.get("translation_source_id")).first()
        try:
            instance = source.get_source_instance() if source else None
        except Exception as exc:  # the source object was deleted
            raise Http404 from exc
        if instance is None:
            raise Http404
        if not user_can_edit_instance(request.user, instance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @transaction.atomic
    def form_valid(self, form):
        translator = machine_translator()
        if form.cleaned_data.pop("use_machine_translation", False) and translator is not None:
            self.object.update_from_db()
            translations = self.object.translations.filter(enabled=True)
            for translation in translations.select_related("target_locale"):
                apply_machine_translation(translation.id, self.request.user, translator)
        return super().form_valid(form)
