"""``manage.py import_news IN.json``: load a file written by ``export_news``.

Pages and topics are matched by translation key and locale: missing ones are
created, existing ones get the file's content as a new revision. Everything
happens in one transaction, so a failed import changes nothing.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from news.ingest.portability import ImportProblem, import_news


class Command(BaseCommand):
    help = "Import news content from a JSON file written by export_news."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON file written by export_news")

    def handle(self, input, **options):
        try:
            with open(input, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {input}: {exc}") from exc
        if not isinstance(data, dict):
            raise CommandError(f"{input} is not an export_news file")
        try:
            stats, warnings = import_news(data, log=self.stderr.write)
        except ImportProblem as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"imported {stats['topics']} topics, {stats['indexes']} index pages, "
            f"{stats['news']} news pages; {len(warnings)} warnings"
        )
