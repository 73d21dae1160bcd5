"""How many works end with k reviews, with and without extra reviews (make bench-coverage).

Simulates cohorts (crosscheck_xblock/extras_simulation.py) of n = 30, 100 and 1,000 learners who
all submitted, k = 3, 4 and 5 reviews per work, and 0, 10, 15 or 25 % no-show reviewers, over a
72-hour review period. The initial assignment is the block's (assign_reviewers, the same ring as
the rs app's fixed assignment: "without extras" is what the rs app gets); every extra review is
chosen by the block's rule (extras.choose, extras.blocking) with its default settings: at most 2
extras per learner, one open at a time, a 4-hour lease, idle reviewers stop blocking at the
middle of the period.

The behaviour model (extras_simulation.Behaviour; stated in full there and in the README):
no-shows never review and never take extras; active learners start at a time drawn from
Beta(1.5, 1) over the period (a deadline rush: 46 % start in the last 24 h) and do their reviews
in the same sitting or, with probability 0.3 each, in a later sitting before the deadline; 10 %
of them stop for good after 1..k-1 reviews; 40 % come back for extras once their assigned reviews
are done (at once, then every 12 h on average), and finish an extra with probability 0.8 within
15 min to 3 h. The shared research (research/scoring.md) has no data on when peer reviewers act;
its "realistic" class has 15 % partial reviewers, these numbers are assumptions, not fits.

Prints, per n x k x no-show share: the share of works with k reviews (or more), with at least
k - 1, with none, without and with extras, and the extras per active learner (median, mean);
whether the target of issue 13 is met (15 % no-shows, k = 4: >= 97 % with k, none with 0) for
each n; the rule variants measured against it; and how much the numbers depend on the behaviour
model. Runs are seeded and paired: every rule plays the same cohorts.

Run from the repository root: python bench/bench_coverage.py [--runs-scale 1] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Make the package importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import row, write_results  # bench/results.py, beside this file

from crosscheck_xblock.extras_simulation import Behaviour, Rule, Summary, run_config

SEED = 20_250_113
NS = (30, 100, 1000)
KS = (3, 4, 5)
NOSHOWS = (0.0, 0.10, 0.15, 0.25)
# Cohorts per configuration: small cohorts vary more from run to run.
RUNS = {30: 200, 100: 50, 1000: 8}
TARGET_NOSHOW, TARGET_K, TARGET_FULL = 0.15, 4, 0.97
NONE = Rule(extras=False)
DEFAULT = Rule()
# Rule changes measured against the target (the block's rule with other settings, or a change):
# (label, rule, hours until the assigned reviews are due). The 72-hour ones play the very cohorts
# of the main table; in the 48-hour ones the learners rush to the earlier deadline.
VARIANTS = (
    ("block defaults (limit 2)", DEFAULT, 72),
    ("limit 3", Rule(limit=3), 72),
    ("idle stop blocking at 24 h, not 36 h", Rule(cutoff=1 / 3), 72),
    ("sign of life = a draft of that review", Rule(sign_of_life="assignment"), 72),
    ("72 h + 24 h of extras only, limit 2", Rule(grace_hours=24), 72),
    ("72 h + 24 h of extras only, limit 3", Rule(limit=3, grace_hours=24), 72),
    ("72 h + 24 h of extras only, limit 4", Rule(limit=4, grace_hours=24), 72),
    ("72 h + 24 h of extras only, limit 5", Rule(limit=5, grace_hours=24), 72),
    ("48 h + 24 h of extras only, limit 2", Rule(grace_hours=24), 48),
    ("48 h + 24 h of extras only, limit 4", Rule(limit=4, grace_hours=24), 48),
    ("the block: extra_window_hours=24, limit 5 (48 h + 24 h)", Rule(limit=5, grace_hours=24), 48),
)
# The same question (n = 100, k = 4, 15 % no-shows, block defaults) under other behaviour.
SENSITIVITY = (
    ("the model above", Behaviour()),
    ("20 % take extras", Behaviour(takers=0.2)),
    ("60 % take extras", Behaviour(takers=0.6)),
    ("nobody stops early", Behaviour(partial=0.0)),
    ("no deadline rush (uniform starts)", Behaviour(start_rush=(1.0, 1.0))),
    ("visits every 4 h", Behaviour(visit_gap_hours=4.0)),
)
SENSITIVITY_N = 100


def _run(job: tuple) -> tuple[tuple, list[Summary]]:
    key, n, k, noshow, runs, seed, rules, behaviour, period = job
    return key, run_config(n, k, noshow, runs, seed, rules, behaviour, period_hours=period)


def _variants(period: int) -> list[Rule]:
    return [rule for _, rule, hours in VARIANTS if hours == period]


def _pct(share: float, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f}%"


def _met(summary: Summary) -> bool:
    return summary.full >= TARGET_FULL and summary.zero_runs == 0


def print_grid(results: dict[tuple, list[Summary]], runs: dict[int, int]) -> None:
    """The main table: without and with extras (block defaults) per n x k x no-show share."""
    print("Shares of works by the reviews they end with (mean over the runs); k = at least k reviews;"
          " extras = extra reviews submitted per active learner, median / mean")
    print(f"{'':17}{'without extras (rs app)':>25}   {'with extras (block defaults)':<40}")
    print(f"{'n':>5}{'k':>3}{'no-show':>9}{'k':>9}{'>=k-1':>8}{'0':>8}   {'k':>7}{'>=k-1':>8}{'0':>8}"
          f"{'>k':>7}{'extras':>12}{'runs':>6}")
    for n in NS:
        for k in KS:
            for noshow in NOSHOWS:
                without, with_extras = results[("grid", n, k, noshow)][:2]
                extras = f"{with_extras.median_extras:.1f} / {with_extras.mean_extras:.2f}"
                print(f"{n:>5}{k:>3}{_pct(noshow, 0):>9}{_pct(without.full):>9}{_pct(without.near):>8}"
                      f"{_pct(without.none, 2):>8}   {_pct(with_extras.full):>7}{_pct(with_extras.near):>8}"
                      f"{_pct(with_extras.none, 2):>8}{_pct(with_extras.over):>7}{extras:>12}{runs[n]:>6}")


def print_target(results: dict[tuple, list[Summary]]) -> None:
    """The target of issue 13 per n, with the block's defaults and with the variants."""
    print(f"\nTarget: {_pct(TARGET_NOSHOW, 0)} no-shows, k = {TARGET_K}: at least {_pct(TARGET_FULL, 0)} of works "
          "with k reviews and none with 0 (in any run)")
    for n in NS:
        summaries = results[("grid", n, TARGET_K, TARGET_NOSHOW)]
        without, default = summaries[0], summaries[1]
        print(f"  n = {n:>4}, block defaults: {_pct(default.full)} with k (worst run {_pct(default.min_full)}), "
              f"a work with 0 reviews in {default.zero_runs} of {default.runs} runs: "
              f"{'met' if _met(default) else 'NOT met'}   (without extras: {_pct(without.full)} with k, "
              f"0 reviews in {without.zero_runs} runs)")
    print(f"\nRule variants, {_pct(TARGET_NOSHOW, 0)} no-shows, k = {TARGET_K}: with k / with 0 in how many runs"
          " / target / extras per active learner (mean)")
    print("  (72 h + 24 h: the assigned reviews are due at the end of the 72 h, then only extras can be taken for "
          "24 h; 48 h + 24 h: the same in 72 h, the learners rushing to the 48 h deadline)")
    print(f"  {'rule':<40}" + "".join(f"{f'n = {n}':>30}" for n in NS))
    for label, rule, period in VARIANTS:
        cells = ""
        for n in NS:
            if period == 72:
                s = results[("grid", n, TARGET_K, TARGET_NOSHOW)][1 + _variants(72).index(rule)]
            else:
                s = results[("split", n)][_variants(period).index(rule)]
            cell = f"{_pct(s.full)} {s.zero_runs:>3} {'met' if _met(s) else 'no':>3} {s.mean_extras:.2f}"
            cells += f"{cell:>30}"
        print(f"  {label:<40}{cells}")


