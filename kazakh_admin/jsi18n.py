"""The admin's JavaScript strings in Kazakh.

Wagtail's ``/admin/jsi18n/`` is Django's ``JavaScriptCatalog(packages=["wagtail.admin"])``
and wagtail-localize's editor loads its own ``JavaScriptCatalog(packages=
["wagtail_localize"])``: both read only those packages' locale dirs (and LOCALE_PATHS),
never another app's. Every admin page therefore also carries, through Wagtail's
``insert_global_admin_js`` hook, a small script that merges this app's ``djangojs``
catalogue for the page's language into ``django.catalog``. It runs before any editor,
chooser or StreamField menu is built (they are created on DOMContentLoaded), and
wagtail-localize's catalogue, loaded later on its editor page, adds only the strings it
has for that language, none for Kazakh.

It is inline rather than a URL of its own: every admin URL requires a logged-in editor,
and the login and password-reset pages load the same scripts.

The same script translates the two strings wagtail-localize's editor bundle hard-codes in
English (``FIXES``), in its text nodes, as React renders them.
"""

import functools
import gettext
import json
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale

from kazakh_admin.catalogue import LOCALE_DIR, NPLURALS

# Like Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# wagtail-localize 1.14's editor bundle: text it renders without gettext -> our msgid.
FIXES = [
    {"text": "More actions", "msgid": "More actions"},
    {
        "pattern": r"^(.+) to (.+) translation$",
        "msgid": "%(source)s to %(target)s translation",
        "names": ["source", "target"],
    },
]

_SCRIPT = """(function (w, d) {
  var django = w.django || (w.django = {});
  django.catalog = django.catalog || {};
  var strings = %(strings)s;
  for (var key in strings) { django.catalog[key] = strings[key]; }
  var fixes = %(fixes)s;
  function fix(node) {
    var text = node.nodeValue, trimmed = text && text.trim();
    if (!trimmed || !w.gettext) { return; }
    fixes.forEach(function (f) {
      var value = null, match;
      if (f.text && trimmed === f.text) {
        value = text.replace(f.text, w.gettext(f.msgid));
      } else if (f.pattern && (match = trimmed.match(new RegExp(f.pattern)))) {
        var names = {};
        f.names.forEach(function (name, i) { names[name] = match[i + 1]; });
        value = w.interpolate(w.gettext(f.msgid), names, true);
      }
      if (value !== null && value !== text) { node.nodeValue = value; }
    });
  }
  function scan(root) {
    var walker = d.createTreeWalker(root, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) { fix(node); }
  }
  d.addEventListener("DOMContentLoaded", function () {
    var root = d.querySelector(".js-translation-editor");
    if (!root) { return; }
    scan(root);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "characterData") { fix(record.target); }
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 3) { fix(node); } else { scan(node); }
        });
      });
    }).observe(root, {childList: true, subtree: true, characterData: true});
  });
})(window, document);"""


def mo_path(language):
    return LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "djangojs.mo"


def catalogue(language):
    """``{msgid: str | [str, str]}`` in Django's JavaScript catalogue format (empty if none)."""
    path = mo_path(language)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read(str(path), stamp)


@functools.lru_cache(maxsize=16)
def _read(path, _stamp):
    with Path(path).open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    result, plurals = {}, {}
    for msgid, text in translations._catalog.items():
        if msgid == "":
            continue  # the header
        if isinstance(msgid, tuple):
            plurals.setdefault(msgid[0], {})[msgid[1]] = text
        else:
            result[msgid] = text
    for msgid, forms in plurals.items():
        result[msgid] = [forms.get(index, "") for index in range(NPLURALS)]
    return result


def catalogue_script(language=None):
    """The ``<script>`` merging the catalogue of ``language`` (default: active); "" if none."""
    strings = catalogue(language or get_language() or "")
    if not strings:
        return ""
    script = _SCRIPT % {"strings": _json(strings), "fixes": _json(FIXES)}
    return format_html(
        '<script data-kazakh-admin-catalogue="{}">{}</script>',
        language or get_language(),
        mark_safe(script),  # noqa: S308 - our code, and JSON with <, > and & escaped
    )


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
