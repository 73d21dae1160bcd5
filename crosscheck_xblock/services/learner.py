"""What the learner's page shows, built once per request (M3: pseudonyms only).

Visibility: an author sees every version of every review of their work as it arrives (R7,
R10); a reviewer sees the author's self-check once their own review is in, and after the
cross-check end also the other reviewers' points for that work (R8). Other learners appear as
"Work N" / "Reviewer N" only. The times of reviews and self-checks are shown to the minute, on
both sides alike (R10: author and reviewer see the same history), so that a time to the second
cannot tell an author which of their peers a reviewer is.
"""
from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from .. import i18n, sanitize, schedule
from ..checklist import checklist_from_rs
from ..i18n import N_, Text, gettext
from ..models import Assignment, ChecklistVersion, Draft, Grade, LearnerWarning, Review, SelfCheck, Work
from ..pseudonyms import reviewer_title, work_title
from ..scoring import POLICIES
from . import appeals, best_works, community, extras, ratings, threads, votes, warnings
from .guard import guarded
from .registry import TaskRef
from .reviews import SELF_FORM
from .submissions import link_changes


@guarded
def learner_state(task: TaskRef, student_id: str | None, now: datetime) -> dict:
    """Everything the learner view needs, in a fixed number of queries, but the notices part
    (`notices.learner_notices`: the block adds it to the state, and the page loads it after it
    has rendered)."""
    phase = task.phase(now)
    versions = _Versions(task)
    state = {
        "phase": phase,
        "phase_text": gettext(schedule.PHASE_TEXT[phase]),
        "settings": task.settings.public(),
        "checklist": versions.current_public(),
        "checklist_versions": {},
        "submission": None,
        # submit / late_replace (S3: allowed with a warning, flagged) / closed
        "submission_rule": schedule.submission_rule(phase, False),
        "self_check": None,
        "reviews": [],
        "received": [],
        "grade": None,
        "progress": {"reviews_done": 0, "reviews_assigned": 0},
        # D4: an extra review of a work that lacks reviews, once the assigned ones are done.
        "extra": {"available": False, "open": None, "done": 0, "limit": task.settings.extra_reviews_limit,
                  "assigned_due": None, "assigned_closed": False},
        "appeal": None,
        "warnings": [],
        "unread_messages": 0,
        "best_work": None,
        "gallery": best_works.gallery(task, phase),
        # Both only exist once the cross-check has ended: no query before.
        "vote": votes.learner_part(task, student_id, now) if phase in best_works.ENDED else None,
        # Re-checks of appealed works staff asked this learner for (a top reviewer of the course).
        "community_rechecks": community.learner_part(task, student_id) if phase == schedule.CLOSED else [],
        # N1–N12 (issue 14): see learner_notices.
        "notices": None,
    }
    # The work with its one-to-ones (grade, appeal, best-work row) in one query. Grades, and with
    # them appeals, exist only once grading has begun (lifecycle writes them with the status):
    # before, the query joins the best-work row alone (issue 15: each join costs the page more
    # to build than to run). Warnings do not wait for grading: an upheld complaint is one (F3).
    # With it, whether the learner has a self-check, warnings and drafts at all: the page makes
    # those queries only for what exists (most learners in the review step have none of them).
    graded = task.status in (schedule.GRADING, schedule.COMPLETED)
    related = ("grade", "appeal__checklist_version", "best") if graded else ("best",)
    work = (Work.objects.filter(task_id=task.id, student_id=student_id).select_related(*related)
            .annotate(**_presence(task.id, student_id)).first() if student_id else None)
    if work is None:
        return state
    # A replaced link moves updated_at past submitted_at: a work never replaced has no changes.
    changes = link_changes([work.pk]).get(work.pk, []) if work.updated_at != work.submitted_at else []
    state["submission"] = {"url": work.url, "submitted_at": schedule.format_datetime(work.submitted_at),
                           "updated_at": schedule.format_datetime(work.updated_at),
                           "link_changes": changes}
    state["submission_rule"] = schedule.submission_rule(phase, True)
    # A lease that ran out unsubmitted (D4) is no longer the learner's: it is not shown.
    # The reviews the learner writes and those of their work, in one query.
    mine = list(Assignment.objects.filter(Q(reviewer=work) | Q(work=work)).select_related("work"))
    to_do = sorted((a for a in mine if a.reviewer_id == work.pk
                    and not extras.is_expired(a.extra, a.submitted_at, a.expires_at, now)), key=lambda a: a.position)
    received = sorted((a for a in mine if a.work_id == work.pk), key=lambda a: a.reviewer_number)
    ended = phase in (schedule.REVIEW_CLOSED, schedule.CLOSED)
    peers = list(Assignment.objects.filter(work_id__in=[a.work_id for a in to_do])
                 .exclude(reviewer=work)) if ended and to_do else []
    # A review's first version marks its assignment submitted: none submitted, no versions to read.
    history = _histories([a.pk for a in (*to_do, *received, *peers) if a.submitted_at is not None])
    # The learner's own self-check, and their authors' once their review of them is in (R8).
    checks = _self_check_histories([*([work.pk] if work.has_self_check else []),
                                    *(a.work_id for a in to_do if a.submitted_at is not None)])
    drafts = (dict(Draft.objects.filter(task_id=task.id, student_id=student_id).values_list("form", "data"))
              if work.has_drafts else {})

    state["self_check"] = {
        "open": phase in (schedule.SUBMISSION, schedule.WAITING),
        "history": [versions.json(check) for check in checks.get(work.pk, [])],
        "draft": drafts.get(SELF_FORM),
    }
    peers_by_work = defaultdict(list)
    for peer in peers:
        if history.get(peer.pk):
            peers_by_work[peer.work_id].append(peer)
    # M5: each review's conversation (null until its first version), two queries for all of them.
    talks, state["unread_messages"] = threads.summaries(task, to_do, received, set(history), now)
    # F1–F4: thanks and complaints beside each review (one query, none before any review).
    opened = [a.pk for a in (*to_do, *received) if a.pk in history]
    rated = ratings.of_assignments(opened) if opened else {}
    state["reviews"] = [
        {**_review_to_do(a, history.get(a.pk, []), drafts.get(a.token), checks.get(a.work_id, []),
                         peers_by_work.get(a.work_id, []), history, versions), "thread": talks.get(a.pk),
         "ratings": [ratings.summary(r) for r in rated.get(a.pk, [])]}
        for a in to_do]
    state["received"] = [{**_review_received(a, history[a.pk], versions), "thread": talks.get(a.pk),
                          "ratings": [ratings.summary(r) for r in rated.get(a.pk, [])],
                          "can_rate": _can_rate(task, history[a.pk], rated.get(a.pk, []), now)}
                         for a in received if a.pk in history]
    # A7 counts the assigned reviews; extra ones are in "extra".
    assigned = [a for a in to_do if not a.extra]
    state["progress"] = {"reviews_done": sum(1 for a in assigned if a.submitted_at),
                         "reviews_assigned": len(assigned)}
    state["extra"] = extras.learner_part(task, phase, to_do, now)
    grade, appeal = (_related(work, "grade"), _related(work, "appeal")) if graded else (None, None)
    if grade is not None:
        state["grade"] = grade_explanation(grade)
    state["warnings"] = warnings.of_work(work.pk) if work.has_warnings else []
    state["best_work"] = best_works.learner_part(task, work, phase)
    state["appeal"] = _appeal_part(task, grade, appeal, any(c["after_deadline"] for c in changes), now)
    state["checklist_versions"] = versions.older()
    return state