def print_sensitivity(results: dict[tuple, list[Summary]]) -> None:
    """The block defaults under other behaviour models (not the model: how much it matters)."""
    print(f"\nHow much it depends on the behaviour model (n = {SENSITIVITY_N}, k = {TARGET_K}, "
          f"{_pct(TARGET_NOSHOW, 0)} no-shows, block defaults): with k without / with extras, >= k-1 with extras")
    for label, _ in SENSITIVITY:
        without, with_extras = results[("sensitivity", label)]
        print(f"  {label:<36}{_pct(without.full):>7} / {_pct(with_extras.full):<7}{_pct(with_extras.near):>8}")


def headline_rows(results: dict[tuple, list[Summary]]) -> list[dict]:
    """The target rows of issue 13 (per n, block defaults and without extras) for make bench-all."""
    rows = []
    for n in NS:
        without, default = results[("grid", n, TARGET_K, TARGET_NOSHOW)][:2]
        rows.append(row(f"n={n} k={TARGET_K} {_pct(TARGET_NOSHOW, 0)} no-shows: works with k reviews, extras on",
                        round(100 * default.full, 1), "%", f">= {_pct(TARGET_FULL, 0)}"))
        rows.append(row(f"n={n}: runs with a work without reviews, extras on", default.zero_runs, "count", "0"))
        rows.append(row(f"n={n}: works with k reviews, no extras", round(100 * without.full, 1), "%"))
    return rows


