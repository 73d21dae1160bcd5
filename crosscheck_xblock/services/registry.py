"""The task row of each block: its settings copy, its checklist versions, and its lock.

Every other service takes a `TaskRef` as its first argument: a frozen snapshot of the task row
(identity, status, settings, current checklist version) read once per request. A write whose
outcome depends on the task's state does not trust the snapshot's status: it locks the row and
reads the status again inside its own transaction (`lock_status`, `lock_row`).
"""
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from .. import schedule
from ..errors import NotFound
from ..i18n import gettext
from ..models import Appeal, ChecklistVersion, Review, SelfCheck, Task
from .guard import guarded
from .task_settings import TaskSettings


@dataclass(frozen=True)
class TaskRef:
    """One task as the services see it for the length of a request (plain values only)."""

    id: int
    usage_key: str
    course_id: str
    status: str
    settings: TaskSettings
    checklist_version_id: int
    checklist_version: int  # its number ("version 2"), as learners see it
    reviewers_per_work: int = 0
    distribution_note: str = ""
    distributed_at: datetime | None = None
    completed_at: datetime | None = None

    def phase(self, now: datetime) -> str:
        """Where the task is at `now` (see schedule.py), by its status when it was read."""
        return self.settings.phase(self.status, now)


@guarded
def sync_task(usage_key: str, course_id: str, config: dict) -> TaskRef:
    """Create the task row of a published block, or refresh its settings copy when it changed.

    Called with the settings of the published block only (LMS views, the publish hook), never
    from Studio or its preview. The due-date columns the sweep searches (`starts_at`,
    `closes_at`) are refreshed with the copy, so a date moved in Studio and published moves the
    automatic steps with it. A changed checklist gets a new version row (R9).
    """
    settings = TaskSettings.from_config(config)
    due = _due_columns(settings.timeline)
    # The row with its newest checklist version in one query (a page view's every query costs
    # more to build than to run: issue 15); the first view of a block creates both.
    newest = (ChecklistVersion.objects.select_related("task").filter(task__usage_key=usage_key)
              .order_by("-number").first())
    if newest is not None:
        task, created = newest.task, False
    else:
        task, created = Task.objects.get_or_create(
            usage_key=usage_key, defaults={"course_id": course_id, "config": config, **due})
    if not created and (task.config != config or task.course_id != course_id
                        or any(getattr(task, name) != value for name, value in due.items())):
        Task.objects.filter(pk=task.pk).update(config=config, course_id=course_id, **due)
        task.config, task.course_id = config, course_id
        for name, value in due.items():
            setattr(task, name, value)
    # The newest version read above is current while the checklist is the same; otherwise (or
    # with no version yet) one is added.
    version = current_checklist_version(task, latest=newest)
    return task_ref(task, settings, version=(version.pk, version.number))


@guarded
def find_task(usage_key: str) -> TaskRef:
    """The task of a block (NotFound when nobody opened the published block yet)."""
    task = Task.objects.filter(usage_key=usage_key).first()
    if task is None:
        raise NotFound(gettext("This cross-check has no data yet: nobody has opened it in the LMS."),
                       "unknown_task")
    return task_ref(task)


@guarded
def read_task(usage_key: str) -> TaskRef:
    """The task of a block as it was last synced, in one query, writing nothing: its row with its
    newest checklist version. For a staff export's download link, whose handler synced the task
    a moment before (NotFound when the task is gone)."""
    newest = ChecklistVersion.objects.filter(task=OuterRef("pk")).order_by("-number")
    task = (Task.objects.filter(usage_key=usage_key)
            .annotate(newest_version_id=Subquery(newest.values("pk")[:1]),
                      newest_version=Subquery(newest.values("number")[:1])).first())
    if task is None:
        raise NotFound(gettext("This cross-check no longer exists."), "unknown_task")
    if task.newest_version_id is None:  # no version row yet: made as find_task makes it
        return task_ref(task)
    return task_ref(task, version=(task.newest_version_id, task.newest_version))


