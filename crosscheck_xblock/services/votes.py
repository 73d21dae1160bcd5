"""The vote on the best works among the course's top reviewers (issue 12, B4).

After the cross-check end, course staff may open a vote with a closing date and a number of votes
per voter (default 3). Who may vote: the top reviewers of the course by the reviewer rating
(F3), the top N or the top percent of the learners who have a rating; fixed when the vote opens,
as is the ballot (the works on the best works page, not removed, in its order). A voter may
change their votes until the close and never votes for their own work. Staff see the results at
any time, the voters after the close. Learners see works as "Shortlisted work N" and their links.
"""
import math
from datetime import datetime

from django.db import transaction

from .. import schedule
from ..errors import BadRequest, Conflict, NotAllowed, NotFound
from ..i18n import N_, Text, gettext, plural_text
from ..models import Ballot, BestWorkVote, Work
from . import best_works, reviewer_rating
from .guard import guarded
from .names import staff_name
from .registry import TaskRef

SHORTLIST_TITLE = N_("Shortlisted work %(n)s")
MAX_VOTES = 20
MAX_TOP = 100_000


def _positive(value: object, most: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= most


def _checked(data: dict, now: datetime) -> tuple[datetime, int, int | None, int | None]:
    try:
        closes_at = schedule.parse_datetime(data.get("closes_at"))
    except ValueError:
        closes_at = None
    if closes_at is None or closes_at <= now:
        raise BadRequest(gettext("Give the vote a closing date in the future (`closes_at`, e.g. "
                                 "\"2026-12-20T18:00:00Z\")."), "bad_vote")
    votes = data.get("votes_per_voter", 3)
    if not _positive(votes, MAX_VOTES):
        raise BadRequest(Text(N_("Each voter has 1 to %(max)s votes (`votes_per_voter`)."),
                              {"max": MAX_VOTES}).render(), "bad_vote")
    eligible = data.get("eligible")
    top = eligible.get("top") if isinstance(eligible, dict) and len(eligible) == 1 else None
    percent = eligible.get("top_percent") if isinstance(eligible, dict) and len(eligible) == 1 else None
    if not (_positive(top, MAX_TOP) or _positive(percent, 100)):
        raise BadRequest(gettext("Say who may vote: `eligible` is {\"top\": N} (the N best reviewers) or "
                                 "{\"top_percent\": P} (the best P percent)."), "bad_vote")
    return closes_at, votes, top if _positive(top, MAX_TOP) else None, percent if _positive(percent, 100) else None


def _top_reviewers(task: TaskRef, top: int | None, percent: int | None, now: datetime) -> list[str]:
    """The anonymous ids of the course's best reviewers by rating (ties broken by the rating's
    own order: more reviews first, then the name)."""
    rated = reviewer_rating.rated(task, now)
    count = top if top is not None else math.ceil(len(rated) * percent / 100)
    return [row["student_id"] for row in rated[:count]]


@guarded
def staff_open_vote(task: TaskRef, data: dict, staff: str, now: datetime) -> dict:
    """Open the vote (once per task, after the cross-check end); the best works page."""
    if task.phase(now) not in best_works.ENDED:
        raise Conflict(gettext("The vote opens after the cross-check end."), "vote_not_ready")
    closes_at, votes, top, percent = _checked(data, now)
    shortlist = [row["work_id"] for row in best_works.page_rows(task) if not row["removed"]]
    if not shortlist:
        raise Conflict(gettext("There are no best works to vote on: the page is empty."), "no_best_works")
    eligible = _top_reviewers(task, top, percent, now)
    with transaction.atomic():
        if BestWorkVote.objects.select_for_update().filter(task_id=task.id).exists():
            raise Conflict(gettext("This task already has a vote."), "vote_exists")
        BestWorkVote.objects.create(task_id=task.id, opened_at=now, opened_by=staff, closes_at=closes_at,
                                    votes_per_voter=votes, top=top, top_percent=percent,
                                    eligible=eligible, shortlist=shortlist)
    return best_works.staff_best_works(task, now)


def _tally(vote: BestWorkVote) -> dict[int, int]:
    counts = dict.fromkeys(vote.shortlist, 0)
    for work_id in Ballot.objects.filter(vote=vote).values_list("work_id", flat=True):
        counts[work_id] = counts.get(work_id, 0) + 1
    return counts


def staff_part(task: TaskRef, now: datetime) -> dict | None:
    """The vote for the staff page: its settings and the results so far, most votes first."""
    vote = BestWorkVote.objects.filter(task_id=task.id).first()
    if vote is None:
        return None
    counts = _tally(vote)
    works = {work.pk: work for work in Work.objects.filter(pk__in=vote.shortlist)}
    voters = Ballot.objects.filter(vote=vote).values("voter").distinct().count()
    order = {work_id: index for index, work_id in enumerate(vote.shortlist)}
    results = sorted(({"work_id": work_id, "learner": staff_name(works[work_id]), "url": works[work_id].url,
                       "votes": n} for work_id, n in counts.items() if work_id in works),
                     key=lambda r: (-r["votes"], order.get(r["work_id"], 0)))
    return {"closes_at": schedule.format_datetime(vote.closes_at), "open": now < vote.closes_at,
            "votes_per_voter": vote.votes_per_voter,
            "eligible": {"top": vote.top} if vote.top is not None else {"top_percent": vote.top_percent},
            "voters": len(vote.eligible), "voted": voters, "opened_by": vote.opened_by,
            "results": results}


def learner_part(task: TaskRef, student_id: str | None, now: datetime) -> dict | None:
    """The vote as a learner sees it (None when there is none); the ballot only for the eligible,
    the results for them after the close."""
    vote = BestWorkVote.objects.filter(task_id=task.id).first()
    if vote is None or not student_id:
        return None
    is_open = now < vote.closes_at
    eligible = student_id in vote.eligible
    part = {"eligible": eligible, "open": is_open, "closes_at": schedule.format_datetime(vote.closes_at),
            "votes_per_voter": vote.votes_per_voter, "works": [], "my_votes": [], "results": None}
    if not eligible:
        return part
    works = {work.pk: work for work in Work.objects.filter(pk__in=vote.shortlist)}
    titles = {work_id: Text(SHORTLIST_TITLE, {"n": n}).render() for n, work_id in enumerate(vote.shortlist, 1)}
    part["works"] = [{"id": work_id, "title": titles[work_id], "url": works[work_id].url,
                      "own": works[work_id].student_id == student_id}
                     for work_id in vote.shortlist if work_id in works]
    part["my_votes"] = list(Ballot.objects.filter(vote=vote, voter=student_id).values_list("work_id", flat=True))
    if not is_open:
        counts = _tally(vote)
        part["results"] = sorted(({"id": work_id, "title": titles[work_id], "votes": n}
                                  for work_id, n in counts.items() if work_id in titles),
                                 key=lambda r: (-r["votes"], vote.shortlist.index(r["id"])))
    return part


@guarded
def cast_votes(task: TaskRef, student_id: str | None, work_ids: object, now: datetime) -> None:
    """The voter's votes, replacing any earlier ones (until the close)."""
    with transaction.atomic():
        vote = BestWorkVote.objects.select_for_update().filter(task_id=task.id).first()
        if vote is None or now >= vote.closes_at:
            raise Conflict(gettext("There is no vote open on the best works of this task."), "vote_closed")
        if not student_id or student_id not in vote.eligible:
            raise NotAllowed(gettext("Only the course's top reviewers, chosen when the vote opened, may vote."),
                             "not_eligible")
        if not isinstance(work_ids, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in work_ids):
            raise BadRequest(gettext("`work_ids` must be a list of the shortlisted works' ids."), "bad_work")
        chosen = list(dict.fromkeys(work_ids))
        if len(chosen) > vote.votes_per_voter:
            raise BadRequest(plural_text("You have %(n)s vote: choose at most %(n)s work.",
                                         "You have %(n)s votes: choose at most %(n)s works.",
                                         vote.votes_per_voter).render(), "too_many_votes")
        if any(work_id not in vote.shortlist for work_id in chosen):
            raise NotFound(gettext("That work is not on the ballot."), "unknown_work")
        own = set(Work.objects.filter(pk__in=chosen, student_id=student_id).values_list("pk", flat=True))
        if own:
            raise BadRequest(gettext("You cannot vote for your own work."), "own_work")
        Ballot.objects.filter(vote=vote, voter=student_id).delete()
        Ballot.objects.bulk_create([Ballot(vote=vote, voter=student_id, work_id=work_id, created_at=now)
                                    for work_id in chosen])