def _presence(task_id: int, student_id: str) -> dict:
    """The work query's annotations has_self_check, has_warnings and has_drafts: EXISTS
    subqueries written as SQL, which Django puts in as they are (its own Exists expressions took
    a tenth of the page's time to resolve and compile, more than the queries they spare)."""
    quote = connection.ops.quote_name
    work = f"{quote(Work._meta.db_table)}.{quote('id')}"

    def exists(model, condition, params=()):
        return RawSQL(f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {condition})", params,
                      output_field=BooleanField())

    return {"has_self_check": exists(SelfCheck, f"{quote('work_id')} = {work}"),
            "has_warnings": exists(LearnerWarning, f"{quote('work_id')} = {work}"),
            "has_drafts": exists(Draft, f"{quote('task_id')} = %s AND {quote('student_id')} = %s",
                                 (task_id, student_id))}


def _can_rate(task: TaskRef, versions_of_review: list[Review], rated: list, now: datetime) -> dict:
    """Whether the author may still thank for / complain about the review's latest version."""
    rate = ratings.options(task, versions_of_review[-1], len(versions_of_review), rated, now)
    return {"thanks": rate.thanks, "complaint": rate.complaint}


def _related(work: Work, name: str):
    """A reverse one-to-one of the work loaded with select_related, or None."""
    try:
        return getattr(work, name)
    except ObjectDoesNotExist:
        return None


