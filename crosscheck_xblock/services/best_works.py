"""The best works (issue 12, B1–B3, R5): the staff page, the thanks to the authors, the gallery.

A work is on the page when at least one reviewer's latest review marks it as best (R5), or when
course staff added it by hand; sorted by the number of marks, then by grade. Staff remove and
restore works (nothing is lost: a removed work stays listed as removed), thank the authors of
the selected works (once per work, however often staff click) and may show the selected works
to the task's learners after the end, as a gallery of links under their gallery numbers
("Best work 1"), from which an author may withdraw their own. Every change is recorded with who
and when.

What a learner sees names nobody: their own work's thanks and, after the cross-check end, how
many reviewers marked it; the gallery shows links and numbers only.
"""
from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from .. import schedule
from ..errors import BadRequest, Conflict, NotFound
from ..i18n import N_, Text, gettext
from ..models import BestWork, BestWorkChange, Grade, Review, Work
from . import votes
from .exports import csv_text
from .guard import guarded
from .names import staff_name
from .registry import TaskRef

MAX_NOTE_LENGTH = 2_000
MAX_WORK_ID = 2 ** 63 - 1
MAX_IDS = 10_000  # one request names at most this many works
THANKS_TEXT = N_("Your work was chosen as one of the best works of this cross-check.")
GALLERY_TITLE = N_("Best work %(n)s")
ENDED = (schedule.REVIEW_CLOSED, schedule.CLOSED)
EXPORT_COLUMNS = ["work_id", "learner", "work_url", "marks", "points", "added_by_staff", "removed",
                  "thanked", "in_gallery"]


def marks(task: TaskRef, work_ids: list[int] | None = None) -> tuple[dict[int, int], dict[int, list[str]]]:
    """({work pk: reviewers whose latest review marks it as best}, {work pk: their comments}),
    from the latest version of every review (of the works `work_ids`, if given; one query)."""
    latest = {}
    reviews = Review.objects.filter(assignment__task_id=task.id)
    if work_ids is not None:
        reviews = reviews.filter(assignment__work_id__in=work_ids)
    for assignment_id, work_id, best, comment in (
            reviews.order_by("created_at", "id")
            .values_list("assignment_id", "assignment__work_id", "best_work", "comment")):
        latest[assignment_id] = (work_id, best, comment)
    counts, comments = defaultdict(int), defaultdict(list)
    for work_id, best, comment in latest.values():
        if best:
            counts[work_id] += 1
            if comment.strip():
                comments[work_id].append(comment)
    return dict(counts), dict(comments)


def page_rows(task: TaskRef) -> list[dict]:
    """The works on the page, sorted (four queries)."""
    return _rows(task)[0]


def _rows(task: TaskRef, work_ids: list[int] | None = None) -> tuple[list[dict], dict[int, Work], dict]:
    """Every work on the page (of `work_ids`, if given), sorted; the works read by pk; their grades
    (four queries)."""
    only = {} if work_ids is None else {"work_id__in": work_ids}
    works = {work.pk: work for work in Work.objects.filter(
        task_id=task.id, **({} if work_ids is None else {"pk__in": work_ids}))}
    counts, comments = marks(task, work_ids)
    curated = {row.work_id: row for row in BestWork.objects.filter(work__task_id=task.id, **only)}
    grades = dict(Grade.objects.filter(work__task_id=task.id, **only).values_list("work_id", "points"))
    listed = []
    for work_id in set(counts) | {pk for pk, row in curated.items() if row.added_by_staff or counts.get(pk)}:
        row = curated.get(work_id)
        work = works[work_id]
        listed.append({"work_id": work_id, "learner": staff_name(work), "url": work.url,
                       "marks": counts.get(work_id, 0), "grade": grades.get(work_id),
                       "added_by_staff": bool(row and row.added_by_staff), "removed": bool(row and row.removed),
                       "thanked": bool(row and row.thanked_at),
                       "thanked_at": schedule.format_datetime(row.thanked_at) if row else None,
                       "in_gallery": bool(row and row.in_gallery), "withdrawn": bool(row and row.withdrawn),
                       "explanations": comments.get(work_id, [])})
    listed.sort(key=lambda r: (-r["marks"], -(r["grade"] if r["grade"] is not None else -1), r["work_id"]))
    return listed, works, grades


