"""Every bench in turn, then one table of all their numbers (make bench-all).

Runs each make target of TARGETS (its output into var/bench/logs/<target>.log), then prints one
table of every row of var/bench/*.json (bench/results.py's format) with the machine's cores, the
date and the git commit, and writes the same as markdown to var/bench/ALL.md (the README's "Last
bench table" is a copy of it). A target that does not exist or fails is listed as such, with no
numbers: its JSON files are removed before it runs, so an old run's numbers never pass for new.

    python bench/bench_all.py [--skip bench-ora2 ...] [--only bench-load ...] [--table-only]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from results import BENCH_DIR  # noqa: E402

# make target -> the var/bench/<name>.json files it writes, in the order they are run and shown.
TARGETS = {
    "bench": ("distribution", "handlers"),
    "bench-scoring": ("scoring",),
    "bench-coverage": ("coverage",),
    "bench-staff": ("staff",),
    "bench-scale": ("scale",),
    "bench-ora2": ("ora2",),
    "bench-load": ("load",),
}
OK, FAILED, MISSING, SKIPPED = "ok", "failed", "no such target", "skipped"


@dataclass
class Run:
    """What became of one make target."""

    target: str
    status: str
    seconds: float | None = None
    detail: str = ""


def target_exists(target: str) -> bool:
    """Whether the Makefile has this target (make -n answers 2 for an unknown one)."""
    probe = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False)
    return "No rule to make target" not in probe.stderr


def run_target(target: str, logs: Path, bench_dir: Path = BENCH_DIR) -> Run:
    """Run one make target, its output into logs/<target>.log; stale JSON of it removed first."""
    if not target_exists(target):
        return Run(target, MISSING)
    for name in TARGETS.get(target, ()):
        (bench_dir / f"{name}.json").unlink(missing_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{target}.log"
    print(f"make {target} ... ", end="", flush=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(["make", target], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, check=False).returncode
    seconds = time.perf_counter() - started
    run = Run(target, OK if code == 0 else FAILED, seconds, "" if code == 0 else f"exit {code}, see {log}")
    print(f"{run.status} in {seconds:.0f} s" + (f" ({run.detail})" if run.detail else ""), flush=True)
    return run


def read_results(bench_dir: Path, runs: list[Run]) -> list[dict]:
    """Every row of bench_dir/*.json, each with its bench's name, in the order of TARGETS (others
    after them). Benches whose target failed or is missing in `runs` give no rows (a skipped one
    keeps its earlier numbers); a file that cannot be read gives one row that says so."""
    order = [name for names in TARGETS.values() for name in names]
    not_ok = {name for run in runs if run.status in (FAILED, MISSING) for name in TARGETS.get(run.target, ())}
    paths = sorted(bench_dir.glob("*.json"),
                   key=lambda path: (order.index(path.stem) if path.stem in order else len(order), path.stem))
    rows = []
    for path in paths:
        if path.stem in not_ok:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["rows"]
            for entry in entries:
                rows.append({"bench": data.get("bench", path.stem), "metric": str(entry["metric"]),
                             "value": entry.get("value"), "unit": entry.get("unit") or "",
                             "target": entry.get("target")})
        except (ValueError, KeyError, TypeError) as err:
            rows.append({"bench": path.stem, "metric": f"unreadable {path.name}: {str(err)[:60]}", "value": None,
                         "unit": "", "target": None})
    return rows


def format_value(value) -> str:
    """A number as the table shows it: integers plain, others with up to 3 significant decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.1f}"


def machine() -> dict:
    """Date, commit, cores and load of this run."""
    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
            "cores": os.cpu_count() or 1, "load": load, "python": sys.version.split()[0]}


def render_text(info: dict, runs: list[Run], rows: list[dict]) -> str:
    """The table as bench-all prints it."""
    lines = [f"bench-all: {info['date']}, commit {info['commit']}, {info['cores']} cores "
             f"(load average {info['load']} at the end), Python {info['python']}", ""]
    for run in runs:
        took = f"{run.seconds:.0f} s" if run.seconds is not None else ""
        lines.append(f"  make {run.target:<16}{run.status:<16}{took:>7}  {run.detail}".rstrip())
    lines.append("")
    bench_w = max([5, *(len(r["bench"]) for r in rows)])
    metric_w = max([6, *(len(r["metric"]) for r in rows)])
    lines.append(f"{'bench':<{bench_w}}  {'metric':<{metric_w}}  {'value':>12}  {'unit':<8}  target")
    for r in rows:
        lines.append(f"{r['bench']:<{bench_w}}  {r['metric']:<{metric_w}}  {format_value(r['value']):>12}  "
                     f"{r['unit']:<8}  {r['target'] or ''}".rstrip())
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def render_markdown(info: dict, runs: list[Run], rows: list[dict]) -> str:
    """The same as markdown (var/bench/ALL.md, for the README)."""
    lines = [f"`make bench-all` on {info['date']}, commit `{info['commit']}`, {info['cores']} cores "
             f"(load average {info['load']} at the end), Python {info['python']}.", "",
             "| make target | status | time |", "|---|---|---|"]
    for run in runs:
        took = f"{run.seconds:.0f} s" if run.seconds is not None else ""
        lines.append(f"| `{run.target}` | {_cell(run.status)}{' (' + _cell(run.detail) + ')' if run.detail else ''} "
                     f"| {took} |")
    lines += ["", "| bench | metric | value | unit | target |", "|---|---|---:|---|---|"]
    for r in rows:
        lines.append(f"| {_cell(r['bench'])} | {_cell(r['metric'])} | {format_value(r['value'])} | "
                     f"{_cell(r['unit'])} | {_cell(r['target'] or '')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the targets, print the table, write ALL.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", nargs="*", default=[], help="targets not to run (listed as skipped)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these targets")
    parser.add_argument("--table-only", action="store_true", help="run nothing: the table of the JSON files there are")
    args = parser.parse_args(argv)
    runs = []
    for target in TARGETS:
        if args.table_only:
            continue
        if target in args.skip or (args.only is not None and target not in args.only):
            earlier = any((BENCH_DIR / f"{name}.json").exists() for name in TARGETS[target])
            runs.append(Run(target, SKIPPED, detail="the numbers of an earlier run" if earlier else ""))
        else:
            runs.append(run_target(target, BENCH_DIR / "logs"))
    rows = read_results(BENCH_DIR, runs)
    info = machine()
    print()
    print(render_text(info, runs, rows), end="")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "ALL.md").write_text(render_markdown(info, runs, rows), encoding="utf-8")
    print(f"\n(markdown: {BENCH_DIR / 'ALL.md'})")
    # A target not written yet is listed, not an error; a bench that failed is.
    return 1 if any(run.status == FAILED for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
