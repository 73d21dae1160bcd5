"""The workbench under load: simulated learners on gunicorn and MariaDB, then the grading (make bench-load).

1. bench/load_task.py builds a cross-check under review on a MariaDB database of its own
   (CROSSCHECK_DB_NAME, default cc_bench_load, dropped and made anew): LEARNERS learners, each
   with REVIEWS_PER_WORK works to review.
2. gunicorn (WORKERS sync workers, --preload) serves the workbench (workbench/cc_wsgi.py, settings
   cc_bench_settings: DEBUG off) on a free port of 127.0.0.1.
3. locust, as a library, runs USERS simulated learners (bench/locustfile.py: get_state 70 %,
   save_draft 20 %, submit_review 10 %, a think time between two actions) for SECONDS.
4. Still under that load, course staff press "compute grades now" (staff_complete); once it has
   answered, the learners stop.

Prints the throughput, p50/p95/p99 per handler (exact, from every request's time), the errors
(any answer that is not 2xx; only a review refused with `review_closed` after the grading was
sent is expected and counted apart), the lock refusals (`busy`: a deadlock or lock wait the block
answered 409) and the deadlocks (MariaDB's latest detected deadlock naming this database, new
since the start, and error 1213 in the server's logs). Writes var/bench/load.json.

    python bench/bench_load.py
Environment: BENCH_LOAD_SECONDS (60), BENCH_LOAD_USERS (200), BENCH_LOAD_LEARNERS (240),
BENCH_LOAD_WORKERS (gunicorn workers, 2 x cores + 1), BENCH_LOAD_WAIT (think time, "3,10" s).
Only 127.0.0.1 is ever sent a request; the load stops by itself.
"""
# locust patches the standard library for gevent when it is imported: first, before anything
# else opens sockets or threads.
from locust import events  # isort: skip
from locust.env import Environment  # isort: skip

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import gevent
import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import locustfile  # noqa: E402
from results import row, write_results  # noqa: E402

HANDLERS = ("get_state", "save_draft", "submit_review")
# What a review sent after the grading may get: the period closed, or, in the adjustment period
# after it, only points may change.
EXPECTED_AFTER_END = {"review_closed", "adjustment_points_only"}
DEADLOCK = re.compile(r"1213|Deadlock found", re.IGNORECASE)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The share-th quantile (0 < share < 1) of values, linear between neighbours; nan when empty."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def classify(records: list[dict], complete_sent: float) -> dict:
    """Errors, expected refusals after the grading was sent, and lock refusals, of every request."""
    errors, after_end, busy = [], 0, 0
    for record in records:
        if 200 <= record["status"] < 300:
            continue
        if (record["start"] >= complete_sent and record["status"] == 409
                and record["code"] in EXPECTED_AFTER_END):
            after_end += 1
            continue
        errors.append(record)
        if record["code"] == "busy":
            busy += 1
    return {"errors": errors, "after_end": after_end, "busy": busy}


def summarize(records: list[dict], window: tuple[float, float]) -> dict:
    """Per handler: count, p50/p95/p99 (ms) of the requests started in window; the throughput
    (answers that came back in window, per second: what the server served, whenever asked)."""
    start, end = window
    inside = [record for record in records if start <= record["start"] < end]
    served = sum(1 for record in records if start <= record["start"] + record["ms"] / 1000 < end)
    handlers = {}
    for name in HANDLERS:
        times = sorted(record["ms"] for record in inside if record["name"] == name)
        handlers[name] = {"count": len(times), "p50": percentile(times, 0.50),
                          "p95": percentile(times, 0.95), "p99": percentile(times, 0.99)}
    return {"requests": len(inside), "served": served, "seconds": end - start,
            "throughput": served / (end - start) if end > start else 0.0, "handlers": handlers}


class Mariadb:
    """The few server-wide readings the bench takes (deadlock detection), not through Django."""

    def __init__(self, database: str):
        import MySQLdb  # noqa: PLC0415

        self.database = database
        self.connection = MySQLdb.connect(host=os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1"),
                                          port=int(os.environ.get("CROSSCHECK_DB_PORT", "3306")),
                                          user=os.environ.get("CROSSCHECK_DB_USER", "root"),
                                          passwd=os.environ.get("CROSSCHECK_DB_PASSWORD", ""))

    def latest_deadlock(self) -> str:
        """The LATEST DETECTED DEADLOCK section of SHOW ENGINE INNODB STATUS ('' when none)."""
        cursor = self.connection.cursor()
        cursor.execute("SHOW ENGINE INNODB STATUS")
        status = cursor.fetchone()[2]
        match = re.search(r"LATEST DETECTED DEADLOCK\n-+\n(.*?)\n-{8,}\n[A-Z ]+\n-{8,}", status, re.DOTALL)
        return match.group(1) if match else ""

    def deadlocks_counter(self) -> int:
        """Innodb_deadlocks: every deadlock on the server since it started (shared by every database)."""
        cursor = self.connection.cursor()
        cursor.execute("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")
        found = cursor.fetchone()
        return int(found[1]) if found else 0


