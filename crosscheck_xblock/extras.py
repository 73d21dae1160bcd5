"""Extra reviews (D4, C4): which works lack reviews, and which one an active learner takes next.

Pure: no framework imports. The service (services/extras.py) feeds it the task's counts under the
task's lock; the coverage benchmark (bench/bench_coverage.py) feeds it a simulated cohort. Both
therefore follow one rule.

A work is in the pool while the reviews it can still expect are fewer than k:

    submitted + open leases + blocking assigned reviewers < k

An assigned reviewer who has not submitted blocks the pool until the middle of the review period;
after it, only if they have shown a sign of life (a review or a draft in the task). Their review
still counts whenever it arrives: the pool only decides who else is offered the work. A task may
end with a window of extra reviews only: from the assigned reviews' due time to the end no
assigned reviewer holds a slot (nor may submit), so every extra then lands where it is needed.
"""
import hashlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

DEFAULT_LEASE_HOURS = 4
DEFAULT_LIMIT = 2  # extra reviews one learner may do in one task (0 turns extras off)


@dataclass(frozen=True)
class PoolWork:
    """One work's review counts at one moment.

    `idle_since` orders works that are equally short of reviews: the earliest time any of its
    missing reviewers was last active (a draft saved, else the start of the review period), as a
    number (seconds); the longest idle comes first.
    """

    work: Hashable
    submitted: int
    leased: int = 0
    pending: int = 0  # assigned reviewers who have not submitted and still block (see `blocking`)
    idle_since: float = 0.0


def blocking(active: bool, past_middle: bool, past_due: bool = False) -> bool:
    """Whether an assigned reviewer who has not submitted yet still holds their slot. After the
    assigned reviews are due (a task with a window of extra reviews only), nobody does."""
    return not past_due and (active or not past_middle)


def in_pool(work: PoolWork, k: int) -> bool:
    """True while `work` can expect fewer than k reviews."""
    return work.submitted + work.leased + work.pending < k


def pool(works: Iterable[PoolWork], k: int) -> list[PoolWork]:
    """The works that lack reviews, neediest first (see `choose`)."""
    return sorted((w for w in works if in_pool(w, k)), key=_need)


def _need(work: PoolWork) -> tuple:
    # Fewest submitted reviews first, then the longest idle missing reviewers; the last key only
    # makes the order total (a stable hash, so equal works are not taken in id order).
    return (work.submitted, work.idle_since, hashlib.blake2b(repr(work.work).encode(), digest_size=8).digest())


def choose(works: Iterable[PoolWork], k: int, own: Hashable, reviewing: Iterable[Hashable],
           reviewed_by: Iterable[Hashable]) -> Hashable | None:
    """The work a learner who asks for an extra review gets, or None when none needs one.

    `own` is the learner's own work, `reviewing` the works they already review (assigned or
    extra), `reviewed_by` the works whose authors review the learner's work. Never their own work
    or one they already review; a work of someone who reviews them (a mutual pair) only when no
    other work needs a review.
    """
    excluded = set(reviewing) | {own}
    mutual = set(reviewed_by)
    candidates = [w for w in pool(works, k) if w.work not in excluded]
    preferred = [w for w in candidates if w.work not in mutual]
    chosen = (preferred or candidates)[:1]
    return chosen[0].work if chosen else None


def needs_any(works: Sequence[PoolWork], k: int, own: Hashable, reviewing: Iterable[Hashable]) -> bool:
    """Whether `choose` would find a work (the block offers an extra review only then)."""
    excluded = set(reviewing) | {own}
    return any(in_pool(w, k) and w.work not in excluded for w in works)
