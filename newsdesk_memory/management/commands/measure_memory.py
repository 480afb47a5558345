"""``manage.py measure_memory``: what translation memory and the glossary give (rolled back)."""

import json

from django.core.management.base import BaseCommand

from newsdesk_memory import measure


class Command(BaseCommand):
    help = (
        "Measure translation memory over the demo content and a generated corpus of stories "
        "(exact pre-fills, suggestions, glossary check). Writes nothing: rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=200)
        parser.add_argument("--new", type=int, default=50, help="Stories translated last.")
        parser.add_argument("--seed", type=int, default=18)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, stories, new, seed, **options):
        result = measure.run(stories=stories, new=new, seed=seed)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for name in ("demo", "corpus"):
            f = result[name]
            self.stdout.write(
                f"{name}: {f['translations']} translations, {f['segments']} segments; "
                f"exact {f['exact']} ({f['exact_share']:.1%}), "
                f"suggested {f['suggested']} ({f['suggested_share']:.1%})"
            )
            self.stdout.write(f"  exact by field: {f['exact_by_field']}")
        g = result["glossary"]
        self.stdout.write(f"glossary: {g['terms']} terms, {g['findings']} findings")
        for term, count in g["by_term"].items():
            self.stdout.write(f"  {term}: {count}")
        for example in g["examples"]:
            self.stdout.write(f"  e.g. {example}")
