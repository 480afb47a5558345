"""Content for the search tests: the seed article (copied from ../shared) and distractors."""

import json
from datetime import date
from pathlib import Path

from tests.factories import make_news

DATA = Path(__file__).parent / "data"


def load_json(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def seed_body(article):
    body = []
    for block in article["body"]:
        if block["type"] == "quote":
            body.append(
                (
                    "quote",
                    {
                        "text": block["text"],
                        "attribution": block.get("attribution", ""),
                        "role": block.get("role", ""),
                        "source_url": "",
                    },
                )
            )
            # The printed page goes on after some quotes ("…», — деді X. Then Y…").
            remainder = block.get("as_printed", "").split(block["text"], 1)[-1]
            _said, _sep, narrative = remainder.partition(". ")
            if narrative.strip():
                body.append(("paragraph", f"<p>{narrative.strip()}</p>"))
        else:
            body.append(("paragraph", f"<p>{block['text']}</p>"))
    return body


def make_seed_article(index, **fields):
    """The Kazakh-only article of ``data/seed-article.json``, published."""
    article = load_json("seed-article.json")
    fields.setdefault("date", date(2024, 6, 1))
    fields.setdefault("lead", "")
    return make_news(index, article["title"], body=seed_body(article), **fields)


# Other Kazakh news sharing some of the seed article's words, so "in the top
# three" means something.
DISTRACTORS = [
    (
        "Алматы облысында жаңа мектеп ашылды",
        "Облыс әкімі мектептің ашылу салтанатына қатысты. Инвестиция көлемі 2 млрд теңге.",
    ),
    (
        "Жылқы шаруашылығы дамып келеді",
        "Фермерлер жылқы санын арттырды. Ет өндірісі өсті.",
    ),
    (
        "Жапон тілі курстары басталды",
        "Университетте жапон тілін оқыту басталды. Елші құттықтау жолдады.",
    ),
    (
        "Астанада автокөлік көрмесі өтті",
        "Көрмеде Hyundai, Kia және басқа да брендтер көлігін көрсетті.",
    ),
    (
        "Қонаев қаласында саябақ салынады",
        "Жаңа саябақ келесі жылы ашылады. Тараптар келісімге қол қойды.",
    ),
]


def make_distractors(index):
    return [
        make_news(index, title, lead=lead, date=date(2024, 7, position + 1))
        for position, (title, lead) in enumerate(DISTRACTORS)
    ]
