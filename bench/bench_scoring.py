"""How good and how fast are the grading policies and warning rules (make bench-scoring).

Simulates classes as in research/scoring.md (crosscheck_xblock/scoring/simulation.py): every
scenario x reviews per work (k) x distribution of true scores, RUNS paired runs each (every rule
grades the same reviews), then times grade_all on 10,000 works x 5 reviews per policy.

Run from the repository root: python bench/bench_scoring.py [--runs 200] [--n 200] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Make the package importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck_xblock.distribution import assign_reviewers
from crosscheck_xblock.scoring import POLICIES, grade_all
from crosscheck_xblock.scoring import simulation as sim

KS = (3, 4, 5)
SEED = 20_240_601
SHORT = {"mean": "mean", "median": "median", "drop_min": "drop_min",
         "drop_discordant": "drop_disc", "reliability": "reliab", "exclude_15": "excl_15",
         "item_mean": "it_mean", "item_median": "it_median", "item_drop_discordant": "it_disc"}
RULES = sim.RULES + sim.ITEM_RULES


def _run(args: tuple[str, int, str, int, int, int]) -> sim.ConfigResult:
    scenario, k, true_scores, runs, n, seed = args
    return sim.run_config(scenario, k=k, true_scores=true_scores, runs=runs, n=n, seed=seed)


def _cell(value: float, width: int, fmt: str) -> str:
    return f"{'-':>{width}}" if value != value else f"{value:>{width}{fmt}}"


def print_rmse_grid(results: list[sim.ConfigResult]) -> None:
    """RMSE of every rule in every configuration, with the reliability/median ratio."""
    print("RMSE against the true score, points out of 100 (lower is better)")
    head = "".join(f"{SHORT[r]:>10}" for r in RULES)
    print(f"{'scenario':<14}{'k':>2} {'true':<10}{head}{'rel/med':>9}{'rel/best':>9}")
    for res in results:
        rmse = {r: res.errors[r].summary()["rmse"] for r in res.errors}
        cells = "".join(_cell(rmse.get(r, float("nan")), 10, ".2f") for r in RULES)
        best = min(rmse["mean"], rmse["median"])
        print(f"{res.scenario:<14}{res.k:>2} {res.true_scores:<10}{cells}"
              f"{rmse['reliability'] / rmse['median']:>9.3f}{rmse['reliability'] / best:>9.3f}")


def print_details(results: list[sim.ConfigResult], k: int) -> None:
    """All error metrics of every rule, for the configurations with k reviews per work."""
    print(f"\nAll metrics with k = {k}: RMSE, % within 5 and 10 points, 95th percentile of the "
          "error, mean signed error (+ = too generous)")
    for res in (r for r in results if r.k == k):
        print(f"{res.scenario} / {res.true_scores} (works end with on average "
              f"{res.mean_reviews:.2f} reviews; {100 * res.works_with_k:.0f} % with all {k})")
        print(f"  {'rule':<22}{'RMSE':>7}{'≤5':>8}{'≤10':>8}{'p95':>7}{'signed':>8}")
        for rule, metrics in res.errors.items():
            s = metrics.summary()
            print(f"  {rule:<22}{s['rmse']:>7.2f}{100 * s['within5']:>7.1f}%"
                  f"{100 * s['within10']:>7.1f}%{s['p95']:>7.1f}{s['bias']:>+8.2f}")


def print_warnings(results: list[sim.ConfigResult]) -> None:
    """Per warning rule, the share of honest reviewers warned and of careless ones caught."""
    print("\nWarnings: share of reviewers warned at least once in a task (normal true scores)")
    print(f"  {'scenario':<14}{'k':>2}" + "".join(f"{name:>22}" for name in sim.WARNING_RULES)
          + f"{'authors (15%)':>15}{'ideal works':>13}")
    print(f"  {'':<16}" + "".join(f"{'honest / careless':>22}" for _ in sim.WARNING_RULES))
    for res in (r for r in results if r.true_scores == "normal"):
        cells = ""
        for name in sim.WARNING_RULES:
            s = res.warnings[name].summary()
            careless = "-" if s["careless"] != s["careless"] else f"{100 * s['careless']:.1f}%"
            cells += f"{f'{100 * s['honest']:.1f}% / {careless}':>22}"
        print(f"  {res.scenario:<14}{res.k:>2}{cells}{100 * res.authors_warned:>14.1f}%"
              f"{100 * res.ideal_share:>12.1f}%")
    for res in (r for r in results if r.true_scores == "normal" and r.scenario == "mixed"
                and r.k == 4):
        print("  mixed, k = 4, caught by kind of careless reviewer:")
        for name in sim.WARNING_RULES:
            kinds = ", ".join(f"{kind} {100 * res.warnings[name].share(kind):.0f}%"
                              for kind in sim.CARELESS_KINDS)
            print(f"    {name:<12}{kinds}")


def print_targets(results: list[sim.ConfigResult]) -> None:
    """The two targets of the issue, met or not."""
    print("\nTargets")
    for res in (r for r in results if r.scenario == "mixed" and r.k == 4):
        rel = res.errors["reliability"].summary()["rmse"]
        med = res.errors["median"].summary()["rmse"]
        wins = sum(a < b for a, b in zip(res.errors["reliability"].run_rmse,
                                         res.errors["median"].run_rmse))
        verdict = "met" if rel <= 0.85 * med else "NOT met"
        print(f"  mixed, k = 4, {res.true_scores:<9}: reliability / median = {rel / med:.3f} "
              f"(target <= 0.85: {verdict}); reliability better in {wins} of {res.runs} runs")
    worst = max(results, key=lambda r: r.errors["reliability"].summary()["rmse"] / min(
        r.errors["mean"].summary()["rmse"], r.errors["median"].summary()["rmse"]))
    ratio = worst.errors["reliability"].summary()["rmse"] / min(
        worst.errors["mean"].summary()["rmse"], worst.errors["median"].summary()["rmse"])
    verdict = "met" if ratio <= 1.02 else "NOT met"
    print(f"  worst reliability / min(mean, median) over all {len(results)} configurations: "
          f"{ratio:.3f} ({worst.scenario}, k = {worst.k}, {worst.true_scores}; "
          f"target <= 1.02: {verdict})")


def time_grade_all(works: int = 10_000, k: int = 5, repeats: int = 3) -> None:
    """Best-of-repeats wall time of grade_all per policy on works x k reviews."""
    rng = random.Random(SEED)
    authors = [f"learner-{i}" for i in range(works)]
    assignment = assign_reviewers(authors, k=k, seed=SEED)
    # Review totals as the form produces them: two decimals.
    reviews = [(reviewer, author, round(rng.uniform(0, 100), 2))
               for reviewer, assigned in assignment.items() for author in assigned]
    print(f"\ngrade_all on {works:,} works x {k} reviews (best of {repeats})")
    for policy in POLICIES:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            grade_all(reviews, policy=policy, max_score=100)
            best = min(best, time.perf_counter() - start)
        print(f"  {policy:<16}{best:.3f} s")


def main() -> None:
    """Parse the options, run the simulation on --jobs processes, print every table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="paired runs per configuration")
    parser.add_argument("--n", type=int, default=200, help="learners per simulated class")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--all-details", action="store_true", help="all metrics for every k")
    args = parser.parse_args()

    started = time.perf_counter()
    print(f"Simulation (research/scoring.md protocol): {args.n} learners per class, "
          f"{args.runs} paired runs per configuration, seed {args.seed}, {args.jobs} processes")
    print(f"k = {', '.join(map(str, KS))} reviews per work; true scores "
          f"{', '.join(sim.TRUE_SCORES)}; in every class 10 % submit late (not distributed) and "
          "15 % never review")
    for scenario in sim.SCENARIOS.values():
        print(f"  {scenario.name:<14}{scenario.description}")
    print("  rules: the policies; excl_15 = the proposal's rule as a grade (scores > 15 % from "
          "the others' median left out, the rest averaged); it_* = per checklist item, then "
          "totalled (checklist classes only)\n")

    configs = [(scenario, k, true_scores, args.runs, args.n, args.seed)
               for scenario in sim.SCENARIOS for k in KS for true_scores in sim.TRUE_SCORES]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(_run, configs))
    print_rmse_grid(results)
    for k in (KS if args.all_details else (4,)):
        print_details(results, k)
    print_warnings(results)
    print_targets(results)
    time_grade_all()
    print(f"\nTotal time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
