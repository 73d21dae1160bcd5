"""The staff pages at 10,000 works (issue 15): server time and query count of staff_overview (the
first page, a sorted and searched page), staff_analytics, staff_appeals and each CSV export, and
a learner's get_state at 12 and at 10,000 works.

Runs the real handlers through the workbench runtime (Django test client) on a throwaway SQLite
database, or on MariaDB with CROSSCHECK_DB=mariadb (a database of its own,
`<CROSSCHECK_DB_NAME or crosscheck>_bench_staff`, dropped and made again). The works, their
reviews (nine in ten assignments submitted) and a few hundred appeals are seeded in bulk as a data
import would; the grades are the block's own (services.grading.compute_grades), saved without the
gradebook writes. Prints a table and writes var/bench/staff.json; asserts nothing.
    python bench/bench_staff.py [N]
"""
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "workbench"), str(ROOT)]
TMP = tempfile.mkdtemp(prefix="crosscheck-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")
os.environ["CROSSCHECK_VAR_DIR"] = TMP
MARIADB = os.environ.get("CROSSCHECK_DB") == "mariadb"
if MARIADB:
    os.environ["CROSSCHECK_DB_NAME"] = os.environ.get("CROSSCHECK_DB_NAME", "crosscheck") + "_bench_staff"
else:
    os.environ["WORKBENCH_DATABASES"] = json.dumps(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{TMP}/bench.db"}})

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workbench.scenarios import SCENARIOS, add_xml_scenario  # noqa: E402

from cc_workbench.services import anonymous_id  # noqa: E402
from crosscheck_xblock import clock, schedule, services  # noqa: E402
from crosscheck_xblock.checklist import review_total  # noqa: E402
from crosscheck_xblock.models import Appeal, Assignment, ChecklistVersion, Grade, Review, Task, Work  # noqa: E402
from crosscheck_xblock.services.exports import CHUNK  # noqa: E402
from crosscheck_xblock.services.grading import compute_grades  # noqa: E402

RUNS = 5
ANALYTICS_TARGET_MS = 2000
APPEALS = 300
rows = []  # the JSON's rows


def record(metric, value, unit, target=None):
    """One number for the table and var/bench/staff.json."""
    rows.append({"metric": metric, "value": round(value, 1) if isinstance(value, float) else value, "unit": unit,
                 "target": target})
    print(f"  {metric}: {rows[-1]['value']} {unit}", flush=True)


def measure(client, url, body=None, runs=RUNS):
    """(median ms, queries, last response) of one JSON handler call, `runs` times."""
    times, queries, response = [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, data=json.dumps(body or {}), content_type="application/json")
            content = response.content
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, content[:500]
        queries = len(captured)
    return statistics.median(times), queries, response


def new_block(k):
    name = f"bench-{uuid.uuid4().hex[:8]}"
    add_xml_scenario(name, name, f'<crosscheck reviews_per_work="{k}" max_score="100"/>')
    return SCENARIOS[name].usage_id


def seed(client, n, k=4, seed_reviews=True):
    """A block with n works, distributed; nine in ten assignments reviewed. → (usage id, task)."""
    usage_id = new_block(k)
    client.post(f"/handler/{usage_id}/get_state/?student=u0", data="{}", content_type="application/json")
    task = services.find_task(usage_id)
    now = clock.now()
    with transaction.atomic():  # one commit, not 10,000 (SQLite syncs on every commit)
        Work.objects.bulk_create(
            [Work(task_id=task.id, student_id=anonymous_id(f"u{i}"), url=f"https://u{i}.example.org/",
                  submission_uuid=uuid.uuid4().hex, submitted_at=now, updated_at=now, username=f"u{i}")
             for i in range(n)], batch_size=2000)
    services.start_cross_check(task, clock.now())
    if seed_reviews:
        _reviews(task, now)
    return usage_id, services.find_task(usage_id)


def _reviews(task, now):
    """Nine in ten assignments get one submitted review with random points."""
    rng = random.Random(15)
    checklist, max_score = task.settings.checklist, task.settings.max_score
    version = ChecklistVersion.objects.filter(task_id=task.id).order_by("-number").values_list("pk", flat=True)[0]
    done, reviews = [], []
    for assignment_id in Assignment.objects.filter(task_id=task.id).values_list("pk", flat=True):
        if rng.random() < 0.1:
            continue
        items = {item.id: (rng.choice([0, 0.5, 1]) if item.type == "subtask" else int(rng.random() < 0.1))
                 for item in checklist.scored_items}
        reviews.append(Review(assignment_id=assignment_id, items=items, total=review_total(checklist, items, max_score),
                              checklist_version_id=version, created_at=now, comment="Seeded review."))
        done.append(assignment_id)
    with transaction.atomic():
        Review.objects.bulk_create(reviews, batch_size=2000)
        for start in range(0, len(done), 2000):
            Assignment.objects.filter(pk__in=done[start:start + 2000]).update(submitted_at=now)


def complete(task, now):
    """The block's grades of the task (services.grading), saved without the gradebook writes, the
    task marked completed, and APPEALS pending appeals."""
    grades, _warnings = compute_grades(task, now)
    first_item = task.settings.checklist.scored_items[0].id
    with transaction.atomic():
        Grade.objects.bulk_create(grades, batch_size=2000)
        Task.objects.filter(pk=task.id).update(status=schedule.COMPLETED, completed_at=now)
        works = list(Work.objects.filter(task_id=task.id).order_by("pk").values_list("pk", flat=True)[:APPEALS])
        Appeal.objects.bulk_create([Appeal(work_id=work_id, origin=Appeal.LEARNER, status=Appeal.PENDING,
                                           reason="Seeded appeal.", items=[first_item], created_at=now)
                                    for work_id in works])


def export_download(client, url):
    """One export as a browser gets it: the handler's redirect, then the download link's stream read
    piece by piece and dropped, as a WSGI server writes it out. → (ms to the first piece, ms in
    all, queries, bytes)."""
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        redirect = client.get(url)
        assert redirect.status_code == 302, redirect.content[:500]
        response = client.get(redirect["Location"])
        assert response.status_code == 200 and response.streaming, response
        first, size = None, 0
        for piece in response.streaming_content:
            first = first if first is not None else time.perf_counter()
            size += len(piece)
        end = time.perf_counter()
    return (first - start) * 1000, (end - start) * 1000, len(captured), size


def buffered_memory(task, stream):
    """Peak MB Python allocated when the stream is copied into a plain HttpResponse, as the LMS's
    and xblock-sdk's handler views do with a handler's answer (`webob_to_django_response`): what
    answering the CSV from the handler cost before it redirected to the download link."""
    tracemalloc.start()
    response = HttpResponse(piece.encode("utf-8") for piece in stream(task))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.content
    return peak / 2**20


def measure_export(client, url, runs=3):
    """(median ms to the first byte, median ms in all, queries, CSV MB, peak Python MB while
    streaming) of a staff export through its download link; the memory in a run of its own
    (tracemalloc slows what it traces)."""
    runs = [export_download(client, url) for _ in range(runs)]
    tracemalloc.start()
    export_download(client, url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs), runs[-1][2],
            runs[-1][3] / 2**20, peak / 2**20)


