"""Extra reviews for works whose reviewers did not show up (D4, C4), and the pool over time.

A learner who submitted every assigned review may take one more work while the cross-check runs.
The rule of which work is in crosscheck_xblock/extras.py (pure); this module feeds it the task's
counts and stores the lease. Taking holds the task row's update lock, so takers queue one behind
the other and each sees the leases of those before it: a work never gets more leases than the
reviews it lacks (tests/integration/test_race.py, MariaDB, 8 takers).

A lease is an Assignment with `extra=True` and an `expires_at`. Past it, unsubmitted, it holds
nothing: every count here ignores it, the next take deletes it (and its draft), and grading
deletes whatever is left. A submitted extra review is a review like any other for the work's
grade and the reviewer rating, but not one the reviewer owed (A7 counts the assigned ones).
"""
import secrets
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Exists, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value

from .. import extras, schedule
from ..errors import Conflict
from ..i18n import gettext
from ..models import Assignment, Draft, PoolSample, Work
from . import registry
from .guard import guarded
from .registry import TaskRef

# A review submission records the pool at most this often (a take always does).
SAMPLE_EVERY = timedelta(minutes=15)
# The samples staff see: the latest this many (a review period of 3 days at 15 minutes is 288).
MAX_SAMPLES = 500


def _middle(task: TaskRef) -> datetime | None:
    """The middle of the review period: after it, reviewers who did nothing stop blocking the pool.
    The period is the one announced (start to end), or from the actual start when staff started
    by hand; None without an end date (staff complete by hand too): then they always block."""
    timeline = task.settings.timeline
    start = timeline.review_start or task.distributed_at
    # With a window of extra reviews only, the middle of the time for the assigned reviews.
    end = assigned_due(task) or timeline.review_due
    if start is None or end is None:
        return None
    return start + (end - start) / 2


def assigned_due(task: TaskRef) -> datetime | None:
    """When the assigned reviews are due: the end minus the window of extra reviews only; None
    without a window (they are due at the end) or when the window would cover the whole period."""
    timeline, hours = task.settings.timeline, task.settings.extra_window_hours
    start = timeline.review_start or task.distributed_at
    if not hours or timeline.review_due is None:
        return None
    due = timeline.review_due - timedelta(hours=hours)
    return due if start is None or due > start else None


def _pool_rows(task: TaskRef, now: datetime) -> list[extras.PoolWork]:
    """Every work of the task with its review counts now, in five queries whatever the size.

    A reviewer who has done anything in the task (a review submitted, a review's draft saved) is
    active: their unsubmitted reviews keep blocking after the middle of the period. Their last
    such act orders works by how long their missing reviewers have been idle.
    """
    reviews = Assignment.objects.filter(task_id=task.id, submitted_at__isnull=False).order_by()
    submitted = dict(reviews.values("work_id").annotate(n=Count("pk")).values_list("work_id", "n"))
    last = dict(reviews.values("reviewer_id").annotate(at=Max("submitted_at")).values_list("reviewer_id", "at"))
    open_rows = list(Assignment.objects.filter(task_id=task.id, submitted_at__isnull=True)
                     .values_list("work_id", "reviewer_id", "extra", "expires_at"))
    works = dict(Work.objects.filter(task_id=task.id).values_list("student_id", "pk"))
    drafts = (Draft.objects.filter(task_id=task.id).exclude(form=Draft.SELF_CHECK).order_by()
              .values("student_id").annotate(at=Max("updated_at")).values_list("student_id", "at"))
    for student_id, at in drafts:
        reviewer = works.get(student_id)
        if reviewer is not None and (reviewer not in last or at > last[reviewer]):
            last[reviewer] = at
    middle, due = _middle(task), assigned_due(task)
    past_middle = middle is not None and now >= middle
    past_due = due is not None and now >= due
    start = (task.distributed_at or now).timestamp()
    leased, pending, idle = defaultdict(int), defaultdict(int), {}
    for work_id, reviewer_id, extra, expires_at in open_rows:
        if extra:
            leased[work_id] += expires_at is not None and expires_at > now
            continue
        active = last.get(reviewer_id)
        pending[work_id] += extras.blocking(active is not None, past_middle, past_due)
        seen = active.timestamp() if active is not None else start
        idle[work_id] = min(idle.get(work_id, seen), seen)
    return [extras.PoolWork(work_id, submitted.get(work_id, 0), leased[work_id], pending[work_id],
                            idle.get(work_id, start)) for work_id in works.values()]