def build_task(env: dict, out: Path, learners: int) -> dict:
    """bench/load_task.py in a process of its own (Django there, gevent here)."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "load_task.py"), str(out), str(learners)],
                   env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn serving the workbench; returns once it answers."""
    command = [sys.executable, "-m", "gunicorn", "--pythonpath", str(ROOT / "workbench"), "--preload",
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "300",
               "--no-control-socket", "--error-logfile", str(log),
               # Each request's time inside a worker (from its accept to the last byte), apart from
               # the wait in front of the workers that the learners' times include.
               "--access-logfile", str(log.with_name("access.log")), "--access-logformat", "%(U)s %(s)s %(D)s",
               "cc_wsgi:application"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer within 120 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop) to the master this bench started, then wait."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def staff_complete(base_url: str, usage_id: str) -> tuple[int, float, dict]:
    """POST staff_complete as course staff: (status, ms, answer)."""
    token = "c" * 32
    started = time.perf_counter()
    response = requests.post(f"{base_url}/handler/{usage_id}/staff_complete/?student=staff", data="{}",
                             headers={"Content-Type": "application/json", "Cookie": f"csrftoken={token}",
                                      "X-CSRFToken": token}, timeout=600)
    ms = (time.perf_counter() - started) * 1000
    try:
        answer = response.json()
    except ValueError:
        answer = {"body": response.text[:300]}
    return response.status_code, ms, answer


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU seconds used so far by the gunicorn workers (the master's children)."""
    total = 0.0
    for worker in psutil.Process(server.pid).children():
        try:
            times = worker.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def run_load(base_url: str, users: int, seconds: float, complete, cpu=lambda: 0.0) -> tuple[list[dict], dict]:
    """locust's local runner: users learners for seconds, then complete() under the same load;
    every request recorded (name, start, ms, status, code)."""
    records = []

    def on_request(name, response_time, response=None, start_time=None, **_kwargs):
        status = getattr(response, "status_code", 0) or 0
        code = None
        if not 200 <= status < 300:
            try:
                code = response.json().get("code")
            except Exception:  # noqa: BLE001 - a body that is not our JSON: keep the status only
                code = None
        records.append({"name": name, "start": start_time, "ms": response_time, "status": status, "code": code})

    environment = Environment(user_classes=[locustfile.Learner], events=events, host=base_url)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    marks = {"start": time.time()}
    spawn_rate = max(1.0, users / 10)  # every learner on within 10 s
    runner.start(users, spawn_rate=spawn_rate)
    gevent.sleep(users / spawn_rate)
    marks["spawned"] = time.time()
    marks["cpu_spawned"] = cpu()
    gevent.sleep(max(0.0, seconds - (marks["spawned"] - marks["start"])))
    marks["complete_sent"] = time.time()
    marks["cpu_complete_sent"] = cpu()
    marks["complete"] = complete()
    marks["complete_done"] = time.time()
    runner.quit()
    environment.events.request.remove_listener(on_request)
    return records, marks


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Per handler, the ms each request spent inside a worker (gunicorn's access log, %(D)s)."""
    times = {}
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0].startswith("/handler/"):
                handler = parts[0].rstrip("/").rsplit("/", 1)[-1]
                times.setdefault(handler, []).append(int(parts[2]) / 1000)
    return {name: sorted(values) for name, values in times.items()}


def log_deadlocks(*paths: Path) -> int:
    """Lines of the server's logs that report MariaDB error 1213."""
    count = 0
    for path in paths:
        if path.exists():
            count += sum(1 for line in path.read_text(errors="replace").splitlines() if DEADLOCK.search(line))
    return count


def main() -> dict:
    """Build, serve, load, grade, print; returns the numbers."""
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 60))
    users = _env_int("BENCH_LOAD_USERS", 200)
    learners = max(users, _env_int("BENCH_LOAD_LEARNERS", 240))
    cores = os.cpu_count() or 1
    workers = _env_int("BENCH_LOAD_WORKERS", 2 * cores + 1)
    database = os.environ.get("CROSSCHECK_DB_NAME", "cc_bench_load")
    run_dir = ROOT / "var" / "bench" / "load"
    run_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CROSSCHECK_DB": "mariadb", "CROSSCHECK_DB_NAME": database,
           "CROSSCHECK_VAR_DIR": str(run_dir), "DJANGO_SETTINGS_MODULE": "cc_bench_settings"}
    for stale in ("workbench.log", "gunicorn.log", "access.log"):
        (run_dir / stale).unlink(missing_ok=True)

    setup_path = run_dir / "setup.json"
    task = build_task(env, setup_path, learners)
    os.environ["BENCH_LOAD_SETUP"] = str(setup_path)
    env["CROSSCHECK_EXTRA_SCENARIO"] = json.dumps(task["scenario"])
    mariadb = Mariadb(database)
    deadlock_before, counter_before = mariadb.latest_deadlock(), mariadb.deadlocks_counter()

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(env, port, workers, run_dir / "gunicorn.log")
    try:
        print(f"load: {users} learners of {learners} ({task['reviews_per_work']} reviews each) on gunicorn "
              f"({workers} sync workers, {cores} cores) + MariaDB for {seconds:g} s, think time "
              f"{locustfile.WAIT[0]:g}-{locustfile.WAIT[1]:g} s; then staff_complete under the load", flush=True)
        records, marks = run_load(base_url, users, seconds, lambda: staff_complete(base_url, task["usage_id"]),
                                  cpu=lambda: server_cpu_seconds(server))
    finally:
        stop_server(server)

    deadlock_after, counter_after = mariadb.latest_deadlock(), mariadb.deadlocks_counter()
    new_deadlock = deadlock_after != deadlock_before and database in deadlock_after
    logged = log_deadlocks(run_dir / "gunicorn.log", run_dir / "workbench.log")
    deadlocks = max(int(new_deadlock), logged)
    status, complete_ms, answer = marks["complete"]
    outcome = classify(records, marks["complete_sent"])
    load = summarize(records, (marks["spawned"], marks["complete_sent"]))
    during = summarize(records, (marks["complete_sent"], marks["complete_done"]))
    cpu_ms = 1000 * (marks["cpu_complete_sent"] - marks["cpu_spawned"]) / max(1, load["served"])
    think = sum(locustfile.WAIT) / 2
    inside = server_times(run_dir / "access.log")
    errors = outcome["errors"] + ([{"name": "staff_complete", "status": status, "code": answer.get("code")}]
                                  if not 200 <= status < 300 else [])

    print(f"\nsteady load ({load['seconds']:.0f} s after the ramp-up): {load['requests']} requests sent, "
          f"{load['served']} answered, {load['throughput']:.1f} req/s (the learners would send about "
          f"{users / think:.0f} req/s with a "
          f"{think:g} s mean think time and instant answers); gunicorn workers' CPU {cpu_ms:.0f} ms per request, "
          f"MariaDB's apart")
    print(f"  {'handler':<15}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, numbers in load["handlers"].items():
        print(f"  {name:<15}{numbers['count']:>7}{numbers['p50']:>9.1f}{numbers['p95']:>9.1f}{numbers['p99']:>9.1f}")
    print("  time inside a worker, the whole run (the rest of the above is the wait in front of the workers):")
    for name in HANDLERS:
        values = inside.get(name, [])
        print(f"  {name:<15}{len(values):>7}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}"
              f"{percentile(values, 0.99):>9.1f}")
    complete_inside = (inside.get("staff_complete") or [float("nan")])[-1]
    graded = (answer.get("result") or {}).get("message", "") if isinstance(answer, dict) else ""
    print(f"staff_complete under the load: HTTP {status} in {complete_ms:.0f} ms ({complete_inside:.0f} ms inside "
          f"a worker) {graded}".rstrip())
    print(f"  meanwhile {during['requests']} requests; get_state p95 "
          f"{during['handlers']['get_state']['p95']:.1f} ms")
    print(f"errors (not 2xx): {len(errors)} (target 0)" + "".join(
        f"\n  {error['name']}: HTTP {error['status']} {error.get('code') or ''}" for error in errors[:10]))
    print(f"  lock refusals (busy): {outcome['busy']}; reviews refused after the grading was sent "
          f"(review_closed, expected): {outcome['after_end']}")
    print(f"deadlocks: {deadlocks} (target 0; InnoDB latest deadlock on {database}: "
          f"{'new' if new_deadlock else 'none new'}, 1213 in the server logs: {logged}; "
          f"server-wide Innodb_deadlocks +{counter_after - counter_before}, every database)")

    rows = [row("load: simulated learners", users, "count"),
            row("load: gunicorn workers", workers, "count"),
            row("load: throughput", round(load["throughput"], 1), "req/s"),
            row("load: server CPU per request (gunicorn workers)", round(cpu_ms, 1), "ms")]
    for name, numbers in load["handlers"].items():
        for key in ("p50", "p95", "p99"):
            rows.append(row(f"load: {name} {key}", round(numbers[key], 1), "ms"))
    for name in HANDLERS:
        for key, share in (("p50", 0.5), ("p95", 0.95)):
            rows.append(row(f"load: {name} {key} inside a worker", round(percentile(inside.get(name, []), share), 1),
                            "ms"))
    rows += [row("load: staff_complete under load", round(complete_ms), "ms"),
             row("load: staff_complete inside a worker", round(complete_inside, 1), "ms"),
             row("load: get_state p95 during staff_complete", round(during["handlers"]["get_state"]["p95"], 1), "ms"),
             row("load: errors", len(errors), "count", "0"),
             row("load: deadlocks", deadlocks, "count", "0")]
    write_results("load", rows)
    return {"load": load, "during": during, "errors": len(errors), "deadlocks": deadlocks,
            "complete_ms": complete_ms, "cpu_ms": cpu_ms, "busy": outcome["busy"], "after_end": outcome["after_end"]}


if __name__ == "__main__":
    main()
