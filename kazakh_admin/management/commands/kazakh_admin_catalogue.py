"""Keep the Kazakh admin catalogues in step with the installed Wagtail and wagtail-localize.

    manage.py kazakh_admin_catalogue            report what is untranslated, per source
    manage.py kazakh_admin_catalogue --update   merge the installed upstream msgids in first
    manage.py kazakh_admin_catalogue --import work/*.po   take translations from work files

After a Wagtail or wagtail-localize upgrade: ``--update``, translate the empty and fuzzy
entries of ``kazakh_admin/locale/kk/LC_MESSAGES/*.po``, compile.
"""

from django.core.management.base import BaseCommand, CommandError

from kazakh_admin import catalogue as cat


class Command(BaseCommand):
    help = (
        "Merge the msgids of the installed Wagtail, wagtail-localize (and Django's gaps) into "
        "the Kazakh admin catalogues and report what is untranslated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Add new upstream msgids, keep translations, mark removed msgids obsolete.",
        )
        parser.add_argument(
            "--import",
            dest="imports",
            nargs="+",
            default=[],
            metavar="PO",
            help="Work .po files whose translations fill the untranslated entries.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="With --import: replace existing translations too.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error when any entry is untranslated.",
        )

    def handle(self, *args, update=False, imports=(), overwrite=False, check=False, **options):
        translations = {}
        if imports:
            translations, conflicts = cat.work_translations(imports)
            for (msgctxt, msgid), kept, other in conflicts:
                context = f" [{msgctxt}]" if msgctxt else ""
                self.stdout.write(
                    f"conflict{context} {msgid!r}: kept {kept}'s Kazakh, not {other}'s"
                )
        total_missing = 0
        for domain in cat.DOMAINS:
            catalogue = cat.load(domain)
            changed = False
            if update:
                catalogue, counts = cat.merge(catalogue, cat.wanted_entries(domain))
                changed = True
                self.stdout.write(
                    f"{domain}: {counts['new']} new, {counts['obsolete']} now obsolete, "
                    f"{counts['revived']} revived, {counts['fuzzy']} fuzzy (plural changed)"
                )
            if translations:
                filled = cat.fill(catalogue, translations, overwrite=overwrite)
                changed = changed or bool(filled)
                self.stdout.write(f"{domain}: {filled} translation(s) imported")
            if changed:
                path = cat.save(catalogue, domain)
                self.stdout.write(f"wrote {path}")
            live = [entry for entry in catalogue if not entry.obsolete]
            missing = cat.untranslated_by_source(catalogue)
            count = sum(len(msgids) for msgids in missing.values())
            total_missing += count
            self.stdout.write(f"{domain}: {len(live)} entries, {count} untranslated or fuzzy")
            for source, msgids in sorted(missing.items()):
                self.stdout.write(f"  {source}: {len(msgids)} untranslated")
        if check and total_missing:
            raise CommandError(f"{total_missing} Kazakh admin string(s) untranslated")
