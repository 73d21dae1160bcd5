"""What grading, analytics, appeals and exports read: the latest version of every submitted
review and self-check of a task, and its checklist versions. One query each.
"""
import json
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import TextField
from django.db.models.functions import Cast

from ..checklist import Checklist, checklist_from_rs, item_points
from ..models import ChecklistVersion, Review, SelfCheck
from .registry import TaskRef


@dataclass(frozen=True)
class LatestReview:
    """The latest version of one submitted review: who, of what, and what it gave.

    number: "Reviewer N" of the work's author; position: "Work N" of the reviewer; items: the
    stored fractions {item_id: 0..1}; version_id: its checklist version (None for old rows).
    comment, item_comments_json: the overall comment and the item comments as stored (JSON text,
    decoded by `item_comments` when needed), read only with `with_comments`.
    """

    number: int
    reviewer_id: int
    work_id: int
    position: int
    total: float
    items: dict
    version_id: int | None
    comment: str = ""
    item_comments_json: str | None = None

    def item_comments(self) -> dict:
        """{item_id: text} of the review's item comments ({} when not read or not a mapping)."""
        if not self.item_comments_json or self.item_comments_json == "{}":
            return {}
        found = json.loads(self.item_comments_json)
        return found if isinstance(found, dict) else {}


def latest_reviews(task: TaskRef, work_ids: list[int] | None = None, with_items: bool = True,
                   with_comments: bool = False) -> list[LatestReview]:
    """The latest version of every submitted review (of the works `work_ids`, if given), by work
    then reviewer number (one query). `with_items=False` leaves the items unread (None): reading
    40,000 reviews' items is a good part of what a 10,000-work task costs, and only the per-item
    aggregation needs them. `with_comments` reads the comments too (in the same query; the item
    comments as their JSON text, decoded only where they are looked at)."""
    latest = {}
    reviews = Review.objects.filter(assignment__task_id=task.id)
    if work_ids is not None:
        reviews = reviews.filter(assignment__work_id__in=work_ids)
    items = "items" if with_items else "checklist_version_id"  # the same column twice: items not read
    columns = ["assignment_id", "assignment__reviewer_number", "assignment__reviewer_id",
               "assignment__work_id", "assignment__position", "total", items, "checklist_version_id"]
    if with_comments:
        reviews = reviews.annotate(item_comments_json=Cast("item_comments", TextField()))
        columns += ["comment", "item_comments_json"]
    rows = reviews.order_by("created_at", "id").values_list(*columns)
    for assignment_id, number, reviewer_id, work_id, position, total, given, version_id, *comments in rows:
        latest[assignment_id] = LatestReview(number, reviewer_id, work_id, position, total,
                                             given if with_items else None, version_id,
                                             *((comments[0] or "", comments[1]) if comments else ()))
    return sorted(latest.values(), key=attrgetter("work_id", "number"))


def latest_self_checks(task: TaskRef, work_ids: list[int] | None = None) -> dict[int, float]:
    """{work id: total of the author's latest self-check} (of the works `work_ids`, if given;
    one query)."""
    totals = {}
    checks = SelfCheck.objects.filter(work__task_id=task.id)
    if work_ids is not None:
        checks = checks.filter(work_id__in=work_ids)
    for work_id, total in checks.order_by("created_at", "id").values_list("work_id", "total"):
        totals[work_id] = total  # the latest version wins
    return totals


def checklists(task: TaskRef) -> dict[int, Checklist]:
    """{checklist version id: checklist} of the task (one query; a task has a few versions)."""
    return {version.pk: checklist_from_rs(version.checklist)
            for version in ChecklistVersion.objects.filter(task_id=task.id)}


def item_points_of(review: LatestReview, checklist: Checklist | None) -> dict | None:
    """{item_id: points} of a review (fraction x the item's max), None when its checklist
    version is unknown or does not have its items."""
    if checklist is None or not isinstance(review.items, dict):
        return None
    scored = {item.id: item for item in checklist.scored_items}
    if set(review.items) != set(scored):
        return None
    return {item_id: item_points(scored[item_id], value) for item_id, value in review.items.items()}
