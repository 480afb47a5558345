"""Transliterating a 1,000-word Kazakh article into the Latin alphabet: how long it takes.

    python bench/translit.py [--words 1000] [--repeat 7] [--number 20]

No server or database: the article is the seed article's text (tests/kazakh_latin/data)
repeated to ``--words`` words. Measures, timeit-style (best of ``--repeat`` runs of
``--number`` calls each, per call, in CPU time of the process):

* plain text (``to_latin``);
* the same text as rich-text paragraphs (``html_to_latin``), and as a StreamField value
  of paragraphs, a heading and a quote (``stream_to_latin``);
* the same with 200 editors' exceptions (``Spellings``);
* the search index's analysis of the text (``search.analysis.analyze``), which now adds
  the folded Latin forms of each Kazakh word.

Prints one table; the figures go in docs/benchmarks.md by hand.
"""

import argparse
import os
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.dev")

import django  # noqa: E402

django.setup()

from news.blocks import NewsBodyBlock  # noqa: E402
from news.kazakh_latin import Spellings, to_latin  # noqa: E402
from news.kazakh_latin.markup import html_to_latin, stream_to_latin  # noqa: E402
from search import analysis  # noqa: E402

SEED = ROOT / "tests" / "kazakh_latin" / "data" / "seed-page-kk.txt"


def article(words):
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    out, count = [], 0
    while count < words:
        for paragraph in paragraphs:
            take = paragraph.split()[: words - count]
            out.append(" ".join(take))
            count += len(take)
            if count >= words:
                break
    return out


def best(stmt, repeat, number):
    # The analyzer's word caches are warm after the first call, as in a running indexer.
    # CPU time of this process: the figure holds on a machine busy with other work.
    timer = time.process_time
    return min(timeit.repeat(stmt, repeat=repeat, number=number, timer=timer)) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=20)
    args = parser.parse_args()

    paragraphs = article(args.words)
    text = "\n".join(paragraphs)
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    raw = [{"type": "heading", "value": {"text": paragraphs[0], "level": "h2"}, "id": "h"}]
    raw += [
        {"type": "paragraph", "value": f"<p>{p}</p>", "id": str(i)}
        for i, p in enumerate(paragraphs)
    ]
    raw.append(
        {
            "type": "quote",
            "value": {"text": paragraphs[1], "attribution": "Джун Ямада", "role": "Елші"},
            "id": "q",
        }
    )
    body = NewsBodyBlock().to_python(raw)
    words = sorted({w.strip("«»,.—-–()") for w in text.split() if w[:1].isalpha()})
    spellings = Spellings([(w, w.upper(), True) for w in words[:200]])
    letters = sum(char.isalpha() for char in text)

    rows = [
        ("plain text, to_latin", lambda: to_latin(text, "2021")),
        ("rich text, html_to_latin", lambda: html_to_latin(html, "2021")),
        ("StreamField, stream_to_latin", lambda: stream_to_latin(body, "2021")),
        ("plain text, 200 exceptions", lambda: to_latin(text, "2021", spellings)),
        ("2018 alphabet, to_latin", lambda: to_latin(text, "2018")),
        ("search index: analyze (kk)", lambda: analysis.analyze(text, "kk")),
        (
            "search index: stems only (before)",
            lambda: [t for w in analysis.tokenize(text) for t in analysis.stems(w, "kk")],
        ),
    ]
    print(f"{len(text.split())} words, {letters} letters, {len(paragraphs)} paragraphs")
    print(f"{'what':38} {'ms per call':>12}")
    for label, stmt in rows:
        print(f"{label:38} {best(stmt, args.repeat, args.number) * 1000:12.2f}")


if __name__ == "__main__":
    main()