def main() -> None:
    """Parse the options, run every configuration on --jobs processes, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-scale", type=float, default=1.0, help="multiply the runs per configuration")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    runs = {n: max(1, round(r * args.runs_scale)) for n, r in RUNS.items()}

    started = time.perf_counter()
    print(f"Coverage simulation: 72 h review period, seed {args.seed}, {args.jobs} processes; runs per "
          f"configuration: " + ", ".join(f"{runs[n]} (n = {n})" for n in NS))
    print("Behaviour: no-shows never review; active learners start at 72 h x Beta(1.5, 1) (deadline rush), "
          "10 % stop after 1..k-1 reviews, 40 % take extras when offered (at once after their last review,"
          " then every 12 h on average), an extra is finished with probability 0.8 within its lease\n")
    jobs = []
    for n in NS:
        for k in KS:
            for noshow in NOSHOWS:
                target = (k, noshow) == (TARGET_K, TARGET_NOSHOW)
                rules = [NONE, *_variants(72)] if target else [NONE, DEFAULT]
                jobs.append((("grid", n, k, noshow), n, k, noshow, runs[n], args.seed, rules, Behaviour(), 72))
        jobs.append((("split", n), n, TARGET_K, TARGET_NOSHOW, runs[n], args.seed, _variants(48), Behaviour(), 48))
    for label, behaviour in SENSITIVITY:
        jobs.append((("sensitivity", label), SENSITIVITY_N, TARGET_K, TARGET_NOSHOW, runs[SENSITIVITY_N],
                     args.seed, [NONE, DEFAULT], behaviour, 72))
    # The big cohorts and the many-rule configurations first, so the processes end together.
    jobs.sort(key=lambda job: -job[1] * job[4] * len(job[6]) * job[2])
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(pool.map(_run, jobs))
    print_grid(results, runs)
    print_target(results)
    print_sensitivity(results)
    print(f"\nTotal time {time.perf_counter() - started:.0f} s")
    write_results("coverage", headline_rows(results))  # for make bench-all


if __name__ == "__main__":
    main()
