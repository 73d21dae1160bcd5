"""A warning is stored as its kind and numbers; its sentence is written when it is read.

The migration that dropped the stored sentence gave existing warnings the numbers it needs."""
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.models import LearnerWarning
from crosscheck_xblock.services.warnings import warning_text

from ..factories import CLOSES, DEADLINE, complete, full_items, make_task, start, task

BEFORE = [("crosscheck_xblock", "0004_appeals_and_warnings")]
AFTER = [("crosscheck_xblock", "0005_service_edges")]


@pytest.mark.db
@pytest.mark.django_db
def test_a_recheck_warning_is_numbers_and_its_sentence_follows_them():
    make_task("words", 4, k=3, warning_rule="none", comment_rule="none")  # about warnings, not comments
    start("words", DEADLINE)
    current = task("words")
    for name in ("w000", "w001", "w002", "w003"):
        for review in services.learner_state(current, anonymous_id(name), DEADLINE)["reviews"]:
            services.submit_review(current, anonymous_id(name), review["id"], {"items": full_items(current, 0.2)},
                                   DEADLINE + timedelta(minutes=1))
    complete("words", CLOSES)
    work_id = services.staff_appeals(task("words"), CLOSES)["candidates"][0]["work_id"]
    services.staff_recheck(task("words"), work_id, {"items": full_items(current, 1.0)}, "staff", CLOSES)
    warnings = list(LearnerWarning.objects.filter(kind=LearnerWarning.APPEAL_REVIEW))
    assert len(warnings) == 3
    detail = warnings[0].detail
    assert {"work_position", "review_total", "recheck_total", "limit", "max_score"} <= set(detail)
    assert not hasattr(warnings[0], "message")
    text = warning_text(warnings[0].kind, detail)
    assert text.startswith(f"Course staff re-checked Work {detail['work_position']}, which you reviewed: "
                           "your review gave 20 of 100, the re-check 100, more than 15 points apart")
    # Reworded when read: the same row with other numbers reads differently.
    assert warning_text(warnings[0].kind, {**detail, "review_total": 30}) != text


@pytest.mark.db
@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_old_warnings_their_numbers_and_each_task_a_seed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        task_model, work_model = old.get_model("crosscheck_xblock", "Task"), old.get_model("crosscheck_xblock", "Work")
        tasks = [task_model.objects.create(usage_key=f"old-{i}", course_id="c", config={"max_score": 60})
                 for i in range(2)]
        author, reviewer = (work_model.objects.create(task=tasks[0], student_id=s, url="https://x.example.org/",
                                                      submission_uuid="u", submitted_at=CLOSES, updated_at=CLOSES)
                            for s in ("author", "reviewer"))
        old.get_model("crosscheck_xblock", "Assignment").objects.create(
            task=tasks[0], reviewer=reviewer, work=author, position=3, reviewer_number=1, token="t")
        old.get_model("crosscheck_xblock", "LearnerWarning").objects.create(
            task=tasks[0], work=reviewer, kind="outlier_review", message="the old sentence", created_at=CLOSES,
            detail={"rule": "fixed", "reviewed_work_id": author.pk, "reviewer_number": 1, "points": 10.0,
                    "others_median": 50.0, "limit": 9.0, "excluded": True})
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        warning = new.get_model("crosscheck_xblock", "LearnerWarning").objects.get()
        assert warning.detail["work_position"] == 3 and warning.detail["max_score"] == 60
        assert warning_text("outlier_review", warning.detail).startswith("Your review of Work 3 gave 10 of 60")
        seeds = set(new.get_model("crosscheck_xblock", "Task").objects.values_list("seed", flat=True))
        assert len(seeds) == 2
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