def _in_pool(task: TaskRef, now: datetime) -> QuerySet:
    """The task's works in the pool now (extras.in_pool over `_pool_rows`' counts), as one query
    the database answers from the assignments' indexes: a count, or whether one exists, reads one
    row into Python whatever the number of works (`_pool_rows` read every open assignment).

    A work's assignment holds a slot when it is submitted, a lease that has not run out, or an
    assigned review not submitted whose reviewer still blocks (extras.blocking: before the middle
    of the period anyone, after it the active ones, after the assigned reviews' due time nobody).
    """
    middle, due = _middle(task), assigned_due(task)
    holds = Q(submitted_at__isnull=False) | Q(extra=True, submitted_at__isnull=True, expires_at__gt=now)
    if not (due is not None and now >= due):
        open_assigned = Q(extra=False, submitted_at__isnull=True)
        if middle is not None and now >= middle:
            # Active: a review submitted or a review's draft saved in the task (as `_pool_rows`).
            # Whether the reviewer submitted anything is read from the index on (reviewer, extra,
            # submitted_at), a few rows per reviewer; the reviewers with drafts are a list built once.
            reviewed = Exists(Assignment.objects.filter(reviewer_id=OuterRef("reviewer_id"), task_id=task.id,
                                                        submitted_at__isnull=False))
            drafted = Work.objects.filter(task_id=task.id, student_id__in=Draft.objects.filter(task_id=task.id)
                                          .exclude(form=Draft.SELF_CHECK).values("student_id")).values("pk")
            open_assigned &= reviewed | Q(reviewer_id__in=drafted)
        holds |= open_assigned
    # COUNT(*) of the work's assignments that hold a slot, read through the index on (work,
    # submitted_at): a few rows per work. (Filtering on the task too made SQLite walk the task's
    # index instead, every assignment for every work.) An aggregate without GROUP BY: 0, not
    # NULL, for a work without any.
    slots = (Assignment.objects.filter(work_id=OuterRef("pk")).filter(holds).order_by()
             .annotate(n=Func(Value(1), function="COUNT")).values("n"))
    return (Work.objects.filter(task_id=task.id).alias(slots=Subquery(slots, output_field=IntegerField()))
            .filter(slots__lt=_k(task)).order_by())


def _pool_size(task: TaskRef, now: datetime) -> int:
    """How many works are in the pool now (one query; the same as counting `_pool_rows`)."""
    return _in_pool(task, now).count()


def _needs_any(task: TaskRef, now: datetime, excluded: list[int]) -> bool:
    """extras.needs_any over the task: a work in the pool other than `excluded` (one query that
    stops at the first such work)."""
    return _in_pool(task, now).exclude(pk__in=excluded).exists()


def _k(task: TaskRef) -> int:
    # The k the distribution reached (fewer learners than k+1 give fewer); else the setting.
    return task.reviewers_per_work or task.settings.reviews_per_work


def _record(task: TaskRef, size: int, now: datetime) -> None:
    PoolSample.objects.create(task_id=task.id, at=now, size=size)


def _open_lease(rows, now: datetime):
    """The learner's extra review under way: (token, expires_at) or None."""
    return next(((token, expires_at) for _work, extra, submitted_at, expires_at, token, _pos in rows
                 if extra and submitted_at is None and expires_at is not None and expires_at > now), None)


def _my_rows(work: Work) -> list[tuple]:
    return list(Assignment.objects.filter(reviewer=work).values_list(
        "work_id", "extra", "submitted_at", "expires_at", "token", "position"))


@guarded
def take_extra_review(task: TaskRef, student_id: str | None, now: datetime) -> str:
    """Lease the work that needs a review most to this learner (D4); its review id.

    Refused with 409 `review_closed` outside the review period, `no_submission` without a
    work of their own, `reviews_unfinished` while an assigned review is not submitted,
    `extra_open` while an extra review is under way, `extra_limit` when they did as many as the
    task allows (or extras are off), `no_extra_needed` when no work they may review lacks one.
    """
    limit = task.settings.extra_reviews_limit
    with transaction.atomic():
        row = registry.lock_row(task)  # takers queue here: each sees the leases before it
        if task.settings.phase(row.status, now) != schedule.REVIEW:
            raise Conflict(gettext("Extra reviews can be taken only while the cross-check runs."), "review_closed")
        work = (Work.objects.filter(task_id=task.id, student_id=student_id).only("pk").first()
                if student_id else None)
        if work is None:
            raise Conflict(gettext("Only learners who submitted a work take part in the cross-check."),
                           "no_submission")
        _release_expired(task, now)
        mine = _my_rows(work)
        if any(not extra and submitted_at is None for _w, extra, submitted_at, *_rest in mine):
            raise Conflict(gettext("Submit the reviews assigned to you first; then you may review one more work."),
                           "reviews_unfinished")
        if _open_lease(mine, now):
            raise Conflict(gettext("Finish the extra review you took before you take another."), "extra_open")
        if sum(1 for _w, extra, *_rest in mine if extra) >= limit:
            raise Conflict(gettext("You did as many extra reviews as this task allows. Thank you!") if limit
                           else gettext("Extra reviews are turned off in this task."), "extra_limit")
        rows = _pool_rows(task, now)
        reviewed_by = Assignment.objects.filter(work=work).values_list("reviewer_id", flat=True)
        chosen = extras.choose(rows, _k(task), own=work.pk, reviewing=[w for w, *_rest in mine],
                               reviewed_by=list(reviewed_by))
        if chosen is None:
            raise Conflict(gettext("Every work has the reviews it needs: there is nothing to review now."),
                           "no_extra_needed")
        number = Assignment.objects.filter(work_id=chosen).aggregate(n=Max("reviewer_number"))["n"] or 0
        token = secrets.token_hex(12)
        Assignment.objects.create(
            task_id=task.id, reviewer=work, work_id=chosen, token=token, extra=True,
            position=max((pos for *_rest, pos in mine), default=0) + 1, reviewer_number=number + 1,
            expires_at=now + timedelta(hours=task.settings.extra_lease_hours))
        taken = [replace(r, leased=r.leased + 1) if r.work == chosen else r for r in rows]
        _record(task, _size(taken, _k(task)), now)
    return token


