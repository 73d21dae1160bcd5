"""The headline numbers of a bench, as var/bench/<name>.json for make bench-all (bench/bench_all.py).

    {"bench": "<name>", "rows": [{"metric": "...", "value": number, "unit": "req/s|ms|s|count|…",
                                  "target": "text or null"}]}
"""
import json
import math
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"


def row(metric: str, value: float | int | None, unit: str, target: str | None = None) -> dict:
    """One number of a bench; a value that is not a finite number (nothing measured) is null."""
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    return {"metric": metric, "value": value, "unit": unit, "target": target}


def write_results(bench: str, rows: list[dict], directory: Path | None = None) -> Path:
    """Write var/bench/<bench>.json (or into directory); returns its path."""
    directory = directory or BENCH_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{bench}.json"
    path.write_text(json.dumps({"bench": bench, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return path
