"""Deterministic synthetic corpus for the benchmarks (fixed seed; same N → same files).

    python bench/corpus.py OUT_DIR --articles 1000 [--no-comments]

N articles of about 1,500 words of German-like text (umlauts, headings, lists, a
blockquote, links), 1–3 tags from 50, 1 of 8 categories, dates over ten years, and 0–60
comments per article (about 20 on average), threaded up to 8 deep.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20150619
SYLLABLES = [
    "or",
    "ga",
    "ni",
    "sa",
    "ti",
    "on",
    "ent",
    "wick",
    "lung",
    "sinn",
    "ar",
    "beit",
    "kun",
    "de",
    "kli",
    "en",
    "ten",
    "ü",
    "ber",
    "grö",
    "ße",
    "stra",
    "ße",
    "bü",
    "ro",
    "füh",
    "rung",
    "ler",
    "nen",
    "tä",
    "tig",
    "keit",
    "so",
    "zi",
    "al",
    "wirt",
    "schaft",
    "mö",
    "glich",
    "äu",
    "ßer",
    "öko",
    "no",
    "mie",
    "team",
    "zu",
    "kunft",
    "wan",
    "del",
    "frei",
]
SHORT = [
    "und",
    "der",
    "die",
    "das",
    "mit",
    "für",
    "über",
    "nicht",
    "auch",
    "wenn",
    "aber",
    "wir",
    "ist",
    "sind",
    "eine",
    "zum",
    "bei",
    "aus",
    "dass",
    "noch",
]
CATEGORIES = [
    "Organisationsentwicklung",
    "Soziale Arbeit",
    "New Work",
    "Führung",
    "Lernen",
    "Sozialwirtschaft",
    "Selbstorganisation",
    "Gesellschaft",
]
TAGS = [
    f"Thema {chr(65 + i // 10)}{i % 10} Ökö" if i % 7 == 0 else f"Schlagwort {i:02d}"
    for i in range(50)
]
START = datetime(2014, 1, 1, 8, 0)
TEN_YEARS = 10 * 365 * 24 * 60


VOCABULARY_SIZE = 8000


def vocabulary(seed: int = SEED) -> tuple[list[str], list[float]]:
    """A fixed German-like vocabulary with Zipf weights, as real text has (not random
    strings: a search index or a compressor would see an unrealistically huge vocabulary)."""
    rng = random.Random(seed)
    words = sorted(
        {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(VOCABULARY_SIZE * 2)
        }
    )[:VOCABULARY_SIZE]
    rng.shuffle(words)
    weights = [1.0 / rank for rank in range(1, len(words) + 1)]
    return words, weights


def word(rng: random.Random, words: tuple[list[str], list[float]] | None = None) -> str:
    if rng.random() < 0.45:
        return rng.choice(SHORT)
    if words is None:
        words = _VOCABULARY
    return rng.choices(words[0], cum_weights=words[1])[0]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_WORDS, _WEIGHTS = vocabulary()
_VOCABULARY = (_WORDS, _cumulative(_WEIGHTS))


def sentence(rng: random.Random, words: int | None = None) -> str:
    count = words or rng.randint(6, 16)
    text = " ".join(word(rng) for _ in range(count))
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def article_body(rng: random.Random, index: int, total: int) -> str:
    parts = ["[TOC]", ""]
    words = 0
    section = 0
    while words < 1500:
        section += 1
        parts += [f"## {sentence(rng, 4)[:-1]} {section}", ""]
        for _ in range(3):
            text = paragraph(rng, rng.randint(3, 6))
            if rng.random() < 0.3:
                other = rng.randrange(total)
                text += f" Mehr dazu [im Beitrag {other}]({{filename}}/articles/a{other:05d}.md)."
            if rng.random() < 0.2:
                text += " Siehe auch <https://example.org/quelle/" + str(index) + ">."
            parts += [text, ""]
            words += len(text.split())
        if section % 2 == 1:
            parts += [f"- {sentence(rng, 5)}" for _ in range(rng.randint(3, 5))] + [""]
        if section == 2:
            parts += [f"> {sentence(rng, 12)}", ""]
    return "\n".join(parts)


def comments_for(rng: random.Random, slug: str, date: datetime) -> list[tuple[str, str]]:
    count = min(60, max(0, int(rng.gauss(20, 12))))
    files = []
    depth: dict[int, int] = {}
    for number in range(1, count + 1):
        replyto = None
        if number > 1 and rng.random() < 0.6:
            candidates = [n for n in range(1, number) if depth[n] < 8]
            parent = candidates[-1] if rng.random() < 0.5 else rng.choice(candidates)
            replyto = parent
        depth[number] = 1 if replyto is None else depth[replyto] + 1
        moment = date + timedelta(minutes=30 * number + rng.randint(0, 20))
        header = [f"author: Leserin {rng.randint(1, 400)}", f"date: {moment:%Y-%m-%d %H:%M}"]
        if replyto is not None:
            header.append(f"replyto: {replyto}")
        if rng.random() < 0.1:
            header.append("by_author: true")
        body = "\n\n".join(paragraph(rng, rng.randint(1, 3)) for _ in range(rng.randint(1, 3)))
        files.append((f"{number}.md", "\n".join(header) + "\n\n" + body + "\n"))
    return files


def generate(out: Path, articles: int, *, comments: bool = True) -> dict[str, int]:
    rng = random.Random(SEED)
    content = out / "content"
    (content / "articles").mkdir(parents=True, exist_ok=True)
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "pages" / "impressum.md").write_text(
        "Title: Impressum\nSlug: impressum\n\nAngaben gemäß § 5 DDG.\n", encoding="utf-8"
    )
    # The search page, as the project's own (bench/search_cost.py searches on it).
    (content / "pages" / "suche.md").write_text(
        "Title: Suche\nSlug: suche\nTemplate: search\nStatus: hidden\n\nDurchsuche alles.\n",
        encoding="utf-8",
    )
    total_comments = 0
    for index in range(articles):
        date = START + timedelta(minutes=rng.randrange(TEN_YEARS))
        slug = f"a{index:05d}"
        tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
        header = (
            f"Title: {sentence(rng, 6)[:-1]} Nr. {index}\n"
            f"Date: {date:%Y-%m-%d %H:%M}\n"
            f"Category: {rng.choice(CATEGORIES)}\n"
            f"Tags: {tags}\n"
            f"Slug: {slug}\n"
            f"Summary: {sentence(rng, 20)}\n"
        )
        body = article_body(rng, index, articles)
        path = content / "articles" / f"{slug}.md"
        path.write_text(header + "\n" + body + "\n", encoding="utf-8")
        files = comments_for(rng, slug, date)
        if comments and files:
            folder = content / "comments" / slug
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in files:
                (folder / name).write_text(text, encoding="utf-8")
            total_comments += len(files)
    return {"articles": articles, "comments": total_comments}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--no-comments", action="store_true")
    args = parser.parse_args()
    counts = generate(args.out, args.articles, comments=not args.no_comments)
    print(f"{counts['articles']} Artikel, {counts['comments']} Kommentare in {args.out}")


if __name__ == "__main__":
    main()
