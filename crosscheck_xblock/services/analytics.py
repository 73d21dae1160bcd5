"""Staff analytics of one task: how far self-checks and reviews agree, what the two warning rules
would say, and the grade distribution (A1, A2, A3, A5).

It reads the models (a fixed number of queries, whatever the number of works) and hands the
numbers to the pure functions of `scoring/`. Staff only: the answers name learners by username.
"""
import contextlib
import gc
import heapq
import math
import threading
from collections import Counter, defaultdict
from datetime import datetime

import numpy as np
from django.db.models import Count

from .. import i18n, schedule
from ..i18n import gettext
from ..models import Grade, LearnerWarning, Work
from ..scoring.agreement import IDEAL_WITHIN, agreement_all
from ..scoring.warning_rules import flag_reviewers, outlier_check_all
from . import anchors, grading, latest, paging
from .guard import guarded
from .names import name_of
from .rates import simulated_rates
from .registry import TaskRef
from .task_settings import WARNING_RULES

HISTOGRAM_BINS = 10
# The works' table sorts by these (the learner, their self-check, the largest spread, the grade
# or the expected one, the number of flags); the agreement chart shows at most this many reviewers.
SORTS = ("spread", "learner", "self_check", "grade", "flags")
REVIEWERS_SHOWN = 50
# A review below the maximum whose comments together (overall and item comments, trimmed) are
# shorter than this, or than the task's comment_min_chars if that is longer, is "thin".
THIN_COMMENT_CHARS = 40


_paused = {"depth": 0, "was_enabled": False}
_paused_lock = threading.Lock()


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off for the block (and back as it was after the last of the
    threads inside it leaves). The view builds some 400,000 dicts, lists and tuples at 10,000
    works, none of them garbage cycles, and the collector's passes over them were a quarter of
    its CPU time; what it would have collected waits until the view is done."""
    with _paused_lock:
        if _paused["depth"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["depth"] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused["depth"] -= 1
            if _paused["depth"] == 0 and _paused["was_enabled"]:
                gc.enable()


@guarded
def task_analytics(task: TaskRef, now: datetime, data: dict | None = None) -> dict:
    """Everything the staff analytics view shows, with one page of its works' table (`data`: see
    paging.page_query; the 50 works with the largest spread unless asked); a fixed number of
    queries for any number of works."""
    query = paging.page_query(data, SORTS, "spread", "desc")
    with _collector_paused():
        return _task_analytics(task, now, query)


def _page(keyed: list, query: dict) -> tuple[list, dict]:
    """The page asked of the works' (index, expected points, sort keys) and its paging fields:
    searched by learner (ignoring case), sorted by the column with empty cells last both ways
    and the work's place as the tie-break, so a page never shows a row twice nor skips one."""
    if query["search"]:
        needle = query["search"].casefold()
        keyed = [entry for entry in keyed if needle in entry[2]["learner"]]
    sort, descending = query["sort"], query["order"] == "desc"
    present = [entry for entry in keyed if entry[2][sort] is not None]
    present.sort(key=lambda entry: (entry[2][sort], entry[0]), reverse=descending)
    ordered = present + sorted((entry for entry in keyed if entry[2][sort] is None),
                               key=lambda entry: entry[0], reverse=descending)
    page, start, _pages = paging.page_bounds(query, len(ordered))
    return ordered[start:start + query["per_page"]], paging.page_fields(query, page, len(ordered), SORTS)