@guarded
def staff_best_works(task: TaskRef, now: datetime) -> dict:
    """The best works page for staff: the listed works, the others (to add by hand) and the log of
    changes, newest first. A fixed number of queries however many works there are."""
    listed, works, grades = _rows(task)
    on_page = {row["work_id"] for row in listed}
    others = [{"work_id": pk, "learner": staff_name(work), "url": work.url, "grade": grades.get(pk)}
              for pk, work in sorted(works.items()) if pk not in on_page]
    changes = [{"work_id": change.work_id, "learner": staff_name(works[change.work_id]),
                "action": change.action, "by": change.by, "at": schedule.format_datetime(change.at)}
               for change in BestWorkChange.objects.filter(task_id=task.id).order_by("-at", "-id")[:200]]
    return {"works": listed, "others": others, "changes": changes, "vote": votes.staff_part(task, now),
            "gallery_shown": task.phase(now) in ENDED}


def _work_ids(value: object, name: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_IDS or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_WORK_ID for v in value):
        raise BadRequest(Text(N_("`%(name)s` must be a list of work ids (numbers from the staff list)."),
                              {"name": name}).render(), "bad_work")
    return list(dict.fromkeys(value))


def _known(task: TaskRef, ids: list[int]) -> dict[int, Work]:
    found = {work.pk: work for work in Work.objects.filter(task_id=task.id, pk__in=ids)}
    if len(found) != len(ids):
        raise NotFound(gettext("There is no such work in this cross-check."), "unknown_work")
    return found


@guarded
def staff_best_works_edit(task: TaskRef, data: dict, staff: str, now: datetime) -> dict:
    """Add works by hand, remove and restore works, put them in the gallery or take them out
    (`{"add", "remove", "restore", "gallery_add", "gallery_remove"}`: lists of work ids); all or
    nothing; every change recorded. The page as `staff_best_works` answers it."""
    actions = {key: _work_ids(data.get(key), key)
               for key in ("add", "remove", "restore", "gallery_add", "gallery_remove")}
    named = [pk for ids in actions.values() for pk in ids]
    if len(set(actions["remove"]) & set(actions["restore"])) or len(
            set(actions["gallery_add"]) & set(actions["gallery_remove"])):
        raise BadRequest(gettext("A work cannot be removed and restored (or put in and taken out of the "
                                 "gallery) in one request."), "bad_work")
    with transaction.atomic():
        _known(task, named)
        rows = {row.work_id: row for row in BestWork.objects.select_for_update().filter(work_id__in=named)}
        changes = []

        def row(pk):
            if pk not in rows:
                rows[pk] = BestWork.objects.create(work_id=pk)
            return rows[pk]

        def change(pk, action, field, value):
            current = row(pk)
            if getattr(current, field) != value:
                setattr(current, field, value)
                current.save(update_fields=[field])
                changes.append(BestWorkChange(task_id=task.id, work_id=pk, action=action, by=staff, at=now))

        for pk in actions["add"]:
            change(pk, BestWorkChange.ADD, "added_by_staff", True)
            change(pk, BestWorkChange.RESTORE, "removed", False)
        for pk in actions["remove"]:
            change(pk, BestWorkChange.REMOVE, "removed", True)
        for pk in actions["restore"]:
            change(pk, BestWorkChange.RESTORE, "removed", False)
        for pk in actions["gallery_add"]:
            change(pk, BestWorkChange.GALLERY_ADD, "in_gallery", True)
        for pk in actions["gallery_remove"]:
            change(pk, BestWorkChange.GALLERY_REMOVE, "in_gallery", False)
        BestWorkChange.objects.bulk_create(changes)
    return staff_best_works(task, now)


