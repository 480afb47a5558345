from django.core.management.base import BaseCommand

from search import index


def _progress_bar(stream, width=30):
    def report(done, total):
        filled = width if not total else int(width * done / total)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            stream.write("")
        stream.flush()

    return report


class Command(BaseCommand):
    help = "Rebuild the search index of live news pages (a progress bar goes to stderr)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args, **options):
        quiet = options["no_progress"] or options["verbosity"] == 0
        progress = None if quiet else _progress_bar(self.stderr)
        count = index.rebuild(progress=progress)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} news pages."))
