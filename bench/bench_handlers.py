"""Server time and query count of get_state and submit_review with 10,000 works in one block.

Runs the real handlers through the workbench runtime (Django test client) on a throwaway SQLite
database (or MariaDB with CROSSCHECK_DB=mariadb). Prints numbers; asserts nothing.
    python bench/bench_handlers.py [N]
"""
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "workbench"), str(ROOT)]
TMP = tempfile.mkdtemp(prefix="crosscheck-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")
os.environ["CROSSCHECK_VAR_DIR"] = TMP
if os.environ.get("CROSSCHECK_DB") != "mariadb":
    os.environ["WORKBENCH_DATABASES"] = json.dumps(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{TMP}/bench.db"}})

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from results import row, write_results  # noqa: E402 - bench/results.py, beside this file
from submissions import api as submissions_api  # noqa: E402
from workbench.scenarios import SCENARIOS, add_xml_scenario  # noqa: E402

from cc_workbench.services import anonymous_id  # noqa: E402
from crosscheck_xblock import clock, services  # noqa: E402
from crosscheck_xblock.models import Work  # noqa: E402 - seeds 10,000 works as a data import would
from crosscheck_xblock.services.submissions import student_item  # noqa: E402


def measure(client, url, body, repeat=20):
    """(median ms, queries) of POSTing body to url."""
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, data=json.dumps(body()), content_type="application/json")
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
        queries = len(captured)
    return statistics.median(times), queries


def _works(task, n, now):
    """n works with real edx-submissions rows, so the grading at the end can set_score them."""
    works = []
    for i in range(n):
        student = student_item(task, anonymous_id(f"u{i}"))
        url = f"https://u{i}.example.org/"
        uuid_ = submissions_api.create_submission(student, {"url": url})["uuid"]
        works.append(Work(task_id=task.id, student_id=student["student_id"], url=url, submission_uuid=uuid_,
                          submitted_at=now, updated_at=now, username=f"u{i}"))
    return works


def main(n=10_000):
    """Fill one block with n works, distribute, and time the two hot handlers."""
    call_command("migrate", run_syncdb=True, verbosity=0)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    add_xml_scenario(name, name, '<crosscheck reviews_per_work="4"/>')
    usage_id = SCENARIOS[name].usage_id
    client = Client()
    base = f"/handler/{usage_id}"
    client.post(f"{base}/get_state/?student=u0", data="{}", content_type="application/json")
    task = services.find_task(usage_id)
    now = clock.now()
    started = time.perf_counter()
    with transaction.atomic():  # one commit, not 10,000 (SQLite syncs on every commit)
        Work.objects.bulk_create(_works(task, n, now), batch_size=2000)
    print(f"setup: {n} works in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    services.start_cross_check(task, clock.now())
    distributed = time.perf_counter() - started
    print(f"start_cross_check n={n} k=4: {distributed:.2f} s (distribution + {4 * n} assignments)")
    rows = [row(f"start_cross_check n={n} k=4", round(distributed, 2), "s")]

    state = json.loads(client.post(f"{base}/get_state/?student=u1", data="{}",
                                   content_type="application/json").content)
    items = {item["id"]: (1 if item["type"] == "subtask" else 0)
             for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
    review = {"review_id": state["reviews"][0]["id"], "items": items, "comment": "fine"}
    for handler, body in (("get_state", lambda: {}), ("submit_review", lambda: review)):
        ms, queries = measure(client, f"{base}/{handler}/?student=u1", body)
        print(f"{handler} with {n} works: {ms:.1f} ms median, {queries} queries")
        rows += [row(f"{handler} with {n} works (median)", round(ms, 1), "ms"),
                 row(f"{handler} with {n} works: queries", queries, "count")]
    started = time.perf_counter()
    services.complete_cross_check(services.find_task(usage_id), clock.now())
    graded = time.perf_counter() - started
    print(f"complete_cross_check n={n}: {graded:.2f} s")
    rows.append(row(f"complete_cross_check n={n}", round(graded, 2), "s"))
    write_results("handlers", rows)  # for make bench-all


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
