"""What the first search costs a reader: requests and bytes (issue 17, "search that scales").

    python bench/search_cost.py OUTPUT [--word WORD ...]

Serves the built site OUTPUT on 127.0.0.1, opens ``/suche/`` in Debian's Chromium
(Playwright, a fresh profile: nothing cached), types each word and waits until the
results are shown. Prints, per word, the requests and bytes (response bodies) the page
made from typing to the shown results, and how many results it lists; before that, what
opening the search page costs. Without words it searches a word of the bench corpus that
stands in nearly every article and one that stands in few (bench/corpus.py).
build_bench.py calls ``first_search`` on its warm site of each size.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve

RESULTS = ".pagefind-ui__result"
MESSAGE = ".pagefind-ui__message"


@dataclass
class Cost:
    what: str
    requests: int
    kib: float
    results: int | None = None

    def __str__(self) -> str:
        shown = "" if self.results is None else f", {self.results} Treffer"
        return f"{self.what}: {self.requests} Anfragen, {self.kib:.0f} KiB{shown}"


def corpus_words() -> list[str]:
    """A word of nearly every article and a rarer one (Zipf rank 1 and 400, 6+ letters)."""
    from corpus import _WORDS  # noqa: PLC0415  (bench/corpus.py, the generator's vocabulary)

    long = [word for word in _WORDS if len(word) >= 6]
    return [long[0], long[400]]


def _bodies(responses) -> float:
    total = 0
    for response in responses:
        try:
            total += len(response.body())
        except Exception:  # a redirect or an aborted request has no body
            continue
    return total / 1024


def first_search(output: Path, words: list[str]) -> list[Cost]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    server, url = serve(output)
    costs = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for word in words:
                page = browser.new_context().new_page()
                responses = []
                page.on("response", lambda response, found=responses: found.append(response))
                page.goto(url + "/suche/", wait_until="networkidle")
                if not costs:
                    costs.append(Cost("Suchseite öffnen", len(responses), _bodies(responses)))
                opened = len(responses)
                page.fill(".pagefind-ui__search-input", word)
                page.wait_for_selector(MESSAGE, state="visible")
                page.wait_for_function(
                    f"() => !document.querySelector('{MESSAGE}').textContent.includes('…')"
                )
                page.wait_for_load_state("networkidle")
                searched = responses[opened:]
                shown = page.locator(RESULTS).count()
                costs.append(Cost(f"erste Suche „{word}“", len(searched), _bodies(searched), shown))
                page.context.close()
            browser.close()
    finally:
        server.shutdown()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--word", action="append", dest="words")
    args = parser.parse_args()
    for cost in first_search(args.output, args.words or corpus_words()):
        print(cost, flush=True)


if __name__ == "__main__":
    main()
