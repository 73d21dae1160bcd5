"""Eight sweeps at once create each timed notice once (issue 14): the unique key of a notice, not
a lock, is what holds, so it must hold under real concurrency. Runs on MariaDB (shared_db)."""
from collections import Counter
from datetime import timedelta

import pytest

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.models import Notice

from ..factories import DEADLINE, END, T0, learners, make_task, start
from .test_race import race

pytestmark = [pytest.mark.db, pytest.mark.shared_db, pytest.mark.django_db(transaction=True)]
N = 20
ENROLLED = [*learners(N), "never1", "never2"]  # two enrolled learners never open the block


def enrolled(_course_id):
    """The course's enrolments for this test (compat.course_enrollments' stand-in)."""
    return [anonymous_id(name) for name in ENROLLED]


@pytest.fixture(autouse=True)
def _enrolments(settings):
    settings.CROSSCHECK_ENROLLMENTS = "tests.integration.test_notices_race.enrolled"


def sweeps(now, n=8):
    race([lambda: services.due_notices(now) for _ in range(n)])


def test_eight_sweeps_create_each_timed_notice_once():
    opening = make_task("block-v1:Test+Notices+Race+type@crosscheck+block@open", N - 5,
                        submission_start=(T0 - timedelta(hours=1)).isoformat())
    sweeps(T0)  # N1 to all 22 enrolled, N2 (the deadline is a day away: N3) to the 7 without a work
    counts = Counter(Notice.objects.filter(task_id=opening.id).values_list("kind", flat=True))
    assert counts == {"task_opened": len(ENROLLED), "deadline_in_1_day": len(ENROLLED) - (N - 5)}

    running = make_task("block-v1:Test+Notices+Race+type@crosscheck+block@run", N)
    start(running.usage_key, DEADLINE)
    sweeps(END - timedelta(hours=2))  # N6 to every reviewer: nobody reviewed
    n6 = Counter(Notice.objects.filter(task_id=running.id, kind="review_end_in_1_day")
                 .values_list("student_id", flat=True))
    assert len(n6) == N and set(n6.values()) == {1}
    assert Notice.objects.filter(task_id=running.id, kind="review_started").count() == N
