"""services/bulk.py writes the rows bulk_create would, value for value (issue 15)."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from crosscheck_xblock.models import Assignment, Grade, Notice, Work
from crosscheck_xblock.services import bulk

from ..factories import DEADLINE, make_task, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _rows(model, **filters):
    names = [field.attname for field in model._meta.concrete_fields if field.attname != "id"]
    return sorted(model.objects.filter(**filters).values_list(*names))


def test_notices_as_tuples_are_bulk_creates_rows_and_skip_duplicates():
    one = make_task("bulk-notices-a", 3)
    two = make_task("bulk-notices-b", 3)
    detail = {"reviewers": 4, "end": "2026-03-05T10:00:00+00:00", "text": "ünïcode 'quoted'"}
    rows = [("learner-1", "", detail), ("learner-2", "7", {}), ("learner-3", "x" * 64, {"n": None})]
    Notice.objects.bulk_create([Notice(task_id=one.id, student_id=s, kind=Notice.WORK_SUBMITTED, occasion=o,
                                       detail=d, created_at=DEADLINE) for s, o, d in rows])
    written = bulk.insert_rows(Notice, ("task_id", "student_id", "kind", "occasion", "detail", "created_at"),
                               [(two.id, s, Notice.WORK_SUBMITTED, o, d, DEADLINE) for s, o, d in rows],
                               batch_size=2, ignore_conflicts=True)
    assert written == 3
    assert [row[1:] for row in _rows(Notice, task_id=two.id)] == [row[1:] for row in _rows(Notice, task_id=one.id)]
    # A notice that exists already is left as it is, as bulk_create(ignore_conflicts=True) does.
    bulk.insert_rows(Notice, ("task_id", "student_id", "kind", "occasion", "detail", "created_at"),
                     [(two.id, "learner-1", Notice.WORK_SUBMITTED, "", {"other": 1}, DEADLINE + timedelta(days=1))],
                     ignore_conflicts=True)
    assert Notice.objects.get(task_id=two.id, student_id="learner-1").detail == detail


def test_the_fields_not_given_take_their_defaults_and_a_conflict_raises():
    make_task("bulk-assign", 5)
    start("bulk-assign", DEADLINE)
    first = Assignment.objects.filter(task_id=task("bulk-assign").id).order_by("pk").first()
    assert first.extra is False and first.submitted_at is None and first.expires_at is None
    with pytest.raises(IntegrityError), transaction.atomic():  # the same token: the unique key holds
        bulk.insert_rows(Assignment, ("task_id", "reviewer_id", "work_id", "position", "reviewer_number", "token"),
                         [(first.task_id, first.work_id, first.reviewer_id, 9, 9, first.token)])
    with pytest.raises(ValueError):  # a required field left out is a programming error
        bulk.insert_rows(Assignment, ("task_id", "reviewer_id"), [(first.task_id, first.reviewer_id)])


def test_objects_are_written_as_bulk_create_would():
    key = "bulk-grades"
    make_task(key, 2)
    works = list(Work.objects.filter(task_id=task(key).id).order_by("pk"))
    grades = [Grade(work_id=works[0].pk, status=Grade.GRADED, exact_points=72.5, points=73, max_points=100,
                    policy="mean", detail={"scores": [{"total": 0.1}], "summary": {"t": "ß"}}, created_at=DEADLINE),
              Grade(work_id=works[1].pk, status=Grade.NO_REVIEWS, max_points=100, policy="mean", detail={},
                    created_at=DEADLINE)]
    assert bulk.insert_objects(Grade, grades) == 2
    stored = _rows(Grade, work__task_id=task(key).id)
    Grade.objects.filter(work__task_id=task(key).id).delete()
    Grade.objects.bulk_create(grades)
    assert _rows(Grade, work__task_id=task(key).id) == stored
