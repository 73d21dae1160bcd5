"""The reviewer rating (issue 11, F3): every learner of a course as a reviewer, over all the
cross-check blocks of the course (`Task.course_id`).

It reads, for the whole course at once, the tasks, works, assignments, review versions and the
authors' ratings of reviews (five queries, whatever the number of tasks and learners), fits the
reliability model (`scoring.model.fit_reviews`) to each task's latest review totals, and hands
each learner's per-task numbers to the pure `scoring.reviewer_rating`. Computed when read, with
the model's fits memoised (`_FITS`; see README: Reviewer rating for the times).

The learner gets only their own rating (`learner_rating`); staff get everyone's with usernames
(`course_ratings`, and the CSV in exports.py).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Q

from ..i18n import gettext
from ..models import Assignment, Rating, Review, Task, Work
from ..scoring import model
from ..scoring import reviewer_rating as rating_core
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .task_settings import TaskSettings

# The extra-review feature (next issue) flags an assignment the learner asked for themselves;
# until the field exists there are no extra reviews.
EXTRA_FIELD = "extra"
# The formula in one paragraph (a msgid; staff and learners read it in their language).
RATING_FORMULA = rating_core.FORMULA  # i18n: code - the msgid itself, worded where it is shown


# The model's fit of a task, per process, keyed by the task, its maximum and a hash of exactly
# what it is fitted to (every latest total with its reviewer and work): any new or corrected
# review changes the key, so a cached fit is never stale and nothing needs to invalidate it. It
# saves the fits (most of the time) when the same course is read again; the rows are still read
# every time. The oldest entries go first once there are more than FIT_CACHE_SIZE.
FIT_CACHE_SIZE = 256
_FITS: dict[tuple, tuple[dict, float | None]] = {}


def _has_extra_field() -> bool:
    return any(f.name == EXTRA_FIELD for f in Assignment._meta.get_fields())


@dataclass
class _Reviewer:
    """One reviewer (a work) in one task, as counted from the rows."""

    reviews: int = 0
    extra: int = 0
    due: int = 0
    on_time: int = 0
    thanks: int = 0
    complaints: int = 0


@dataclass
class _Learner:
    student_id: str
    name: str = ""
    records: list = field(default_factory=list)


def _course_records(course_id: str, now: datetime) -> tuple[dict[str, _Learner], dict[int, dict]]:
    """({student id: learner with one TaskRecord per task they reviewed in}, {task id: its title
    and usage key}) for a course, in five queries."""
    tasks = {}
    for task_id, usage_key, config in (Task.objects.filter(course_id=course_id).order_by("pk")
                                       .values_list("id", "usage_key", "config")):
        tasks[task_id] = {"usage_key": usage_key, "settings": TaskSettings.from_config(config or {})}
    learners: dict[str, _Learner] = {}
    work_owner = {}
    for work in Work.objects.filter(task__course_id=course_id).order_by("pk").only("id", "student_id", "username"):
        learner = learners.setdefault(work.student_id, _Learner(work.student_id))
        # Staff see the username of any of the learner's works (they are the same person).
        learner.name = staff_name(work) if work.username or not learner.name else learner.name
        work_owner[work.pk] = work.student_id
    extra_field = _has_extra_field()
    columns = ["id", "task_id", "reviewer_id", "work_id"] + ([EXTRA_FIELD] if extra_field else [])
    assignments = {}
    for row in Assignment.objects.filter(task__course_id=course_id).order_by("pk").values_list(*columns):
        assignments[row[0]] = (row[1], row[2], row[3], bool(row[4]) if extra_field else False)
    first, latest_total = {}, {}
    for assignment_id, total, created_at in (Review.objects.filter(assignment__task__course_id=course_id)
                                             .order_by("created_at", "id")
                                             .values_list("assignment_id", "total", "created_at")):
        first.setdefault(assignment_id, created_at)
        latest_total[assignment_id] = total
    thanked, upheld = set(), set()
    for assignment_id, kind in (Rating.objects.filter(assignment__task__course_id=course_id)
                                .filter(Q(kind=Rating.THANKS, status=Rating.SENT)
                                        | Q(kind=Rating.COMPLAINT, status=Rating.UPHELD))
                                .order_by().values_list("assignment_id", "kind").distinct()):
        (thanked if kind == Rating.THANKS else upheld).add(assignment_id)

    # Per task and reviewer: what they did, and the latest totals for the model.
    counts: dict[int, dict[int, _Reviewer]] = defaultdict(lambda: defaultdict(_Reviewer))
    triples: dict[int, list] = defaultdict(list)
    for assignment_id, (task_id, reviewer_id, work_id, extra) in assignments.items():
        if task_id not in tasks:
            continue
        reviewer = counts[task_id][reviewer_id]
        submitted = first.get(assignment_id)
        due_at = tasks[task_id]["settings"].timeline.review_due
        if submitted is not None:
            reviewer.reviews += 1
            triples[task_id].append((reviewer_id, work_id, latest_total[assignment_id]))
            reviewer.thanks += assignment_id in thanked
            reviewer.complaints += assignment_id in upheld
        if extra:
            reviewer.extra += submitted is not None
        elif submitted is not None or (due_at is not None and now >= due_at):
            reviewer.due += 1
            reviewer.on_time += submitted is not None and (due_at is None or submitted <= due_at)

    for task_id, reviewers in counts.items():
        max_score = float(tasks[task_id]["settings"].max_score)
        key = (task_id, max_score, hash(tuple(triples[task_id])))
        fitted = _FITS.get(key)
        if fitted is None:
            fitted = _FITS[key] = _fit(triples[task_id], max_score)
            while len(_FITS) > FIT_CACHE_SIZE:
                _FITS.pop(next(iter(_FITS)), None)
        habits, agreement_prior = fitted
        due = sum(r.due for r in reviewers.values())
        on_time_prior = sum(r.on_time for r in reviewers.values()) / due if due else None
        for reviewer_id, counted in reviewers.items():
            owner = work_owner.get(reviewer_id)
            if owner is None:
                continue
            compared, bias, noise = habits.get(reviewer_id, (0, None, None))
            learners[owner].records.append(rating_core.TaskRecord(
                task=task_id, max_score=max_score, reviews=counted.reviews, compared=compared,
                bias=bias, noise=noise, agreement_prior=agreement_prior, assigned=counted.due,
                on_time=counted.on_time, on_time_prior=on_time_prior, thanks=counted.thanks,
                complaints_upheld=counted.complaints, extra=counted.extra))
    titles = {task_id: {"usage_key": info["usage_key"], "title": info["settings"].display_name}
              for task_id, info in tasks.items()}
    return learners, titles


def _fit(triples: list, max_score: float) -> tuple[dict, float | None]:
    """({reviewer id: (reviews compared, bias, noise)} for the reviewers the model assessed, the
    class's typical reviewer's agreement or None) from one task's latest totals."""
    if not triples:
        return {}, None
    reviewers, works = {}, {}
    r = np.array([reviewers.setdefault(reviewer, len(reviewers)) for reviewer, _, _ in triples], dtype=np.intp)
    w = np.array([works.setdefault(work, len(works)) for _, work, _ in triples], dtype=np.intp)
    points = np.array([total for _, _, total in triples], dtype=float)
    fit = model.fit_reviews(r, w, points, n_reviewers=len(reviewers), n_works=len(works), max_score=max_score)
    if not fit.assessed.any() or not np.isfinite(fit.noise_prior_sd):
        return {}, None
    habits = {reviewer: (int(fit.reviews_counted[i]), float(fit.bias[i]), float(fit.noise_sd[i]))
              for reviewer, i in reviewers.items() if fit.assessed[i]}
    return habits, rating_core.agreement_of(fit.bias_prior_sd, fit.noise_prior_sd, max_score)