def _task_analytics(task: TaskRef, now: datetime, query: dict) -> dict:
    settings = task.settings
    max_score, policy, threshold = settings.max_score, settings.grading_policy, settings.threshold
    # Rows, not model instances: building 20,000 of them was a tenth of this view's time.
    works = list(Work.objects.filter(task_id=task.id).order_by("submitted_at", "pk")
                 .values_list("pk", "username", "student_id", "url", named=True))
    names = {work.pk: name_of(work.username, work.student_id) for work in works}
    reviews = latest.latest_reviews(task, with_items=settings.aggregation == "per_item", with_comments=True)
    latest_rows = [(r.number, r.reviewer_id, r.work_id, r.total) for r in reviews]  # by work, then reviewer no.
    self_checks = latest.latest_self_checks(task)
    grades = {work_id: (status, points, exact, most) for work_id, status, points, exact, most in
              Grade.objects.filter(work__task_id=task.id)
              .values_list("work_id", "status", "points", "exact_points", "max_points")}

    triples = [(reviewer_id, work_id, total) for _, reviewer_id, work_id, total in latest_rows]
    agreements = agreement_all(triples, self_checks, max_score=max_score)
    # What grading would give now, with the task's aggregation and warning rule.
    # Issue 16: with the calibration set's staff grades, as grading will use them. Only the
    # points are shown: the works' stories (half of this view's time at 10,000 works) are skipped.
    graded = grading.grade_reviews(task, reviews, anchors=anchors.set_anchors(task),
                                   priors=grading.history_priors(task), explain=False).outcome
    expected = graded.works
    # The evidence rule is shown whatever rule the task uses; grading ran it already if it is the task's.
    evidence = ({reviewer: finding.reason for reviewer, finding in graded.evidence.items()}
                if settings.warning_rule == "evidence"
                else flag_reviewers(triples, max_score=max_score) if triples else {})
    evidence = dict(zip(evidence, i18n.render_all(evidence.values())))  # in the reader's language

    # The proposal's fixed rule (A3), over the whole task at once.
    index = {work.pk: i for i, work in enumerate(works)}
    rows = [row for row in latest_rows if row[2] in index]
    self_array = np.array([self_checks.get(work.pk, np.nan) for work in works], dtype=float)
    outliers = outlier_check_all(np.array([index[row[2]] for row in rows], dtype=np.intp),
                                 np.array([row[3] for row in rows], dtype=float),
                                 n_works=len(works), max_score=max_score, threshold=threshold,
                                 self_check=self_array) if works else None
    # As lists: reading numpy arrays element by element in the loops below cost more than the rule.
    far_rows, excluded_rows, needs_staff, authors_warned, fixed_points = (
        (outliers.far.tolist(), outliers.excluded.tolist(), outliers.needs_staff.tolist(),
         outliers.author_warned.tolist(), outliers.points.tolist()) if works else ([], [], [], [], []))

    # Comments that do not justify the points: thin reviews and one comment pasted everywhere.
    thin, pasted = _comment_signals(task, reviews)

    # Per reviewer: mean signed deviation from the other reviewers of the same work.
    # The others' mean from the work's sum and count (the same numbers as summing the others).
    received_sum, received_n = defaultdict(float), defaultdict(int)
    for _, _reviewer_id, work_id, total in rows:
        received_sum[work_id] += total
        received_n[work_id] += 1
    deviations = defaultdict(list)
    fixed_warned = set()
    reviews_of = defaultdict(list)  # work id → its (row, far, excluded); dicts only for the page's works
    review_flags = Counter()  # work id → flags its reviews raise (the "flags" column's sort key)
    for row, far, excluded in zip(rows, far_rows, excluded_rows):
        _, reviewer_id, work_id, total = row
        others = received_n[work_id] - 1
        if others:
            deviations[reviewer_id].append(total - (received_sum[work_id] - total) / others)
        if far:
            fixed_warned.add(reviewer_id)
        reviews_of[work_id].append((row, far, excluded))
        review_flags[work_id] += bool(excluded) + (reviewer_id in evidence) + ((reviewer_id, work_id) in thin)

    # Every work's sort keys and the histogram's values; the table's rows only for the page asked.
    keyed, values, graded_count = [], [], 0
    for i, work in enumerate(works):
        agreement = agreements.get(work.pk)
        grade = grades.get(work.pk)
        explanation = expected.get(work.pk)
        expected_points = (None if explanation is None
                           else round(min(max(explanation.points, 0.0), float(max_score)), 4))
        if grade is not None and grade[2] is not None:
            values.append(grade[2])
            graded_count += 1
        elif grade is None and expected_points is not None:
            values.append(expected_points)
        flag_count = (bool(agreement and agreement.ideal) + bool(needs_staff[i]) + bool(authors_warned[i])
                      + review_flags[work.pk])
        keyed.append((i, expected_points, {
            "learner": names[work.pk].casefold(),
            "self_check": self_checks.get(work.pk),
            "spread": None if agreement is None else agreement.largest,
            "grade": expected_points if grade is None else grade[1],
            "flags": flag_count}))
    page_rows, page_fields = _page(keyed, query)

    def review_json(row, far, excluded):
        number, reviewer_id, work_id, total = row
        self_check = self_checks.get(work_id)
        return {
            "reviewer": number,
            "reviewer_learner": names.get(reviewer_id, ""),
            "total": total,
            "spread": None if self_check is None else round(abs(total - self_check), 4),
            "excluded_by_fixed_rule": bool(excluded),
            "warned_by_fixed_rule": bool(far),
            "evidence_flag": evidence.get(reviewer_id, ""),
            "thin_comment": (reviewer_id, work_id) in thin,
        }

    table = []
    for i, expected_points, _keys in page_rows:
        work = works[i]
        agreement = agreements.get(work.pk)
        grade = grades.get(work.pk)
        table.append({
            "work_id": work.pk,
            "learner": names[work.pk],
            "url": work.url,
            "self_check": self_checks.get(work.pk),
            "reviews": [review_json(*entry) for entry in reviews_of.get(work.pk, [])],
            "largest_spread": None if agreement is None else round(agreement.largest, 4),
            "reviewer_range": None if agreement is None else round(agreement.reviewer_range, 4),
            "ideal": bool(agreement and agreement.ideal),
            "needs_staff": bool(needs_staff[i]),
            "author_warned_by_fixed_rule": bool(authors_warned[i]),
            "fixed_rule_points": None if math.isnan(fixed_points[i]) else round(fixed_points[i], 4),
            "evidence_flag": evidence.get(work.pk, ""),  # the author's own reviewing, as a reviewer
            "expected": expected_points,
            "grade": None if grade is None else dict(zip(("status", "points", "exact", "max"), grade)),
        })

    thin_by_reviewer = Counter(reviewer for reviewer, _ in thin)  # once, not once per reviewer (10,000 of them)

    def reviewer_json(reviewer_id, devs):
        return {"reviewer_learner": names.get(reviewer_id, ""),
                "reviews": len(devs), "mean_deviation": round(sum(devs) / len(devs), 4),
                "warned_by_fixed_rule": reviewer_id in fixed_warned,
                "evidence_flag": evidence.get(reviewer_id, ""),
                "thin_reviews": thin_by_reviewer[reviewer_id],
                "pasted_comment": reviewer_id in pasted}

    # The chart shows the reviewers furthest from the others at both ends (all of them in a
    # class of up to REVIEWERS_SHOWN): a bar per reviewer of 10,000 would be 160,000 pixels high.
    means = {reviewer: sum(devs) / len(devs) for reviewer, devs in deviations.items()}
    by_deviation = sorted(means, key=lambda reviewer: (means[reviewer], names.get(reviewer, "")))
    if len(by_deviation) > REVIEWERS_SHOWN:
        by_deviation = by_deviation[:REVIEWERS_SHOWN // 2] + by_deviation[-(REVIEWERS_SHOWN // 2):]
    reviewers = [reviewer_json(reviewer, deviations[reviewer]) for reviewer in by_deviation]
    # The reviewers whose comments do not justify their points, most thin reviews first.
    flagged = set(thin_by_reviewer) | pasted
    first_flagged = heapq.nsmallest(REVIEWERS_SHOWN, flagged, key=lambda reviewer: (
        -thin_by_reviewer[reviewer], reviewer not in pasted, names.get(reviewer, "")))
    comment_flags = [{"reviewer_learner": names.get(reviewer, ""), "thin_reviews": thin_by_reviewer[reviewer],
                      "pasted_comment": reviewer in pasted} for reviewer in first_flagged]
    reviewer_count = len({row[1] for row in rows})
    fixed_count, authors_count = len(fixed_warned), int(outliers.author_warned.sum()) if works else 0
    return {
        "status": task.status,
        "phase": task.phase(now),
        "generated_at": schedule.format_datetime(now),
        "max_score": max_score,
        "policy": policy,
        "threshold": threshold,
        "warning_rule": settings.warning_rule,
        "warning_rule_text": gettext(WARNING_RULES[settings.warning_rule]),
        "aggregation": settings.aggregation,
        # Issue 16: the peers' offset against the staff anchors (null without any), with its 95 %
        # interval; every grade moves by -offset ("shift"), as far as the anchors support it.
        "calibration": graded.calibration.as_dict() if graded.calibration else None,
        # Both rules measured on simulated classes like this task (k, threshold, maximum), to
        # read this task's counts against; memoised, so only the first view pays.
        "simulated": simulated_rates(settings.reviews_per_work, threshold, max_score),
        "ideal_within": IDEAL_WITHIN,
        # One page of the works (`data`: page, per_page, sort, order, search; the largest spread
        # first unless asked, as staff re-check those first, A4) and the paging fields.
        "works": table,
        **page_fields,
        # The chart's reviewers (at most REVIEWERS_SHOWN) of all those with co-reviewers.
        "reviewers": reviewers,
        "reviewers_total": len(deviations),
        "comment_flags": comment_flags,
        "comment_flags_total": len(flagged),
        "histogram": _histogram(values, max_score, graded_count),
        "warnings": {
            "reviewers": reviewer_count,
            "fixed_rule": fixed_count,
            "fixed_rule_authors": authors_count,
            "evidence_rule": len(evidence),
            "fixed_rule_share": round(fixed_count / reviewer_count, 4) if reviewer_count else None,
            "evidence_rule_share": round(len(evidence) / reviewer_count, 4) if reviewer_count else None,
            # What grading (and staff re-checks) actually wrote, by kind of warning.
            "written": _written_warnings(task),
            # Over every reviewer (the reviewers' rows hold only those with co-reviewers).
            "thin_reviews": len(thin),
            "thin_reviewers": len({reviewer for reviewer, _ in thin}),
            "pasted_comment_reviewers": len(pasted),
            "thin_comment_chars": max(THIN_COMMENT_CHARS, settings.comment_min_chars),
        },
        "message": ("" if rows else gettext("No reviews yet: the numbers appear once reviews come in.")
                    if works else gettext("No works submitted yet.")),
    }


def _comment_signals(task: TaskRef, reviews: list) -> tuple[set, set]:
    """({(reviewer id, work id)} of the thin reviews, {reviewer id} of those who pasted one
    overall comment into all of their reviews, two or more) from the latest reviews, read with
    their comments (no query)."""
    limit, max_score = max(THIN_COMMENT_CHARS, task.settings.comment_min_chars), task.settings.max_score
    thin, overall_by_reviewer = set(), defaultdict(list)
    for review in reviews:
        comment = review.comment
        # The item comments are decoded only where they can decide: a review below the maximum
        # whose overall comment alone is shorter than the limit.
        if review.total < max_score and (written := len(comment.strip())) < limit:
            written += sum(len(text.strip()) for text in review.item_comments().values() if isinstance(text, str))
            if written < limit:
                thin.add((review.reviewer_id, review.work_id))
        overall_by_reviewer[review.reviewer_id].append(" ".join(comment.split()).casefold())
    pasted = {reviewer for reviewer, texts in overall_by_reviewer.items()
              if len(texts) >= 2 and texts[0] and len(set(texts)) == 1}
    return thin, pasted


def _written_warnings(task: TaskRef) -> dict:
    """{kind: number} of the warnings written for this task so far (one query)."""
    counts = dict.fromkeys((kind for kind, _ in LearnerWarning.KINDS), 0)
    for kind, count in (LearnerWarning.objects.filter(task_id=task.id).order_by().values_list("kind")
                        .annotate(count=Count("id"))):
        counts[kind] = count
    return counts


def _histogram(values: list[float], max_score: int, graded: int) -> dict:
    """10 equal bins over 0..max (the last one includes the maximum)."""
    counts = [0] * HISTOGRAM_BINS
    for value in values:
        counts[min(max(int(value / max_score * HISTOGRAM_BINS), 0), HISTOGRAM_BINS - 1)] += 1
    width = max_score / HISTOGRAM_BINS
    return {"bins": [{"from": round(i * width, 4), "to": round((i + 1) * width, 4), "count": count}
                     for i, count in enumerate(counts)],
            "graded": graded, "expected": len(values) - graded}
