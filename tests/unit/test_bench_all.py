"""make bench-all's table (bench/bench_all.py) from sample var/bench/*.json files, and the load
bench's task mix (bench/locustfile.py). Nothing here runs a bench or times anything."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from bench import bench_all
from bench.bench_all import FAILED, MISSING, OK, SKIPPED, Run

from ..conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
INFO = {"date": "2026-12-02 14:00 UTC", "commit": "abc1234", "cores": 2, "load": "1.00, 2.00, 3.00",
        "python": "3.12.1"}


def _write(directory: Path, bench: str, rows: list[dict]) -> None:
    (directory / f"{bench}.json").write_text(json.dumps({"bench": bench, "rows": rows}), encoding="utf-8")


def _samples(tmp_path: Path) -> list[Run]:
    _write(tmp_path, "load", [{"metric": "load: throughput", "value": 12.5, "unit": "req/s", "target": None},
                              {"metric": "load: errors", "value": 0, "unit": "count", "target": "0"}])
    _write(tmp_path, "distribution", [{"metric": "assign_reviewers n=1000 k=4", "value": 0.0012, "unit": "s",
                                       "target": None}])
    # A failed target's file (from an earlier run) must not pass for a result.
    _write(tmp_path, "scale", [{"metric": "grade 10000 learners", "value": 99, "unit": "s", "target": "< 60"}])
    _write(tmp_path, "extra", [{"metric": "something else", "value": 3, "unit": "count", "target": None}])
    (tmp_path / "ora2.json").write_text("{not json", encoding="utf-8")
    return [Run("bench", OK, 12.0), Run("bench-scale", FAILED, 5.0, "exit 2, see log"),
            Run("bench-staff", MISSING), Run("bench-ora2", OK, 30.0), Run("bench-load", OK, 150.0)]


def test_rows_in_target_order_without_failed_benches(tmp_path):
    rows = bench_all.read_results(tmp_path, _samples(tmp_path))
    assert [row["bench"] for row in rows] == ["distribution", "ora2", "load", "load", "extra"]
    assert rows[0] == {"bench": "distribution", "metric": "assign_reviewers n=1000 k=4", "value": 0.0012,
                       "unit": "s", "target": None}
    assert "unreadable ora2.json" in rows[1]["metric"] and rows[1]["value"] is None
    assert all(row["bench"] != "scale" for row in rows)


def test_a_skipped_target_keeps_its_earlier_numbers(tmp_path):
    _write(tmp_path, "load", [{"metric": "load: errors", "value": 0, "unit": "count", "target": "0"}])
    rows = bench_all.read_results(tmp_path, [Run("bench-load", SKIPPED)])
    assert [row["metric"] for row in rows] == ["load: errors"]


def test_text_and_markdown_tables(tmp_path):
    runs = _samples(tmp_path)
    rows = bench_all.read_results(tmp_path, runs)
    text = bench_all.render_text(INFO, runs, rows)
    assert text.splitlines()[0] == ("bench-all: 2026-12-02 14:00 UTC, commit abc1234, 2 cores "
                                    "(load average 1.00, 2.00, 3.00 at the end), Python 3.12.1")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "make bench-staff no such target" in lines
    assert "make bench-scale failed 5 s exit 2, see log" in lines
    throughput = next(line for line in text.splitlines() if "load: throughput" in line)
    assert throughput.split() == ["load", "load:", "throughput", "12.5", "req/s"]
    markdown = bench_all.render_markdown(INFO, runs, rows)
    assert markdown.startswith("`make bench-all` on 2026-12-02 14:00 UTC, commit `abc1234`, 2 cores")
    assert "| `bench-scale` | failed (exit 2, see log) | 5 s |" in markdown
    assert "| `bench-staff` | no such target |  |" in markdown
    assert "| load | load: errors | 0 | count | 0 |" in markdown
    assert "| distribution | assign_reviewers n=1000 k=4 | 0.001 | s |  |" in markdown


def test_values_as_the_table_shows_them():
    assert [bench_all.format_value(v) for v in (None, 0, 12, 12.0, 0.00123, 3.14159, 1234.56, 40000)] == \
        ["—", "0", "12", "12", "0.001", "3.142", "1,234.6", "40,000"]


def test_a_missing_target_is_reported_not_run(tmp_path):
    assert bench_all.target_exists("bench")
    assert not bench_all.target_exists("bench-no-such-thing")
    run = bench_all.run_target("bench-no-such-thing", tmp_path / "logs", tmp_path)
    assert run.status == MISSING and not (tmp_path / "logs").exists()


def test_locustfile_mix_and_requests(tmp_path):
    """The 70/20/10 mix as locust schedules it, and what each task sends (in a process of its own:
    importing locust patches the standard library for gevent)."""
    if importlib.util.find_spec("locust") is None:
        service_missing("locust (make install-bench)")
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"usage_id": "u.crosscheck.d0.u0", "learners": ["learner0000"],
                                 "reviews": {"learner0000": ["a" * 24, "b" * 24]},
                                 "items": {"c1": 1, "c2": 1, "p1": 0}}), encoding="utf-8")
    script = """
import collections, json, sys
sys.path.insert(0, "bench")
import locustfile
names = collections.Counter(task.__name__ for task in locustfile.Learner.tasks)
sent = []
class Client:
    def post(self, url, data, headers, name):
        sent.append((name, url, json.loads(data), headers["Cookie"].split("=")[1] == headers["X-CSRFToken"]))
user = locustfile.Learner.__new__(locustfile.Learner)
user.client = Client()
user.on_start()
user.get_state(); user.save_draft(); user.submit_review()
print(json.dumps({"weights": names, "sent": sent}))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env={"BENCH_LOAD_SETUP": str(setup), "PATH": "/usr/bin:/bin"}, check=True, timeout=120)
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["weights"] == {"get_state": 7, "save_draft": 2, "submit_review": 1}
    state, draft, review = out["sent"]
    assert state == ["get_state", "/handler/u.crosscheck.d0.u0/get_state/?student=learner0000", {}, True]
    assert draft[0] == "save_draft" and draft[2]["form"] in ("a" * 24, "b" * 24)
    assert review[0] == "submit_review" and review[2]["items"] == {"c1": 1, "c2": 1, "p1": 0}
    assert review[2]["review_id"] in ("a" * 24, "b" * 24) and review[2]["comment"]