@guarded
def staff_best_works_thank(task: TaskRef, work_ids: object, note: object, staff: str, now: datetime) -> dict:
    """Thank the authors of these works (B3): `{"thanked": n, "already": m}`. A work is thanked
    once: a second thanks changes nothing. Only works on the page (and not removed) are thanked."""
    ids = _work_ids(work_ids, "work_ids")
    if not ids:
        raise BadRequest(gettext("Select at least one work to thank (`work_ids`)."), "bad_work")
    if note is None:
        note = ""
    if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
        raise BadRequest(Text(N_("The note must be text of at most %(max)s characters."),
                              {"max": MAX_NOTE_LENGTH}).render(), "bad_note")
    listed = _rows(task, ids)[0]
    on_page = {row["work_id"] for row in listed if not row["removed"]}
    with transaction.atomic():
        _known(task, ids)
        if any(pk not in on_page for pk in ids):
            raise Conflict(gettext("Only works on the best works page (not removed) can be thanked."),
                           "not_best_work")
        rows = {row.work_id: row for row in BestWork.objects.select_for_update().filter(work_id__in=ids)}
        thanked = already = 0
        for pk in ids:
            row = rows.get(pk) or BestWork.objects.create(work_id=pk)
            if row.thanked_at is not None:
                already += 1
                continue
            row.thanked_at, row.thanked_by, row.thanks_note = now, staff, note.strip()
            row.save(update_fields=["thanked_at", "thanked_by", "thanks_note"])
            BestWorkChange.objects.create(task_id=task.id, work_id=pk, action=BestWorkChange.THANK, by=staff, at=now)
            thanked += 1
    return {"thanked": thanked, "already": already}


# ---------------------------------------------------------------- what learners see

def learner_part(task: TaskRef, work: Work, phase: str) -> dict | None:
    """The author's own best-work news: the thanks (with the note) and, after the end, how many
    reviewers marked the work (N12 reads the same); None when there is nothing to say (two queries;
    one when the work was read with select_related("best"), as the learner's state reads it)."""
    try:
        row = work.best
    except ObjectDoesNotExist:
        row = None
    ended = phase in ENDED
    count = marks(task, [work.pk])[0].get(work.pk, 0) if ended else None
    thanked = row is not None and row.thanked_at is not None
    if not thanked and not count:
        return None
    return {"thanked": thanked, "text": gettext(THANKS_TEXT) if thanked else None,
            "note": row.thanks_note if thanked else "",
            "thanked_at": schedule.format_datetime(row.thanked_at) if thanked else None,
            "marks": count,
            "in_gallery": bool(row and row.in_gallery and not row.withdrawn and not row.removed and ended),
            "can_withdraw": bool(row and row.in_gallery and not row.withdrawn)}


def gallery(task: TaskRef, phase: str) -> list[dict] | None:
    """The gallery for the task's learners after the end: links and gallery numbers, in the page's
    order (None before the end or when staff put nothing in it)."""
    if phase not in ENDED:
        return None
    rows = {row.work_id: row for row in BestWork.objects.filter(work__task_id=task.id, in_gallery=True,
                                                               withdrawn=False, removed=False)}
    if not rows:
        return None
    listed = _rows(task, list(rows))[0]  # the gallery's works only: a page view reads no more
    return [{"title": Text(GALLERY_TITLE, {"n": number}).render(), "url": row["url"]}
            for number, row in enumerate(listed, start=1)]


@guarded
def withdraw_from_gallery(task: TaskRef, student_id: str | None, now: datetime) -> None:
    """The author takes their work out of the gallery (staff can no longer put it back)."""
    work = Work.objects.filter(task_id=task.id, student_id=student_id).first() if student_id else None
    row = BestWork.objects.filter(work=work).first() if work is not None else None
    if row is None or not row.in_gallery:
        raise Conflict(gettext("Your work is not in the gallery."), "not_in_gallery")
    if row.withdrawn:
        return
    with transaction.atomic():
        BestWork.objects.filter(pk=row.pk).update(withdrawn=True)
        BestWorkChange.objects.create(task_id=task.id, work=work, action=BestWorkChange.WITHDRAW, by="", at=now)


# ---------------------------------------------------------------- export

@guarded
def best_works_csv(task: TaskRef, keys: bool = False, selection: list[int] | None = None) -> str:
    """The page as CSV (all works on it, or the selected ones), hardened like the other exports."""
    listed = _rows(task, selection)[0]
    return csv_text(EXPORT_COLUMNS, ([row["work_id"], row["learner"], row["url"], row["marks"], row["grade"],
                                      row["added_by_staff"], row["removed"], row["thanked"], row["in_gallery"]]
                                     for row in listed), keys)