@guarded
def delete_task(usage_key: str) -> bool:
    """Delete a block's task with everything in it (works, reviews, grades); True if it existed.
    For resetting a demo or a test course; the gradebook keeps what it received."""
    with transaction.atomic():
        task = Task.objects.filter(usage_key=usage_key).first()
        if task is None:
            return False
        # What points at a checklist version (kept from deletion on purpose: a version must not
        # vanish under its reviews) goes first, then the task with everything else.
        Review.objects.filter(assignment__task=task).delete()
        SelfCheck.objects.filter(work__task=task).delete()
        Appeal.objects.filter(work__task=task).delete()
        task.delete()
    return True


@guarded
def task_started(usage_key: str) -> bool:
    """True once works were distributed: a checklist edit then applies to new reviews only."""
    return Task.objects.filter(usage_key=usage_key).exclude(status=schedule.OPEN).exists()


def refresh(task: TaskRef) -> TaskRef:
    """The same task read again (after a step changed its status)."""
    row = Task.objects.filter(pk=task.id).first()
    if row is None:
        raise NotFound(gettext("This cross-check no longer exists."), "unknown_task")
    return task_ref(row)


def task_ref(task: Task, settings: TaskSettings | None = None, version: tuple[int, int] | None = None) -> TaskRef:
    """The snapshot of a task row (one query for its current checklist version, unless `version`
    gives its id and number)."""
    settings = settings or TaskSettings.from_config(task.config)
    if version is None:
        row = current_checklist_version(task)
        version = (row.pk, row.number)
    return TaskRef(
        id=task.pk, usage_key=task.usage_key, course_id=task.course_id, status=task.status,
        settings=settings, checklist_version_id=version[0], checklist_version=version[1],
        reviewers_per_work=task.reviewers_per_work, distribution_note=task.distribution_note,
        distributed_at=task.distributed_at, completed_at=task.completed_at)


def _due_columns(timeline: schedule.Timeline) -> dict:
    return {"starts_at": timeline.review_start, "closes_at": timeline.closes, "opens_at": timeline.opens,
            "submission_due_at": timeline.submission_due, "review_due_at": timeline.review_due}


_UNREAD = object()


def current_checklist_version(task: Task, latest: ChecklistVersion | None | object = _UNREAD) -> ChecklistVersion:
    """The version row of the task's current checklist, added when the checklist changed
    (`latest`: the task's newest version row, or None for none, when the caller has read it)."""
    checklist = task.config.get("checklist") or {}
    if latest is _UNREAD:
        latest = task.checklist_versions.order_by("-number").first()
    if latest is not None and latest.checklist == checklist:
        return latest
    number = latest.number + 1 if latest else 1
    version, _ = ChecklistVersion.objects.get_or_create(task=task, number=number,
                                                        defaults={"checklist": checklist})
    return version


# ---------------------------------------------------------------- locks

def lock_row(task: TaskRef, *, wait: bool = True) -> Task | None:
    """The task row, locked for update until the transaction ends; None if `wait` is False and
    another transaction holds it. For the steps that change the task (distribute, grade).

    The row lock is what makes the automatic steps happen once: every step re-reads the status
    under it. (SQLite has no row locks; there the database lock serializes writers.)
    """
    row = Task.objects.select_for_update(skip_locked=not wait).filter(pk=task.id).first()
    if row is None and wait:
        raise NotFound(gettext("This cross-check no longer exists."), "unknown_task")
    return row


def lock_status(task: TaskRef) -> str:
    """The task's status now, with the row locked in share mode until the transaction ends.

    The writes grading depends on (reviews, self-checks, appeals) take this lock: many of them
    run side by side, but none while a step holds the row for update. So a review either
    commits before the grading reads the reviews (and counts), or waits and then sees the new
    status (and is refused); it is never lost in between. Call inside `transaction.atomic()`.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_status needs a transaction")  # a programming error, not a request's
    suffix = {"mysql": " LOCK IN SHARE MODE", "postgresql": " FOR SHARE"}.get(connection.vendor, "")
    table = connection.ops.quote_name(Task._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{suffix}", [task.id])  # i18n: code
        row = cursor.fetchone()
    if row is None:
        raise NotFound(gettext("This cross-check no longer exists."), "unknown_task")
    return row[0]
