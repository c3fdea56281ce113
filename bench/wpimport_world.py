"""WordPress exports from the world through import and build (not a test).

    .venv/bin/python bench/wpimport_world.py EXPORT.xml [EXPORT.xml …] [--keep DIR]

Public test exports (WordPress/theme-test-data, the phpunit/data/*.xml of
WordPress/wordpress-importer) are not shipped here; pass their paths. For each file:
a copy of this project's content/ gets the import (``python -m wpimport``), the media the
report lists are put in place (placeholder bytes), and the site is built as ``make html``
does (tests/support/sitebuild). Then it counts

- every old public address (the permalink of each published post and page, and its
  ``?p=``/``?page_id=`` short link) that arrives on a page through each of the three
  redirect files, as Netlify, Apache and nginx read them (tests/support/redirects.py);
- words (4 letters and more) of each imported post's text that are missing on its built
  page (lost text).

Prints one block per export: build status, "N von M alten Adressen …", lost words.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from rundbrief.redirects import REDIRECTS_FILE, parse_redirects  # noqa: E402
from tests.support.redirects import arrives  # noqa: E402
from tests.support.sitebuild import build  # noqa: E402
from tests.support.wpimport import missing_words, run_import, source_words  # noqa: E402
from wpimport.plan import decide, old_term_pages, page_key, title_text  # noqa: E402
from wpimport.wxr import WXRError, WXRReader  # noqa: E402


def old_addresses(wxr: Path) -> tuple[list[tuple[str, int, str]], list[str], str]:
    """(old path, post id, kind) of every published post and page, the old category and
    tag pages they were on, and the blog's base."""
    reader = WXRReader(wxr)
    found = []
    terms: list[str] = []
    for item in reader.items():
        decision = decide(item, include_private=False)
        if decision.kind in ("article", "page") and not decision.draft and item.link:
            found.append((item.link, item.post_id, decision.kind))
        if decision.kind == "article" and not decision.draft:
            parents = reader.channel.category_parents
            terms += [old for old, _, _ in old_term_pages(item, parents)]
    return found, list(dict.fromkeys(terms)), reader.channel.base_blog_url or reader.channel.link


def relative(link: str, base: str) -> str:
    if not base:
        parts = urlsplit(link)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    key, base_key = page_key(link), page_key(base)
    path = key[len(base_key) :] if key.startswith(base_key) else key.partition("/")[2]
    return "/" + path.lstrip("/") + ("/" if "?" not in path and path else "")


def copy_media(site: Path, report: str) -> None:
    for target in re.findall(r"^  wp-content/uploads/\S+ -> (content/images/\S+)$", report, re.M):
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"placeholder")


def built_pages(site: Path, report: str) -> dict[tuple[int, str], str]:
    """(post id, title) -> the URL path of its page, from the report and the files' headers."""
    found = {}
    for relative, title, number in re.findall(
        r"^  \S+  content/(\S+\.md)  „(.*)“ \(#(\d+)", report, re.M
    ):
        text = (site / "content" / relative).read_text(encoding="utf-8")
        slug = re.search(r"^Slug: (.+)$", text, re.M)[1].strip()
        date = re.search(r"^Date: (\d{4})-(\d{2})", text, re.M)
        if relative.startswith("articles/") and date:
            found[int(number), title] = f"{date[1]}/{date[2]}/{slug}/"
        elif relative.startswith("pages/"):
            found[int(number), title] = f"{slug}/"
    return found


def lost_words(site: Path, output: Path, wxr: Path, report: str) -> tuple[int, int, list[str]]:
    """(words in the imported texts, words missing on the built pages, examples)."""
    pages = built_pages(site, report)
    total = missing = 0
    examples: list[str] = []
    for item in WXRReader(wxr).items():
        decision = decide(item, include_private=False)
        key = (item.post_id, title_text(item.title) or "Ohne Titel")
        page = output / pages.get(key, "-") / "index.html"
        if decision.kind not in ("article", "page") or decision.draft or not page.is_file():
            continue
        words = source_words(item)
        lost = missing_words(item, page.read_text(encoding="utf-8"))
        total += len(words)
        missing += len(lost)
        if lost and len(examples) < 8:
            examples.append(f"#{item.post_id} {item.post_name}: {', '.join(lost[:6])}")
    return total, missing, examples


def run(wxr: Path, work: Path) -> None:
    print(f"== {wxr.name}")
    site = work / wxr.stem / "site"
    shutil.copytree(ROOT / "content", site / "content")
    result = run_import(site, str(wxr))
    if result.returncode != 0:
        print(f"   Import: Exit {result.returncode}: {result.stderr.strip()[:300]}")
        return
    summary = [line for line in result.stdout.splitlines() if line.startswith("Summe")]
    print(f"   Import: {summary[0] if summary else 'ok'}")
    copy_media(site, result.stdout)
    built = build(site, site.parent / "output")
    warnings = [line for line in built.log.splitlines() if "WARNING" in line or "ERROR" in line]
    print(f"   Build: Exit {built.returncode}, {len(warnings)} Warnungen/Fehler")
    for line in warnings[:5]:
        print(f"     {line[:200]}")
    if built.returncode != 0:
        return
    addresses, term_pages, base = old_addresses(wxr)
    redirect_file = site / "content" / REDIRECTS_FILE
    lines = parse_redirects(redirect_file.read_text(), "x")[0] if redirect_file.exists() else []
    olds = []
    for link, post_id, kind in addresses:
        olds.append(relative(link, base))
        if post_id > 0:
            olds.append(f"/?{'p' if kind == 'article' else 'page_id'}={post_id}")
    olds = list(dict.fromkeys(olds + term_pages))
    counts = dict.fromkeys(("_redirects", ".htaccess", "nginx-redirects.conf"), 0)
    dead = []
    for old in olds:
        for name, target in arrives(built.output, old).items():
            counts[name] += target is not None
            if target is None:
                dead.append(f"{old} ({name})")
    permalinks = len({relative(link, base) for link, _, _ in addresses})
    print(
        f"   Alte Adressen: {len(olds)} ({permalinks} Permalinks, {len(term_pages)} "
        "Kategorie-/Schlagwortseiten, Kurzadressen), "
        f"{len(lines)} Weiterleitungen in content/redirects.txt"
    )
    for name, count in counts.items():
        print(f"     {name}: {count} von {len(olds)} alten Adressen leiten weiter oder gehen")
    for old in dead[:9]:
        print(f"     tot: {old}")
    total, missing, examples = lost_words(site, built.output, wxr, result.stdout)
    print(f"   Text: {missing} von {total} Wörtern fehlen auf den gebauten Seiten")
    for example in examples:
        print(f"     {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="+", type=Path)
    parser.add_argument("--keep", type=Path, help="Arbeitsordner behalten (statt temporär)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="wpimport-world-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for wxr in args.exports:
            try:
                run(wxr.resolve(), work)
            except WXRError as error:
                print(f"   {error}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
