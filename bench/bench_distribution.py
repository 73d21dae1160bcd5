"""Wall time of assign_reviewers for growing cohorts (best of 3).

Run from the repository root: python bench/bench_distribution.py
"""

import sys
import time
from pathlib import Path

# Make the package importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import row, write_results  # bench/results.py, beside this file

from crosscheck_xblock.distribution import assign_reviewers

SIZES = (1_000, 10_000, 100_000)
K = 4
REPEATS = 3


def best_time(n: int, k: int) -> float:
    """Best wall time of REPEATS runs, in seconds."""
    authors = [f"learner-{i}" for i in range(n)]
    best = float("inf")
    for repeat in range(REPEATS):
        start = time.perf_counter()
        result = assign_reviewers(authors, k=k, seed=repeat)
        best = min(best, time.perf_counter() - start)
        # Freed outside the timed region so one run's garbage does not slow the next.
        del result
    return best


def main() -> None:
    """Print one line per cohort size."""
    rows = []
    for n in SIZES:
        seconds = best_time(n, K)
        print(f"assign_reviewers n={n} k={K}: {seconds:.3f} s")
        rows.append(row(f"assign_reviewers n={n} k={K}", round(seconds, 4), "s"))
    write_results("distribution", rows)  # for make bench-all


if __name__ == "__main__":
    main()