def _appeal_part(task: TaskRef, grade, appeal, late_change: bool, now: datetime) -> dict | None:
    """What the learner may do about their grade, what they sent, and the re-check."""
    if grade is None and appeal is None:
        return None
    code, why_not = appeals.why_not(task, grade, appeal, late_change, now)
    if code == "appeals_off" and appeal is None:
        return None
    return {
        "open": not code, "why_not": why_not, "code": code,
        "deadline": schedule.format_datetime(appeals.appeal_deadline(task)),
        "submitted": None if appeal is None else {
            "origin": appeal.origin, "status": appeal.status, "reason": appeal.reason,
            "items": appeal.items, "created_at": schedule.format_datetime(appeal.created_at),
            "recheck": appeals.recheck_json(appeal, grade)},
    }


class _Versions:
    """Numbers of the checklist versions assessments were made with, and the older checklists."""

    def __init__(self, task: TaskRef):
        self.task = task
        self.numbers = {task.checklist_version_id: task.checklist_version}
        self.older_checklists = {}

    def current_public(self) -> dict:
        """The task's current checklist for the page, item texts sanitized."""
        public = self.task.settings.checklist.to_public()
        public["items"] = sanitize.public_items(public["items"])
        public["version"] = self.task.checklist_version
        return public

    def json(self, assessment) -> dict:
        """One version of a review or self-check as the page shows it (its time to the minute)."""
        version_id = assessment.checklist_version_id
        if version_id is not None and version_id not in self.numbers:
            version = ChecklistVersion.objects.get(pk=version_id)  # an older version: rare
            self.numbers[version_id] = version.number
            self.older_checklists[version.number] = version.checklist
        data = {"submitted_at": schedule.format_minute(assessment.created_at), "total": assessment.total,
                "items": assessment.items, "item_comments": assessment.item_comments,
                "comment": assessment.comment,
                "checklist_version": self.numbers.get(version_id, self.task.checklist_version)}
        if isinstance(assessment, Review):
            data["best_work"] = assessment.best_work
        return data

    def older(self) -> dict:
        """{number: public checklist} of every other version an assessment shown was made with."""
        return {str(number): {"items": sanitize.public_items(checklist_from_rs(rs).to_public()["items"])}
                for number, rs in self.older_checklists.items()}


def _histories(assignment_ids: list[int]) -> dict[int, list[Review]]:
    """Every submitted version of these assignments' reviews, oldest first."""
    history = defaultdict(list)
    if not assignment_ids:
        return history
    for review in Review.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id"):
        history[review.assignment_id].append(review)
    return history


def _self_check_histories(work_ids: list[int]) -> dict[int, list[SelfCheck]]:
    history = defaultdict(list)
    if not work_ids:
        return history
    for check in SelfCheck.objects.filter(work_id__in=work_ids).order_by("created_at", "id"):
        history[check.work_id].append(check)
    return history


