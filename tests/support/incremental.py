"""Randomised proof that an incremental build equals a clean build (issue 17).

A copy of ``tests/sites/incremental`` (with its own copy of the theme) is edited step by
step by a seeded random ``Editor``; after each step the site is built incrementally (the
same output folder and cache as the step before) and cleanly (a new output folder, an
empty cache), and the two output folders are compared file by file: every file
byte-identical, no file more, no file less.

Used by ``tests/test_incremental_equivalence.py`` (a few steps, in the suite) and by
``bench/incremental_equivalence.py`` (200 steps and more).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.sitebuild import ROOT, SITES, build

WORDS = [
    "Wandel",
    "Führung",
    "Öffnung",
    "Quartier",
    "Beteiligung",
    "Netzwerk",
    "Straße",
    "Teilhabe",
    "Größe",
    "Übergang",
    "Organisation",
    "Vertrauen",
    "Haltung",
    "Gespräch",
    "Zukunft",
    "Grüße",
    "Märchen",
    "Ärger",
    "Mut",
    "Weg",
]
CATEGORIES = ["Organisation", "Soziale Arbeit", "New Work"]
TAGS = ["Führung", "Wandel", "Teilhabe", "Netzwerk", "Übergang"]
SETTING_CHOICES = {
    "SITESUBTITLE": ['"Neue Wege"', '"Andere Wege für Organisationen"'],
    "DEFAULT_PAGINATION": ["2", "3"],
    "SHARE_LINKS": ['["mail", "print"]', '["facebook", "x", "linkedin", "mail"]'],
    "SEARCH_INDEX": ["True", "False"],
    "SEARCH_SHARDS": ["True", "False"],
}


def read_article(path: Path) -> tuple[dict[str, str], str]:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    headers = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        headers[key.strip()] = value.strip()
    return headers, body


def write_article(path: Path, headers: dict[str, str], body: str) -> None:
    head = "\n".join(f"{key}: {value}" for key, value in headers.items())
    path.write_text(f"{head}\n\n{body}", encoding="utf-8")


@dataclass
class Editor:
    """Seeded random edits of a scenario site; ``history`` lists what was done."""

    site: Path
    rng: random.Random
    history: list[str] = field(default_factory=list)
    counter: int = 0

    @property
    def articles(self) -> list[Path]:
        """The articles the steps may change: all but ``stamm.md``, which stays published
        (without any published article the feeds show the build time, so even two clean
        builds would differ)."""
        return sorted(
            path for path in (self.site / "content/articles").glob("*.md") if path.stem != "stamm"
        )

    def _words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def _date(self) -> str:
        return (
            f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d} "
            f"{self.rng.randint(6, 22):02d}:{self.rng.choice(['00', '15', '30', '45'])}"
        )

    def _article(self) -> Path | None:
        articles = self.articles
        return self.rng.choice(articles) if articles else None

    # -- the steps -----------------------------------------------------------------------
    def add_article(self) -> str:
        self.counter += 1
        name = f"neu-{self.counter}"
        headers = {
            "Title": f"{self._words(2, 4)} {self.counter}",
            "Date": self._date(),
            "Category": self.rng.choice(CATEGORIES),
            "Tags": ", ".join(self.rng.sample(TAGS, self.rng.randint(0, 2))),
        }
        if self.rng.random() < 0.5:
            headers["Slug"] = name
        body = f"{self._words(5, 30)}.\n\n## {self._words(1, 3)}\n\n{self._words(5, 20)}.\n"
        if self.rng.random() < 0.3:
            other = self._article()
            if other is not None:
                body += f"\nSiehe [dort]({{filename}}{other.name}).\n"
        write_article(self.site / f"content/articles/{name}.md", headers, body)
        return f"add article {name}"

    def edit_article(self) -> str:
        path = self._article()
        if path is None:
            return self.add_article()
        headers, body = read_article(path)
        write_article(path, headers, body + f"\n{self._words(3, 12)}.\n")
        return f"edit {path.name}"

    def retitle_article(self) -> str:
        path = self._article()
        if path is None:
            return self.add_article()
        headers, body = read_article(path)
        headers["Title"] = f"{self._words(2, 5)} {self.rng.randint(1, 99)}"
        write_article(path, headers, body)
        return f"retitle {path.name}"

    def redate_article(self) -> str:
        path = self._article()
        if path is None:
            return self.add_article()
        headers, body = read_article(path)
        headers["Date"] = self._date()
        write_article(path, headers, body)
        return f"re-date {path.name}"

    def delete_article(self) -> str:
        if len(self.articles) <= 2:
            return self.add_article()
        path = self._article()
        path.unlink()
        return f"delete {path.name}"

    def retag_article(self) -> str:
        path = self._article()
        if path is None:
            return self.add_article()
        headers, body = read_article(path)
        if self.rng.random() < 0.5:
            headers["Category"] = self.rng.choice(CATEGORIES)
        headers["Tags"] = ", ".join(self.rng.sample(TAGS, self.rng.randint(0, 3)))
        write_article(path, headers, body)
        return f"tags/category {path.name}"

    def toggle_draft(self) -> str:
        path = self._article()
        if path is None:
            return self.add_article()
        headers, body = read_article(path)
        if headers.pop("Status", None) is None:
            headers["Status"] = "draft"
        write_article(path, headers, body)
        return f"draft toggle {path.name}"

    def _comment_folders(self) -> list[Path]:
        slugs = []
        for path in self.articles:
            headers, _ = read_article(path)
            if "Slug" in headers:
                slugs.append(headers["Slug"])
        return [self.site / "content/comments" / slug for slug in sorted(slugs)]

    def _comments(self) -> list[Path]:
        return sorted((self.site / "content/comments").glob("*/*.md"))

    def add_comment(self) -> str:
        folders = self._comment_folders()
        if not folders:
            return self.add_article()
        folder = self.rng.choice(folders)
        folder.mkdir(parents=True, exist_ok=True)
        self.counter += 1
        existing = sorted(folder.glob("*.md"))
        lines = [f"author: {self.rng.choice(['Anna', 'Bernd', 'Jörg', 'Ümit'])}"]
        lines.append(f"date: {self._date()}")
        if existing and self.rng.random() < 0.4:
            lines.append(f"replyto: {self.rng.choice(existing).stem}")
        if self.rng.random() < 0.2:
            lines.append("status: pending")
        text = "\n".join(lines) + f"\n\n{self._words(3, 15)}.\n"
        (folder / f"{100 + self.counter}.md").write_text(text, encoding="utf-8")
        return f"add comment {folder.name}/{100 + self.counter}"

    def approve_or_delete_comment(self) -> str:
        comments = self._comments()
        if not comments:
            return self.add_comment()
        path = self.rng.choice(comments)
        text = path.read_text(encoding="utf-8")
        if "status: pending" in text:
            path.write_text(text.replace("status: pending\n", ""), encoding="utf-8")
            return f"approve comment {path.parent.name}/{path.name}"
        path.unlink()
        return f"delete comment {path.parent.name}/{path.name}"

    def change_template(self) -> str:
        templates = self.site / "theme/templates"
        name = self.rng.choice(
            ["base.html", "article.html", "partials/share.html", "partials/article_card.html"]
        )
        path = templates / name
        self.counter += 1
        path.write_text(
            path.read_text(encoding="utf-8") + f"\n{{# Änderung {self.counter} #}}\n"
            if name.startswith("base") and self.rng.random() < 0.5
            else path.read_text(encoding="utf-8") + f"\n<!-- Änderung {self.counter} -->\n",
            encoding="utf-8",
        )
        return f"template {name}"

    def change_static(self) -> str:
        self.counter += 1
        if self.rng.random() < 0.5:
            css = self.site / "theme/static/css/site.css"
            css.write_text(
                css.read_text(encoding="utf-8") + f"\n/* {self.counter} */\n", encoding="utf-8"
            )
            return "static theme css"
        extra = self.site / "content/images" / f"extra-{self.counter % 3}.txt"
        if extra.exists() and self.rng.random() < 0.5:
            extra.unlink()
            return f"static delete {extra.name}"
        extra.write_text(f"Datei {self.counter}\n", encoding="utf-8")
        return f"static write {extra.name}"

    def change_image(self) -> str:
        width, height = self.rng.randint(50, 400), self.rng.randint(50, 400)
        (self.site / "content/images/bild.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="#{self.rng.randint(0, 4095):03x}"/>'
            "</svg>\n",
            encoding="utf-8",
        )
        return f"image {width}x{height}"

    def change_setting(self) -> str:
        path = self.site / "settings.py"
        name = self.rng.choice(sorted(SETTING_CHOICES))
        value = self.rng.choice(SETTING_CHOICES[name])
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith(f"{name} =")
        ]
        path.write_text("\n".join([*lines, f"{name} = {value}"]) + "\n", encoding="utf-8")
        return f"setting {name} = {value}"

    def nothing(self) -> str:
        return "no change"

    def steps(self) -> list[tuple[Callable[[], str], int]]:
        return [
            (self.add_article, 3),
            (self.edit_article, 6),
            (self.retitle_article, 2),
            (self.redate_article, 2),
            (self.delete_article, 2),
            (self.retag_article, 2),
            (self.toggle_draft, 2),
            (self.add_comment, 4),
            (self.approve_or_delete_comment, 2),
            (self.change_template, 2),
            (self.change_static, 1),
            (self.change_image, 1),
            (self.change_setting, 1),
            (self.nothing, 1),
        ]

    def step(self) -> str:
        steps = self.steps()
        action = self.rng.choices([s for s, _ in steps], weights=[w for _, w in steps])[0]
        done = action()
        self.history.append(done)
        return done


def output_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def differences(incremental: Path, clean: Path) -> list[str]:
    """What differs between two output folders (empty: byte-identical, same files)."""
    a, b = output_files(incremental), output_files(clean)
    found = [f"nur inkrementell: {name}" for name in sorted(set(a) - set(b))]
    found += [f"nur sauber: {name}" for name in sorted(set(b) - set(a))]
    found += [f"verschieden: {name}" for name in sorted(set(a) & set(b)) if a[name] != b[name]]
    return found


def make_site(tmp: Path, name: str = "incremental") -> Path:
    """A copy of the scenario with its own theme (THEME points at the copy)."""
    site = tmp / "site"
    shutil.copytree(SITES / name, site)
    shutil.copytree(ROOT / "theme", site / "theme")
    settings = site / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8") + f"THEME = {str(site / 'theme')!r}\n",
        encoding="utf-8",
    )
    return site


def run_series(tmp: Path, seed: int, steps: int, *, report=None) -> list[str]:
    """Edit, build incrementally and cleanly, compare: ``steps`` times. Raises
    AssertionError (with the seed and the steps so far) at the first difference."""
    site = make_site(tmp)
    editor = Editor(site, random.Random(seed))
    incremental = tmp / "incremental" / "output"
    incremental.parent.mkdir()
    cache = f"CACHE_PATH = {str(tmp / 'incremental' / 'cache')!r}\n"
    for number in range(steps + 1):
        done = "first build" if number == 0 else editor.step()
        result = build(site, incremental, settings=cache)
        assert result.returncode == 0, f"seed {seed}, step {number} ({done}):\n{result.log}"
        clean_root = tmp / "clean"
        shutil.rmtree(clean_root, ignore_errors=True)
        clean_root.mkdir()
        clean = build(
            site,
            clean_root / "output",
            settings=f"CACHE_PATH = {str(clean_root / 'cache')!r}\n",
        )
        assert clean.returncode == 0, f"seed {seed}, step {number} ({done}):\n{clean.log}"
        found = differences(incremental, clean.output)
        assert not found, (
            f"seed {seed}: nach Schritt {number} ({done}) weicht der inkrementelle Build ab: "
            f"{found[:20]}\nSchritte: {editor.history}"
        )
        if report is not None:
            report(number, done)
    return editor.history
