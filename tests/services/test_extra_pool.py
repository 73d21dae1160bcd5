"""The extra-review pool read in SQL (issue 15): the same works as the rule over every open
assignment (services/extras.py `_pool_rows` with extras.in_pool / needs_any), and one query that
hands Python one row (a count, or a LIMIT 1 existence check) whatever the number of works."""
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cc_workbench.services import anonymous_id
from crosscheck_xblock import extras
from crosscheck_xblock.models import Assignment, Draft, Task, Work
from crosscheck_xblock.services import extras as pool
from crosscheck_xblock.services import find_task, start_cross_check

from ..factories import DEADLINE, END, T0, make_task

pytestmark = [pytest.mark.db, pytest.mark.django_db]
MIDDLE = DEADLINE + (END - DEADLINE) / 2


def _scramble(task, rng):
    """Reviews submitted, leases live, run out or without an end, drafts of reviews and
    self-checks, a work with no assignment: every case the rule tells apart."""
    works = list(Work.objects.filter(task_id=task.id).values_list("pk", "student_id"))
    assignments = list(Assignment.objects.filter(task_id=task.id).values_list("pk", flat=True))
    for pk in assignments:
        if rng.random() < 0.45:
            Assignment.objects.filter(pk=pk).update(submitted_at=DEADLINE + timedelta(hours=rng.randint(1, 40)))
    taken = set(Assignment.objects.values_list("reviewer_id", "work_id"))
    positions = {}
    for number in range(len(works) // 2):
        reviewer, work = rng.choice(works)[0], rng.choice(works)[0]
        if reviewer == work or (reviewer, work) in taken:
            continue
        taken.add((reviewer, work))
        positions[reviewer] = positions.get(reviewer, 10) + 1
        # Some run out at one of the moments looked at: a lease ending now holds nothing.
        expires = rng.choice([None, MIDDLE, DEADLINE + timedelta(hours=rng.randint(1, 70))])
        submitted = DEADLINE + timedelta(hours=5) if rng.random() < 0.3 else None
        Assignment.objects.create(task_id=task.id, reviewer_id=reviewer, work_id=work, token=f"x{task.id}-{number}",
                                  extra=True, position=positions[reviewer], reviewer_number=50 + number,
                                  expires_at=expires, submitted_at=submitted)
    for _pk, student_id in rng.sample(works, len(works) // 3):
        form = rng.choice(["token-a", "token-b", Draft.SELF_CHECK])
        Draft.objects.create(task_id=task.id, student_id=student_id, form=form, data={},
                             updated_at=DEADLINE + timedelta(hours=rng.randint(1, 30)))
    late = Work.objects.create(task_id=task.id, student_id=anonymous_id("late"), url="https://late.example.org/",
                               submitted_at=T0, updated_at=T0, submission_uuid="late")
    return [pk for pk, _ in works] + [late.pk]


@pytest.mark.parametrize("seed", range(6))
def test_the_pool_in_sql_is_the_rule_over_every_open_assignment(seed):
    rng = random.Random(seed)
    window = {"extra_window_hours": 12} if seed % 2 else {}
    task = make_task(f"pool-{seed}", 24, k=3, **window)
    # Who reviews whom from a fixed seed (a task's own is random): the same tasks every run.
    Task.objects.filter(pk=task.id).update(seed=f"pool-{seed}")
    start_cross_check(task, DEADLINE)
    task = find_task(f"pool-{seed}")
    works = _scramble(task, rng)
    k = pool._k(task)
    moments = [DEADLINE + timedelta(hours=2), MIDDLE - timedelta(minutes=1), MIDDLE, MIDDLE + timedelta(hours=3),
               END - timedelta(hours=12), END - timedelta(hours=1)]
    sizes = set()
    for now in moments:
        rows = pool._pool_rows(task, now)
        expected = sum(1 for row in rows if extras.in_pool(row, k))
        sizes.add(expected)
        assert pool._pool_size(task, now) == expected, now
        for _ in range(8):
            own, *reviewing = rng.sample(works, rng.randint(1, 6))
            assert pool._needs_any(task, now, [own, *reviewing]) == extras.needs_any(rows, k, own, reviewing), now
        in_pool = [row.work for row in rows if extras.in_pool(row, k)]
        if in_pool:  # excluding every work of the pool leaves none
            assert pool._needs_any(task, now, in_pool) is False
    assert len(sizes) > 1  # the moments and the scrambling give pools of different sizes


def _finished_reviewer(n):
    """A task of n works in its review step whose first learner submitted every assigned review
    (their get_state then looks at the pool), past the middle of the period."""
    task = make_task(f"bounded-{n}", n, k=3)
    start_cross_check(task, DEADLINE)
    task = find_task(f"bounded-{n}")
    me = Work.objects.get(task_id=task.id, student_id=anonymous_id("w000"))
    Assignment.objects.filter(reviewer=me).update(submitted_at=DEADLINE + timedelta(hours=1))
    to_do = list(Assignment.objects.filter(reviewer=me))
    return task, to_do


@pytest.mark.parametrize("n", [12, 60])
def test_the_pool_costs_one_query_handing_back_one_row_whatever_the_size(n):
    task, to_do = _finished_reviewer(n)
    now = MIDDLE + timedelta(hours=1)
    with CaptureQueriesContext(connection) as learner:
        part = pool.learner_part(task, "review", to_do, now)
    assert part["available"] is True  # the other learners' unsubmitted reviews stopped blocking
    # One query, and it stops at the first work found: LIMIT 1, not a row per open assignment.
    assert len(learner) == 1 and learner[0]["sql"].rstrip().upper().endswith("LIMIT 1"), learner.captured_queries
    with CaptureQueriesContext(connection) as staff:
        answer = pool.staff_part(task, now)
    assert answer["size"] == sum(1 for row in pool._pool_rows(task, now) if extras.in_pool(row, pool._k(task)))
    counting = [q["sql"] for q in staff if "crosscheck_xblock_assignment" in q["sql"]]
    assert len(staff) == 2 and len(counting) == 1 and counting[0].upper().startswith("SELECT COUNT(*)"), (
        staff.captured_queries)