def _review_to_do(assignment: Assignment, versions_of_mine: list[Review], draft: dict | None,
                  author_checks: list[SelfCheck], peers: list[Assignment], history: dict,
                  versions: _Versions) -> dict:
    latest = versions_of_mine[-1] if versions_of_mine else None
    return {
        "id": assignment.token,
        "title": str(work_title(assignment.position)),
        "url": assignment.work.url,
        "status": "submitted" if latest else "todo",
        "extra": assignment.extra,
        "expires_at": (schedule.format_datetime(assignment.expires_at)
                       if assignment.extra and not latest else None),
        "submitted_at": schedule.format_minute(latest.created_at) if latest else None,
        "total": latest.total if latest else None,
        "latest": versions.json(latest) if latest else None,
        "history": [versions.json(review) for review in versions_of_mine],
        "draft": draft,
        # R8: the author's self-check only once this reviewer's own review is in.
        "author_self_check": versions.json(author_checks[-1]) if latest and author_checks else None,
        # R8: after the end, what the other reviewers gave this work.
        "other_reviews": [{"title": str(reviewer_title(peer.reviewer_number)),
                           **versions.json(history[peer.pk][-1])}
                          for peer in sorted(peers, key=lambda p: p.reviewer_number)],
    }


def _review_received(assignment: Assignment, versions_of_review: list[Review], versions: _Versions) -> dict:
    latest = versions_of_review[-1]
    return {"title": str(reviewer_title(assignment.reviewer_number)), **versions.json(latest),
            "history": [versions.json(review) for review in versions_of_review]}


def grade_explanation(grade: Grade) -> dict:
    """The grade with how it was computed, in words a learner understands: every score received
    (counted, or left out and why) and, for a grade computed item by item, every item."""
    explained = [{"reviewer": str(reviewer_title(score["reviewer"])), "total": score["total"],
                  # Grades written before per-item grading have no "counted": their weight says.
                  "counted": score["counted"] if "counted" in score else score.get("weight", 1) > 0,
                  "weight": score.get("weight"), "adjusted": score.get("adjusted"),
                  "reason": i18n.render(score.get("reason"))}
                 for score in grade.detail.get("scores", [])]
    return {"status": grade.status, "points": grade.points, "max": grade.max_points,
            "exact": grade.exact_points, "policy": grade.policy, "message": _grade_message(grade),
            "rechecked": grade.detail.get("recheck") is not None,
            "scores": explained, "aggregation": grade.detail.get("aggregation", "total"),
            "items": learner_items(grade.detail)}


def _grade_message(grade: Grade) -> str:
    """The grade in one sentence, in the reader's language, with how it came about."""
    values = {"points": grade.points, "max": grade.max_points}
    if grade.status == Grade.REVIEWS_UNFINISHED:
        return gettext("Your grade is 0 because you did not finish all the reviews assigned to you. "
                       "Only learners who finish their reviews are graded.")
    if grade.status == Grade.NO_REVIEWS:
        return gettext("Your work received no reviews, so it has no grade yet. "
                       "The course staff have been told and will grade it.")
    recheck = grade.detail.get("recheck")
    if recheck is not None:  # a staff re-check (services/appeals.py) replaced the reviewers' grade
        before = recheck.get("previous_points")
        if before is None:
            return Text(N_("Your grade is %(points)s of %(max)s, from a re-check by course staff. "
                           "The reviewers' scores below no longer count."), values).render()
        return Text(N_("Your grade is %(points)s of %(max)s, from a re-check by course staff (the "
                       "reviewers' grade was %(before)s). The reviewers' scores below no longer count."),
                    {**values, "before": before}).render()
    summary = grade.detail.get("summary") or Text(POLICIES.get(grade.policy, grade.policy))
    return Text(N_("Your grade is %(points)s of %(max)s: %(how)s"),
                {**values, "how": i18n.render(summary)}).render()


def learner_items(detail: dict) -> list[dict]:
    """The per-item results of a grade for the learner: items with their sanitized `html`, each
    reviewer as "Reviewer N", and `calibration`, the points the item-by-item calibration against
    staff grades added (0: none; issue 16)."""
    return [{"id": item["id"], "type": item["type"], "text": item["text"],
             "html": sanitize.inline_html(item["text"]), "max": item["max"], "points": item["points"],
             "calibration": item.get("calibration", 0),
             "scores": [{"reviewer": str(reviewer_title(given["reviewer"])), "points": given["points"],
                         "counted": given["counted"], "reason": i18n.render(given["reason"])}
                        for given in item["given"]]}
            for item in detail.get("items") or []]
