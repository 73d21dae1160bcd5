"""Build the cross-check that make bench-load loads (run by bench/bench_load.py in a process of its own).

    python bench/load_task.py OUT.json LEARNERS

On a MariaDB database of its own (CROSSCHECK_DB=mariadb, CROSSCHECK_DB_NAME, made anew): migrate,
add the bench's workbench scenario, LEARNERS learners submit their links through the block's
services as the demo's do, the cross-check starts (each learner gets REVIEWS_PER_WORK works to
review) and nine learners in ten send all their reviews, the tenth all but one. Writes what the
simulated learners need: the usage id, the learners, each one's review ids and the checklist's
scored items with full points.
"""
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "workbench"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_bench_settings")

SCENARIO = "cc-bench-load"
REVIEWS_PER_WORK = 4
XML = f'<crosscheck display_name="Load bench" reviews_per_work="{REVIEWS_PER_WORK}"/>'


def learner_name(index: int) -> str:
    """The workbench name (?student=) of the index-th learner."""
    return f"learner{index:04d}"


def review_body(review_id: str, items: dict, variant: int = 0) -> dict:
    """A complete review that loses no points (so the comment rule asks for no item comment)."""
    comments = ("Tidy page, the layout holds on a laptop and on a phone.",
                "Clear structure and readable code; everything on the checklist is there.")
    return {"review_id": review_id, "items": items, "item_comments": {}, "comment": comments[variant % 2],
            "best_work": False}


def create_database(name: str) -> None:
    """Drop and create the bench's own database (nothing of another run or another user is kept)."""
    import MySQLdb  # noqa: PLC0415 - only this process talks to MariaDB before Django

    connection = MySQLdb.connect(host=os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1"),
                                 port=int(os.environ.get("CROSSCHECK_DB_PORT", "3306")),
                                 user=os.environ.get("CROSSCHECK_DB_USER", "root"),
                                 passwd=os.environ.get("CROSSCHECK_DB_PASSWORD", ""))
    cursor = connection.cursor()
    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()


def build(out: Path, learners: int) -> dict:
    """Make the task and write the learners' part of it to `out`."""
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415
    from workbench.scenarios import SCENARIOS, add_xml_scenario  # noqa: PLC0415

    from cc_workbench.services import anonymous_id  # noqa: PLC0415
    from crosscheck_xblock import clock, services  # noqa: PLC0415

    started = time.perf_counter()
    call_command("migrate", run_syncdb=True, verbosity=0)
    add_xml_scenario(SCENARIO, SCENARIO, XML)
    usage_id = SCENARIOS[SCENARIO].usage_id
    task = WorkbenchRuntime("staff").get_block(usage_id).live_task()  # the sync a page view does
    now = clock.now()
    names = [learner_name(i) for i in range(learners)]
    for name in names:
        services.submit_work(task, anonymous_id(name), f"https://{name}.example.org/", now, username=name)
    services.start_cross_check(task, now)
    task = services.find_task(usage_id)
    reviews, items = {}, None
    for name in names:
        state = services.learner_state(task, anonymous_id(name), now)
        reviews[name] = [review["id"] for review in state["reviews"]]
        if items is None:
            items = {item["id"]: (1 if item["type"] == "subtask" else 0)
                     for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
    # Most reviews are in when a grading runs: nine learners in ten have sent all of theirs, the
    # tenth all but the last (the load's submit_review sends it, or changes a sent one).
    for index, name in enumerate(names):
        for review_id in reviews[name][:-1] if index % 10 == 0 else reviews[name]:
            services.submit_review(task, anonymous_id(name), review_id, review_body(review_id, items, index), now)
    data = {"usage_id": usage_id, "scenario": [SCENARIO, XML], "learners": names, "reviews": reviews,
            "items": items, "reviews_per_work": REVIEWS_PER_WORK, "setup_seconds": time.perf_counter() - started}
    out.write_text(json.dumps(data), encoding="utf-8")
    return data


if __name__ == "__main__":
    create_database(os.environ.get("CROSSCHECK_DB_NAME", "cc_bench_load"))
    result = build(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"task: {len(result['learners'])} learners x {REVIEWS_PER_WORK} reviews in {result['setup_seconds']:.1f} s")
