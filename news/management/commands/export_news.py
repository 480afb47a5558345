"""``manage.py export_news OUT.json``: every topic, news index and news page as portable JSON."""

import json
import sys

from django.core.management.base import BaseCommand

from news.ingest.portability import export_news


class Command(BaseCommand):
    help = (
        "Export all news content (topics, news indexes, news pages with every translation, "
        "drafts, schedules, dates and view restrictions) as JSON. Use '-' for stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="file to write, or - for stdout")
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, output, indent, **options):
        data = export_news()
        text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=True)
        if output == "-":
            sys.stdout.write(text + "\n")
            return
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        self.stderr.write(
            f"exported {len(data['topics'])} topics, {len(data['indexes'])} indexes, "
            f"{len(data['news'])} stories "
            f"({sum(len(g['translations']) for g in data['news'])} pages), "
            f"{len(data['images'])} image references to {output}"
        )
