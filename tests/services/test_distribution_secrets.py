"""Who reviews whom cannot be recomputed from public facts, and the pseudonyms tell nothing.

The distribution's seed is a secret random value of each task (it was the public usage key), and
"Reviewer N" is drawn at random per work, not given in the order the reviewers submitted."""
from collections import defaultdict

import pytest

from crosscheck_xblock.models import Assignment, Task

from ..factories import DEADLINE, make_task, start

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def plan_of(key: str) -> set[tuple[str, str]]:
    rows = Assignment.objects.filter(task__usage_key=key).values_list("reviewer__student_id", "work__student_id")
    return set(rows)


def test_each_task_has_its_own_secret_seed():
    for key in ("seed-a", "seed-b"):
        make_task(key, 12, k=3)
        start(key, DEADLINE)
    seeds = list(Task.objects.values_list("seed", flat=True))
    assert len(set(seeds)) == 2 and all(len(seed) == 32 for seed in seeds)
    assert all(seed not in key for seed in seeds for key in ("seed-a", "seed-b"))
    # The same learners, the same k: two tasks still get different plans.
    assert plan_of("seed-a") != plan_of("seed-b")


def test_reviewer_numbers_do_not_follow_submission_order():
    make_task("numbers", 40, k=4)
    start("numbers", DEADLINE)
    reviewers = defaultdict(list)
    for work_id, reviewer_id, number in (Assignment.objects.filter(task__usage_key="numbers")
                                         .values_list("work_id", "reviewer_id", "reviewer_number")):
        reviewers[work_id].append((number, reviewer_id))
    in_order = sum(1 for rows in reviewers.values()
                   if [reviewer for _, reviewer in sorted(rows)] == sorted(reviewer for _, reviewer in rows))
    # Work ids (and so reviewer ids) follow submission order. By chance 1 work in 24 (4!) keeps
    # that order; before, every work did.
    assert in_order <= 10, f"{in_order} of 40 works number their reviewers in submission order"
    assert all(sorted(number for number, _ in rows) == [1, 2, 3, 4] for rows in reviewers.values())
