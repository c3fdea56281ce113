"""`make audit`: Lighthouse (mobile, Debian's Chromium) on the pages readers meet most.

Builds the real content/ into a temporary folder, serves it on 127.0.0.1 (text
gzip-compressed, as any web host sends it) and runs the
pinned npm `lighthouse` (package.json) against the home page, the reference article, a
tag page, the search page, the digest archive and a digest. Prints every score and the
audits that cost points; exits 1 when a category of a page is below 100.

Performance is measured with Lighthouse's simulated mobile throttling, which scales what
the CPU did during the run: on a busy machine one run can lose a few points. A page below
100 is therefore measured up to four times more and judged by the median of the runs, as
Lighthouse's own documentation recommends for variable machines.

    .venv/bin/python -m tests.support.audit [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.support.sitebuild import ROOT, build

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("RUNDBRIEF_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


# Text is sent gzip-compressed, as every web host does (nginx `gzip on`, Apache mod_deflate).
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """output/ as a web host serves it: text gzip-compressed when the browser accepts it."""

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def pages(output: Path) -> dict[str, str]:
    article = next(output.glob("2015/06/fuer-wen-machen-wir-das-eigentlich*/"))
    digest = sorted((output / "newsletter").glob("*/digest.json"))[0].parent
    return {
        "Startseite": "/",
        "Referenzartikel": "/" + article.relative_to(output).as_posix() + "/",
        "Schlagwort": "/tag/soziale-arbeit/",
        "Suche": "/suche/",
        "Wochenrückblicke": "/newsletter/",
        "Wochenrückblick": f"/newsletter/{digest.name}/",
    }


def lighthouse(url: str, report: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


RUNS = 5


def below_100(result: dict) -> dict[str, bool]:
    return {key: (result["categories"][key]["score"] or 0) < 1 for key in CATEGORIES}


def total(result: dict) -> float:
    return sum(result["categories"][key]["score"] or 0 for key in CATEGORIES)


def median(runs: list[dict]) -> dict:
    """The median run by total score (of an even number, the lower one)."""
    ordered = sorted(runs, key=total)
    return ordered[(len(ordered) - 1) // 2]


def shortfalls(result: dict) -> list[str]:
    """The weighted audits of each category that did not pass."""
    lines = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"    {category['id']}: {audit['id']} ({audit['score']}) {shown}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the Lighthouse reports in this folder")
    args = parser.parse_args(argv)
    for needed, hint in ((LIGHTHOUSE, "npm ci"), (Path(CHROMIUM), "apt-get install -y chromium")):
        if not needed.exists():
            print(f"{needed} fehlt ({hint}).", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="rundbrief-audit-"))
    try:
        site = build(ROOT, work / "output")
        if site.returncode != 0:
            print(site.log, file=sys.stderr)
            return 1
        handler = functools.partial(StaticHandler, directory=str(site.output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        reports = args.keep or work / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        failed = False
        print(f"{'Seite':<22}" + "".join(f"{name:>16}" for name in CATEGORIES))
        try:
            for index, (name, path) in enumerate(pages(site.output).items()):
                runs = [lighthouse(base + path, reports / f"{index}-1.json")]
                while len(runs) < RUNS and any(below_100(median(runs)).values()):
                    runs.append(lighthouse(base + path, reports / f"{index}-{len(runs) + 1}.json"))
                result = median(runs)
                scores = {key: result["categories"][key]["score"] for key in CATEGORIES}
                label = f"{name} ({len(runs)}×)" if len(runs) > 1 else name
                row = "".join(f"{round((scores[key] or 0) * 100):>16}" for key in CATEGORIES)
                print(f"{label:<22}{row}", flush=True)
                if any((score or 0) < 1 for score in scores.values()):
                    failed = True
                    print("\n".join(shortfalls(result)), flush=True)
        finally:
            server.shutdown()
        print("Lighthouse: alles 100." if not failed else "Lighthouse: unter 100 (siehe oben).")
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
