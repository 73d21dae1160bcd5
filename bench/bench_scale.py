"""Grading at MOOC scale on Celery (issue 15): 10,000 learners x 4 reviews, with 1 and 2 workers.

MariaDB (its own database, created fresh and dropped at the end), Redis (a queue of its own),
and real `celery -A cc_celery worker --pool=solo` processes (the workbench's app). For each
worker count: a fresh task with n works (edx-submissions rows bulk-created), the distribution
(timed), every review submitted (bulk-created), then the grading the staff button starts:
`complete_cross_check(fan_out=True)` computes the grades in this process and queues the
gradebook writes as `write_scores` chunks, which the workers write; the grade time runs until
every score is written and the task is `completed`. Prints the numbers and writes
var/bench/scale.json; asserts only that each score was written once.

    CROSSCHECK_DB_NAME=cc_bench_scale BENCH_N=10000 python bench/bench_scale.py

Environment: BENCH_N (10000), BENCH_WORKERS ("1,2"), CROSSCHECK_DB_NAME (crosscheck_bench_scale),
CROSSCHECK_DB_HOST/PORT/USER/PASSWORD, BENCH_REDIS_URL (redis://127.0.0.1:6379/<CROSSCHECK_TEST_REDIS_DB
or 15>), CROSSCHECK_SCORE_CHUNK (500).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "workbench"), str(ROOT)]
TMP = tempfile.mkdtemp(prefix="crosscheck-bench-scale-")
N = int(os.environ.get("BENCH_N", "10000"))
WORKER_COUNTS = [int(part) for part in os.environ.get("BENCH_WORKERS", "1,2").split(",")]
DB_NAME = os.environ.setdefault("CROSSCHECK_DB_NAME", "crosscheck_bench_scale")
BROKER = os.environ.get("BENCH_REDIS_URL",
                        f"redis://127.0.0.1:6379/{os.environ.get('CROSSCHECK_TEST_REDIS_DB', '15')}")
QUEUE = f"crosscheck-bench-scale-{uuid.uuid4().hex[:8]}"
os.environ.update({"DJANGO_SETTINGS_MODULE": "cc_settings", "CROSSCHECK_DB": "mariadb",
                   "CROSSCHECK_CELERY_BROKER": BROKER, "CROSSCHECK_CELERY_QUEUE": QUEUE,
                   "CROSSCHECK_VAR_DIR": TMP})
if "CROSSCHECK_SCORE_CHUNK" in os.environ:
    os.environ["CROSSCHECK_SCORE_CHUNK"] = str(int(os.environ["CROSSCHECK_SCORE_CHUNK"]))


def _server():
    import MySQLdb  # noqa: PLC0415 - before Django: the bench's database must exist first
    return MySQLdb.connect(host=os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1"),
                           port=int(os.environ.get("CROSSCHECK_DB_PORT", "3306")),
                           user=os.environ.get("CROSSCHECK_DB_USER", "root"),
                           passwd=os.environ.get("CROSSCHECK_DB_PASSWORD", ""))


def _database(action: str) -> None:
    """Create the bench's database afresh, or drop it."""
    server = _server()
    cursor = server.cursor()
    cursor.execute(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
    if action == "create":
        cursor.execute(f"CREATE DATABASE `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    server.close()


_database("create")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from submissions import api as submissions_api  # noqa: E402
from submissions.models import Score, StudentItem, Submission  # noqa: E402

import cc_celery  # noqa: E402, F401 - the workbench's Celery app: `.delay` goes to the Redis queue
from crosscheck_xblock import clock, services  # noqa: E402
from crosscheck_xblock.block import DEFAULT_CHECKLIST  # noqa: E402
from crosscheck_xblock.checklist import parse_checklist  # noqa: E402
from crosscheck_xblock.models import Assignment, Grade, Review, Task, Work  # noqa: E402 - bulk data
from crosscheck_xblock.services import lifecycle  # noqa: E402
from crosscheck_xblock.services.submissions import ITEM_TYPE  # noqa: E402

COURSE = "course-v1:Bench+CrossCheck+Scale"
if "CROSSCHECK_SCORE_CHUNK" in os.environ:
    settings.CROSSCHECK_SCORE_CHUNK = int(os.environ["CROSSCHECK_SCORE_CHUNK"])


def config(now) -> dict:
    """A task whose deadline passed and whose review period is still on (so it can start)."""
    checklist = parse_checklist(DEFAULT_CHECKLIST)
    return {"display_name": "Scale", "submission_kind": "any", "reviews_per_work": 4, "max_score": 100,
            "grading_policy": "mean", "submission_due": (now - timedelta(days=1)).isoformat(),
            "review_start": "", "review_due": (now + timedelta(days=1)).isoformat(), "adjustment_days": 0,
            "checklist": checklist.to_rs()}


def seed_works(task, n: int, now) -> None:
    """n learners' works with their edx-submissions rows, bulk-created as a data import would."""
    with transaction.atomic():
        StudentItem.objects.bulk_create(
            [StudentItem(student_id=f"learner{i:05d}", course_id=task.course_id, item_id=task.usage_key,
                         item_type=ITEM_TYPE) for i in range(n)], batch_size=2000)
        items = dict(StudentItem.objects.filter(item_id=task.usage_key).values_list("student_id", "pk"))
        submissions = [Submission(uuid=uuid.uuid4(), student_item_id=items[f"learner{i:05d}"], attempt_number=1,
                                  answer={"url": f"https://learner{i}.example.org/"}, submitted_at=now,
                                  created_at=now) for i in range(n)]
        Submission.objects.bulk_create(submissions, batch_size=2000)
        Work.objects.bulk_create(
            [Work(task_id=task.id, student_id=f"learner{i:05d}", url=f"https://learner{i}.example.org/",
                  submission_uuid=str(submissions[i].uuid), submitted_at=now, updated_at=now,
                  username=f"learner{i:05d}") for i in range(n)], batch_size=2000)


def seed_reviews(task, now) -> int:
    """Every assigned review submitted once (totals spread over 40…100), bulk-created."""
    items = {item.id: 1.0 if item.type == "subtask" else 0 for item in task.settings.checklist.scored_items}
    assignments = list(Assignment.objects.filter(task_id=task.id).values_list("pk", flat=True))
    with transaction.atomic():
        Review.objects.bulk_create(
            [Review(assignment_id=pk, items=items, total=float(40 + pk * 37 % 61), comment="ok",
                    checklist_version_id=task.checklist_version_id, created_at=now) for pk in assignments],
            batch_size=2000)
        Assignment.objects.filter(task_id=task.id).update(submitted_at=now)
    return len(assignments)


def _schedstat(pid: int) -> tuple[float, float]:
    """(CPU seconds, seconds runnable but waiting for a CPU) of a process so far (Linux /proc:
    utime + stime of the process, which keeps its ended threads; the run-queue wait of the threads
    alive now)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    waiting = 0.0
    for thread in Path(f"/proc/{pid}/task").iterdir():
        try:
            waiting += int((thread / "schedstat").read_text().split()[1]) / 1e9
        except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
            continue
    return cpu, waiting


def _row_lock_waits() -> tuple[int, int]:
    """(row lock waits, ms waited for row locks) of the whole MariaDB server so far."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'")
        status = dict(cursor.fetchall())
    return int(status["Innodb_row_lock_waits"]), int(status["Innodb_row_lock_time"])


def _mariadb_pid() -> int | None:
    found = subprocess.run(["pidof", "mariadbd"], capture_output=True, text=True).stdout.split()
    return int(found[0]) if found else None


class Worker:
    """One `celery -A cc_celery worker --pool=solo` process on the bench's queue."""

    def __init__(self, index: int):
        self.log = Path(TMP) / f"worker{index}.log"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "workbench"), str(ROOT)])}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "--workdir", str(ROOT / "workbench"), "-A", "cc_celery", "worker",
             "--pool=solo", "-Q", QUEUE, "-n", f"bench{index}-{uuid.uuid4().hex[:4]}@%h", "--prefetch-multiplier=1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"worker {index} did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def schedstat(self) -> tuple[float, float]:
        """(seconds on a CPU, seconds waiting for one) of the process so far (Linux /proc)."""
        return _schedstat(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def set_score_cost(samples: int = 300) -> float:
    """ms per edx-submissions set_score call alone, in this process (a scratch item)."""
    student = {"student_id": "scratch", "course_id": COURSE, "item_id": "scratch-item", "item_type": ITEM_TYPE}
    uuid_ = submissions_api.create_submission(student, {"url": "https://scratch.example.org/"})["uuid"]
    started = time.perf_counter()
    for i in range(samples):
        with transaction.atomic():  # as gradebook.write_score does: one savepoint per write
            submissions_api.set_score(uuid_, i % 100, 100)
    return (time.perf_counter() - started) * 1000 / samples


def run(workers: int, n: int) -> dict:
    """One grading of n learners with `workers` worker processes; its times in seconds."""
    now = clock.now()
    key = f"block-v1:Bench+Scale+run+type@crosscheck+block@w{workers}-{uuid.uuid4().hex[:6]}"
    task = services.sync_task(key, COURSE, config(now))
    started = time.perf_counter()
    seed_works(task, n, now)
    setup = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    services.start_cross_check(task, now)
    distribute, distribute_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    reviews = seed_reviews(services.find_task(key), now)
    setup += time.perf_counter() - started - distribute
    print(f"  {workers} worker(s): {n} works and {reviews} reviews set up in {setup:.1f} s;"
          f" load average {os.getloadavg()[0]:.2f}", flush=True)
    pool = [Worker(i) for i in range(workers)]
    try:
        load_before = os.getloadavg()[0]
        before = [worker.schedstat() for worker in pool]
        db_pid = _mariadb_pid()
        db_before = _schedstat(db_pid) if db_pid else (0.0, 0.0)
        locks_before = _row_lock_waits()
        started, cpu_started = time.perf_counter(), time.process_time()
        services.complete_cross_check(services.find_task(key), clock.now(), fan_out=True)
        compute, compute_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        while Task.objects.filter(usage_key=key).values_list("status", flat=True).first() != Task.COMPLETED:
            if any(worker.proc.poll() is not None for worker in pool):
                raise SystemExit("a worker died:\n" + "\n".join(w.log.read_text()[-2000:] for w in pool))
            time.sleep(0.05)
        grade = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        after = [worker.schedstat() for worker in pool]
        db_after = _schedstat(db_pid) if db_pid else (0.0, 0.0)
        locks_after = _row_lock_waits()
    finally:
        for worker in pool:
            worker.stop()
    scored = Grade.objects.filter(work__task__usage_key=key, points__isnull=False).count()
    scores = Score.objects.filter(student_item__item_id=key)
    once = scores.count() == scored == scores.values("student_item_id").distinct().count()
    if not once:
        raise SystemExit(f"{workers} worker(s): {scores.count()} Score rows for {scored} grades")
    chunks = sum(worker.log.read_text(errors="replace").count("crosscheck_xblock.write_scores[")
                 for worker in pool) // 2  # "received" and "succeeded"
    cpu = sum(a[0] - b[0] for a, b in zip(after, before))
    starved = sum(a[1] - b[1] for a, b in zip(after, before))
    db_cpu = db_after[0] - db_before[0]
    print(f"  {workers} worker(s): distribute {distribute:.2f} s, grade {grade:.2f} s (compute and queue"
          f" {compute:.2f} s, writes {grade - compute:.2f} s, {chunks} chunks), each score written once;"
          f" load average {load_before:.2f} -> {load_after:.2f}", flush=True)
    print(f"  {workers} worker(s): CPU of this process: distribute {distribute_cpu:.2f} s, compute {compute_cpu:.2f} s",
          flush=True)
    print(f"  {workers} worker(s), per score: {cpu * 1000 / scored:.2f} ms on a CPU in the workers,"
          f" {starved * 1000 / scored:.2f} ms waiting for a CPU, {db_cpu * 1000 / scored:.2f} ms of MariaDB CPU"
          " (the server is shared: other users count too)",
          flush=True)
    waits, waited = locks_after[0] - locks_before[0], locks_after[1] - locks_before[1]
    print(f"  {workers} worker(s): {waits} row lock waits on the server during the grading, {waited} ms in all",
          flush=True)
    return {"distribute": distribute, "grade": grade, "compute": compute, "writes": grade - compute,
            "scores": scored, "worker_cpu": cpu, "starved": starved, "db_cpu": db_cpu,
            "distribute_cpu": distribute_cpu, "compute_cpu": compute_cpu, "lock_waits": waits,
            "lock_wait_ms": waited}


def main() -> None:
    call_command("migrate", run_syncdb=True, verbosity=0)
    cores = os.cpu_count()
    load_start = os.getloadavg()[0]
    chunk = lifecycle.score_chunk_size()
    print(f"bench-scale: {N} learners x 4 reviews, chunks of {chunk}, workers {WORKER_COUNTS}, {cores} cores,"
          f" MariaDB database {DB_NAME}, broker {BROKER} queue {QUEUE}", flush=True)
    print(f"  uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    cost = set_score_cost()
    print(f"  set_score alone: {cost:.2f} ms per call (300 calls, this process)", flush=True)
    results = {workers: run(workers, N) for workers in WORKER_COUNTS}
    rows = [{"metric": "cores", "value": cores, "unit": "", "target": None},
            {"metric": "load average (1 min) at the start", "value": round(load_start, 2), "unit": "",
             "target": None},
            {"metric": "set_score alone", "value": round(cost, 2), "unit": "ms", "target": None}]
    for workers, result in results.items():
        label = f"{workers} worker{'s' if workers > 1 else ''}"
        per_score = result["writes"] * 1000 / result["scores"]
        total = result["distribute"] + result["grade"]
        rows += [
            {"metric": f"distribute {N}, {label}", "value": round(result["distribute"], 2), "unit": "s",
             "target": None},
            {"metric": f"grade {N} (all scores written), {label}", "value": round(result["grade"], 2), "unit": "s",
             "target": None},
            {"metric": f"gradebook writes per score, {label}", "value": round(per_score, 2), "unit": "ms",
             "target": None},
            {"metric": f"worker CPU per score, {label}",
             "value": round(result["worker_cpu"] * 1000 / result["scores"], 2), "unit": "ms", "target": None},
            {"metric": f"workers waiting for a CPU per score, {label}",
             "value": round(result["starved"] * 1000 / result["scores"], 2), "unit": "ms", "target": None},
            {"metric": f"MariaDB CPU per score (shared server), {label}",
             "value": round(result["db_cpu"] * 1000 / result["scores"], 2), "unit": "ms", "target": None},
            {"metric": f"row lock waits during the grading (shared server), {label}",
             "value": result["lock_waits"], "unit": "", "target": None},
            {"metric": f"distribute + grade {N}, {label}", "value": round(total, 2), "unit": "s",
             "target": "< 60 s with 2 workers" if workers == 2 else None},
        ]
    if 1 in results and 2 in results:
        rows += [
            {"metric": "speed-up of the writes, 2 vs 1 workers",
             "value": round(results[1]["writes"] / results[2]["writes"], 2), "unit": "x",
             "target": "> 1 (the writes are no longer serial)"},
            {"metric": "speed-up of the grading, 2 vs 1 workers",
             "value": round(results[1]["grade"] / results[2]["grade"], 2), "unit": "x", "target": None},
        ]
    print()
    width = max(len(row["metric"]) for row in rows)
    for row in rows:
        target = f"   (target {row['target']})" if row["target"] else ""
        print(f"{row['metric']:<{width}}  {row['value']:>9} {row['unit']}{target}")
    out = ROOT / "var" / "bench" / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"bench": "scale", "rows": rows}, indent=1) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        client = redis.Redis.from_url(BROKER)
        client.delete(QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}")
        if not os.environ.get("BENCH_KEEP_DB"):
            _database("drop")