def main(n=10_000):
    """Seed the tasks, time the staff handlers, print the table, write var/bench/staff.json."""
    call_command("migrate", run_syncdb=True, verbosity=0)
    client = Client()
    started = time.perf_counter()
    small_id, small_task = seed(client, 12, k=4)
    usage_id, task = seed(client, n, k=4)
    print(f"setup: 12 and {n} works, k=4, reviews seeded: {time.perf_counter() - started:.1f} s", flush=True)
    base = f"/handler/{usage_id}"
    target_same = "same as at 12 works"

    # A learner's page of the review step: the same queries at 12 and at n works.
    for works, block in ((12, small_id), (n, usage_id)):
        ms, queries, _ = measure(client, f"/handler/{block}/get_state/?student=u1")
        record(f"get_state, {works} works (review step)", queries, "queries", target_same if works == n else None)
        record(f"get_state, {works} works (review step)", ms, "ms")

    pages = [("page 1", {}), ("sorted by reviews received, page 3", {"sort": "reviews_received", "order": "desc",
                                                                      "page": 3}),
             ("searched 'u1', sorted by learner", {"search": "u1", "sort": "learner"})]
    small = {label: measure(client, f"/handler/{small_id}/staff_overview/?student=staff", body)
             for label, body in pages}
    for label, body in pages:
        ms, queries, _ = measure(client, f"{base}/staff_overview/?student=staff", body)
        record(f"staff_overview {label}, 12 works (review step)", small[label][0], "ms")
        record(f"staff_overview {label}, {n} works (review step)", ms, "ms")
        record(f"staff_overview {label}, {n} works (review step)", queries, "queries",
               f"{small[label][1]} (as at 12 works)")

    complete(task, clock.now())
    complete(small_task, clock.now())
    print(f"grades computed and saved, {APPEALS} appeals: {time.perf_counter() - started:.1f} s since the start",
          flush=True)
    for label, body in pages:
        small_ms, small_queries, _ = measure(client, f"/handler/{small_id}/staff_overview/?student=staff", body)
        ms, queries, _ = measure(client, f"{base}/staff_overview/?student=staff", body)
        record(f"staff_overview {label}, 12 works (completed)", small_ms, "ms")
        record(f"staff_overview {label}, {n} works (completed)", ms, "ms")
        record(f"staff_overview {label}, {n} works (completed)", queries, "queries",
               f"{small_queries} (as at 12 works)")
    cpu = time.process_time()
    ms, queries, _ = measure(client, f"{base}/staff_analytics/?student=staff", runs=3)
    record(f"staff_analytics, {n} works", ms, "ms", f"< {ANALYTICS_TARGET_MS} ms")
    # The process's own CPU time per call: on a machine shared with other work the wall time is longer.
    record(f"staff_analytics, {n} works: CPU time", (time.process_time() - cpu) * 1000 / 3, "ms")
    record(f"staff_analytics, {n} works", queries, "queries")
    ms, queries, _ = measure(client, f"{base}/staff_appeals/?student=staff", runs=3)
    record(f"staff_appeals, {n} works, {APPEALS} appeals", ms, "ms")
    record(f"staff_appeals, {n} works, {APPEALS} appeals", queries, "queries")
    # The exports as a browser downloads them: staff_export redirects to the download link, whose
    # answer streams (grades and reviews a chunk of works at a time; the other two made whole).
    for kind in ("grades", "reviews", "best_works", "reviewer_ratings"):
        first, ms, queries, size, peak = measure_export(client, f"{base}/staff_export/?student=staff&kind={kind}")
        record(f"export {kind}, {n} works: first byte", first, "ms")
        record(f"export {kind}, {n} works: streamed in all", ms, "ms")
        record(f"export {kind}, {n} works", queries, "queries",
               f"by chunks of {CHUNK} works" if kind in ("grades", "reviews") else None)
        record(f"export {kind}, {n} works: CSV size", size, "MB")
        record(f"export {kind}, {n} works: peak Python memory while streaming", peak, "MB")
    task = services.find_task(usage_id)
    for kind, stream in (("grades", services.grades_stream), ("reviews", services.reviews_stream)):
        record(f"export {kind}, {n} works: peak Python memory buffered (as a handler's answer)",
               buffered_memory(task, stream), "MB")

    machine = _machine()
    print(f"\nmachine: {machine}")
    width = max(len(row["metric"]) for row in rows)
    for row in rows:
        target = f"  (target: {row['target']})" if row["target"] else ""
        print(f"{row['metric']:<{width}}  {row['value']:>9} {row['unit']}{target}")
    out = ROOT / "var" / "bench" / "staff.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"bench": "staff", "machine": machine, "database": connection.vendor, "works": n,
                               "rows": rows}, indent=1))
    print(f"wrote {out.relative_to(ROOT)}")


def _machine() -> str:
    """The cores, Python and database the numbers were measured with."""
    if connection.vendor == "sqlite":
        database = "SQLite " + ".".join(map(str, connection.Database.sqlite_version_info))
    else:
        database = "MariaDB " + ".".join(map(str, connection.mysql_version))
    # Other work on the machine stretches the wall times: the load average says how much there was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}, "
            f"load average {load}")


def _fresh_mariadb():
    """The bench's own MariaDB database, made anew (it never touches another database)."""
    import MySQLdb  # noqa: PLC0415 - only with CROSSCHECK_DB=mariadb

    name = os.environ["CROSSCHECK_DB_NAME"]
    server = MySQLdb.connect(host=os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1"),
                             port=int(os.environ.get("CROSSCHECK_DB_PORT", "3306")),
                             user=os.environ.get("CROSSCHECK_DB_USER", "root"),
                             password=os.environ.get("CROSSCHECK_DB_PASSWORD", ""))
    cursor = server.cursor()
    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    server.close()


if __name__ == "__main__":
    if MARIADB:
        _fresh_mariadb()
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    finally:
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)  # the SQLite file (the MariaDB one is made anew next run)