def _size(rows: list[extras.PoolWork], k: int) -> int:
    return sum(1 for r in rows if extras.in_pool(r, k))


def _release_expired(task: TaskRef, now: datetime) -> None:
    """Delete the task's leases that ran out unsubmitted, with their drafts: the works are back
    in the pool (the counts already ignored them), and the learners may take another."""
    expired = list(Assignment.objects.filter(task_id=task.id, extra=True, submitted_at__isnull=True,
                                             expires_at__lte=now).values_list("pk", "token"))
    if expired:
        Draft.objects.filter(task_id=task.id, form__in=[token for _pk, token in expired]).delete()
        Assignment.objects.filter(pk__in=[pk for pk, _token in expired]).delete()


def drop_unsubmitted(task: TaskRef) -> None:
    """At grading: leases nobody submitted are gone (they owed nothing and held nothing)."""
    leases = Assignment.objects.filter(task_id=task.id, extra=True, submitted_at__isnull=True)
    tokens = list(leases.values_list("token", flat=True))
    if tokens:
        Draft.objects.filter(task_id=task.id, form__in=tokens).delete()
        leases.delete()


def is_expired(extra: bool, submitted_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """True for a lease that ran out before its review was submitted (the review is refused)."""
    return extra and submitted_at is None and expires_at is not None and expires_at <= now


def sample_after_review(task: TaskRef, now: datetime) -> None:
    """Record the pool's size after a review came in, unless a sample is recent (one query then)."""
    latest = PoolSample.objects.filter(task_id=task.id).order_by("-at").values_list("at", flat=True).first()
    if latest is None or now - latest >= SAMPLE_EVERY:
        _record(task, _pool_size(task, now), now)


def learner_part(task: TaskRef, phase: str, to_do: list[Assignment], now: datetime) -> dict:
    """`get_state`'s "extra": whether the learner may take an extra review now, the one under
    way, how many they did and may do. The pool is looked at only for a learner who
    could take one; it is then one query, whatever the number of works."""
    limit = task.settings.extra_reviews_limit
    taken = [a for a in to_do if a.extra and not is_expired(a.extra, a.submitted_at, a.expires_at, now)]
    lease = next((a for a in taken if a.submitted_at is None), None)
    done = sum(1 for a in taken if a.submitted_at is not None)
    due = assigned_due(task)
    part = {"available": False, "limit": limit, "done": done,
            "open": lease and {"review_id": lease.token, "expires_at": schedule.format_datetime(lease.expires_at)},
            # A window of extra reviews only before the end: the assigned reviews are due earlier.
            "assigned_due": schedule.format_datetime(due) if due else None,
            "assigned_closed": due is not None and now >= due}
    finished = all(a.submitted_at is not None for a in to_do if not a.extra)
    if phase == schedule.REVIEW and to_do and finished and lease is None and len(taken) < limit:
        reviewing = [a.work_id for a in to_do if not a.extra] + [a.work_id for a in taken]
        part["available"] = _needs_any(task, now, [to_do[0].reviewer_id, *reviewing])
    return part


def staff_part(task: TaskRef, now: datetime) -> dict:
    """For the staff view: the pool's size now and over time (oldest first)."""
    samples = list(PoolSample.objects.filter(task_id=task.id).order_by("-at").values_list("at", "size")[:MAX_SAMPLES])
    # Only while the reviews run: before, nothing is assigned; after, no more reviews come.
    size = _pool_size(task, now) if task.status == schedule.DISTRIBUTED else 0
    return {"size": size, "limit": task.settings.extra_reviews_limit,
            "lease_hours": task.settings.extra_lease_hours,
            "samples": [{"at": schedule.format_datetime(at), "size": n} for at, n in reversed(samples)]}
