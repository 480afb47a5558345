"""``manage.py import_wordpress EXPORT.xml``: migrate a WordPress (qTranslate-X) site."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from news.ingest.wordpress.importer import ImportAborted, WordPressImporter
from news.ingest.wordpress.wxr import DEFAULT_MAX_BYTES, WXRError, read_export


class Command(BaseCommand):
    help = _(
        "Import a WordPress WXR export: posts become news pages (one per language for "
        "qTranslate-X posts, linked as translations), categories and tags become topics, "
        "old URLs get permanent redirects. Importing again updates what was imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help=_("The WXR file written by WordPress Tools → Export."))
        parser.add_argument(
            "--uploads",
            help=_("The wp-content/uploads folder, for images. Nothing is downloaded."),
        )
        parser.add_argument(
            "--default-locale",
            default=None,
            help=_("The language of the source pages (default: the site's default language)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Report what would be imported without writing anything."),
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=DEFAULT_MAX_BYTES,
            help=_("Refuse export files larger than this (bytes)."),
        )

    def handle(self, *args, **options):
        try:
            export = read_export(options["export"], max_bytes=options["max_bytes"])
        except WXRError as exc:
            raise CommandError(_("Cannot read the export: %(error)s") % {"error": exc}) from exc
        if export.error:
            self.stderr.write(
                _("Warning: %(error)s. The items read before that point are imported.")
                % {"error": export.error}
            )
        try:
            importer = WordPressImporter(
                export,
                uploads=options["uploads"],
                default_locale=options["default_locale"],
                dry_run=options["dry_run"],
                progress=self.progress,
            )
            report = importer.run()
        except ImportAborted as exc:
            raise CommandError(_("Import stopped: %(error)s") % {"error": exc}) from exc
        self.print_report(report)

    def progress(self, done, total, label):
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "." * (width - filled)
        line = f"[{bar}] {done}/{total} {label}".rstrip()
        if self.stdout.isatty():
            self.stdout.write(f"\r{line[:100]:<100}", ending="")
            if done == total:
                self.stdout.write("")
        else:
            self.stdout.write(line)

    def print_report(self, report):
        write = self.stdout.write
        heading = _("Dry run: nothing was written.") if report.dry_run else _("Import finished.")
        write(self.style.SUCCESS(heading) if not report.skipped else self.style.WARNING(heading))
        write(
            _("Posts: %(posts)d (%(created)d new, %(updated)d updated) of %(seen)d read")
            % {
                "posts": report.posts,
                "created": report.created,
                "updated": report.updated,
                "seen": report.posts_seen,
            }
        )
        pages = ", ".join(f"{code}: {count}" for code, count in sorted(report.pages.items()))
        write(_("Pages per language: %(pages)s") % {"pages": pages or "-"})
        write(
            _("Translations: %(synced)d synced in wagtail-localize, %(manual)d edited directly")
            % {"synced": report.synced_translations, "manual": report.manual_translations}
        )
        write(
            _(
                "Quotes: %(quotes)d, new images: %(images)d, embeds: %(embeds)d, "
                "new topics: %(topics)d, redirects: %(redirects)d, new author accounts "
                "(inactive): %(authors)d"
            )
            % {
                "quotes": report.quotes,
                "images": report.images,
                "embeds": report.embeds,
                "topics": report.topics,
                "redirects": report.redirects,
                "authors": report.authors_created,
            }
        )
        if report.indexes_created:
            write(
                _("News index created (untranslated, translate it in the admin) for: %(codes)s")
                % {"codes": ", ".join(report.indexes_created)}
            )
        if report.file_error:
            write(self.style.WARNING(_("File: %(error)s") % {"error": report.file_error}))
        for label, why in report.skipped:
            write(self.style.WARNING(_("Skipped %(item)s: %(why)s") % {"item": label, "why": why}))
        for label, what in report.warnings:
            write(_("Note on %(item)s: %(what)s") % {"item": label, "what": what})
