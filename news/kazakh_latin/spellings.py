"""The editors' exceptions to the tables: names and loanwords spelled their own way.

A ``LatinSpelling`` says how one Kazakh word is written in Latin letters when the table
would get it wrong or a person prefers another spelling («Джун» → «Jun», «Ямада» →
«Yamada»). It is a snippet (Snippets → "Latin spellings"), not translatable: it only
concerns Kazakh. Who may edit it: superusers, and the groups an administrator gives
its permissions to (Settings → Groups → "Latin spelling": add, change, delete); the
admin's permission policy is Wagtail's ``ModelPermissionPolicy`` on this model.

``current()`` is every entry as a ``Spellings`` object, read once and kept in the
newsdesk cache until an entry changes (the signal handlers below forget it).
"""

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from news.conf import conf
from news.kazakh_latin.text import CYRILLIC_RE, Spellings

CACHE_KEY = "newsdesk:kazakh-latin:spellings:v1"


class LatinSpelling(models.Model):
    cyrillic = models.CharField(
        _("Cyrillic spelling"),
        max_length=100,
        unique=True,
        help_text=_("One word as it is written in Kazakh Cyrillic, e.g. «Ямада»."),
    )
    latin = models.CharField(
        _("Latin spelling"),
        max_length=100,
        help_text=_("How the Latin edition writes it, e.g. «Yamada»."),
    )
    inflected = models.BooleanField(
        _("also with endings"),
        default=True,
        help_text=_("Also spell the word this way when endings follow it (Ямаданың → Yamadanyñ)."),
    )
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Why, or who asked for it.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "news"
        ordering = ["cyrillic"]
        verbose_name = _("Latin spelling")
        verbose_name_plural = _("Latin spellings")

    def __str__(self):
        return f"{self.cyrillic} → {self.latin}"

    def clean(self):
        self.cyrillic = self.cyrillic.strip()
        self.latin = self.latin.strip()
        if len(self.cyrillic.split()) != 1 or not CYRILLIC_RE.search(self.cyrillic):
            raise ValidationError({"cyrillic": _("Enter one word written in Cyrillic letters.")})
        if CYRILLIC_RE.search(self.latin):
            raise ValidationError({"latin": _("The Latin spelling has Cyrillic letters.")})


def current():
    """Every exception, as a ``Spellings`` (cached until one changes)."""
    cache = caches[conf.CACHE]
    entries = cache.get(CACHE_KEY)
    if entries is None:
        entries = list(LatinSpelling.objects.values_list("cyrillic", "latin", "inflected"))
        cache.set(CACHE_KEY, entries, None)
    return Spellings(entries)


@receiver(post_save, sender=LatinSpelling)
@receiver(post_delete, sender=LatinSpelling)
def forget_spellings(**kwargs):
    caches[conf.CACHE].delete(CACHE_KEY)