def _task_rows(result_records: list, titles: dict) -> list[dict]:
    rows = []
    for rec in sorted(result_records, key=lambda rec: rec.task):
        agreement = rec.agreement
        rows.append({"task": titles[rec.task]["usage_key"], "title": titles[rec.task]["title"],
                     "reviews": rec.reviews, "compared_reviews": rec.compared,
                     "agreement": None if agreement is None else round(agreement, 4),
                     "due_reviews": rec.assigned, "on_time_reviews": rec.on_time,
                     "thanks": rec.thanks, "complaints_upheld": rec.complaints_upheld,
                     "extra_reviews": rec.extra})
    return rows



@guarded
def learner_rating(task: TaskRef, student_id: str | None, now: datetime) -> dict:
    """The caller's own rating as a reviewer in the task's course: the number (None while they
    have no review done or due), its parts and what moves it, in the reader's language. Names
    nobody: only the learner's own numbers and the class's typical reviewer."""
    learners, _titles = _course_records(task.course_id, now) if student_id else ({}, {})
    learner = learners.get(student_id) if student_id else None
    result = rating_core.reviewer_rating(learner.records if learner else [])
    return {"rating": result.rating, "reviews": result.reviews, "components": result.components(),
            "explanation": [str(text) for text in rating_core.explain(result)],
            "formula": gettext(RATING_FORMULA)}


@guarded
def course_ratings(task: TaskRef, now: datetime) -> list[dict]:
    """Every learner of the task's course with a work in one of its blocks, as a reviewer, for
    staff: username (or anonymous id), anonymous id, rating, parts and per-block numbers; the
    highest rating first, learners without one last."""
    learners, titles = _course_records(task.course_id, now)
    rows = []
    for learner in learners.values():
        result = rating_core.reviewer_rating(learner.records)
        rows.append({"learner": learner.name, "student_id": learner.student_id,
                     "rating": result.rating, "reviews": result.reviews,
                     "components": result.components(), "tasks": _task_rows(learner.records, titles)})
    rows.sort(key=lambda row: (row["rating"] is None, -(row["rating"] or 0), row["learner"]))
    return rows


@guarded
def rated(task: TaskRef, now: datetime) -> list[dict]:
    """`course_ratings` without the learners who have no rating yet, the highest first: the pool
    the best-works vote and the community re-checks draw top reviewers from."""
    return [row for row in course_ratings(task, now) if row["rating"] is not None]
