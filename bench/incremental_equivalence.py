"""The long randomised proof that incremental builds equal clean builds (issue 17).

    python bench/incremental_equivalence.py [--steps 200] [--seed N]

Runs tests/support/incremental.py's series (seeded random edits of tests/sites/incremental:
articles, comments, templates, static files, settings, images, drafts; after each step
output/ of the incremental build is compared with a clean build, every file). Prints each
step; on the first difference it stops with the seed, the step and the files that differ.
Takes about 2 builds per step (a few seconds each on the 2-core machine).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, progress

sys.path.insert(0, str(ROOT))

from tests.support.incremental import run_series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    print(f"seed {seed}", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rundbrief-incremental-") as name:
        try:
            history = run_series(
                Path(name), seed, args.steps, report=lambda n, done: progress(f"{n:4d} {done}")
            )
        except AssertionError as error:
            print(f"FEHLER (seed {seed}): {error}", flush=True)
            raise SystemExit(1) from None
    seconds = time.perf_counter() - started
    print(
        f"incremental-equivalence: seed {seed} steps {len(history)} differences 0 "
        f"({seconds:.0f} s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
