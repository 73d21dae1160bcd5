"""Simulated cohorts for the extra-review rule (D4): how many works end with k reviews.

`make bench-coverage` (bench/bench_coverage.py) prints the numbers; this module draws the cohorts
and plays the review period through, following the block's rules exactly: the initial
assignment is `distribution.assign_reviewers`, and every extra review a learner takes is
`extras.choose` over the works' counts at that moment (`extras.blocking` decides which missing
reviewers still hold their slot). The rule's settings (limit, lease, when idle reviewers stop
blocking) are a `Rule`; the learners' habits a `Behaviour`.

The behaviour model (every number is a field of `Behaviour`; none is fitted to a target; the
shared research has no data on when peer reviewers act, so these are stated assumptions):
- No-shows (an exact share of the cohort) never open the review form: no draft, no review, no
  extra.
- Active learners submit their first review at a time drawn from Beta(1.5, 1) over the review
  period: the density rises towards the deadline (a deadline rush): 19 % start in the first
  day of three, 35 % in the second, 46 % in the last. Each next review follows in the same
  sitting (15-60 min later) or, with probability 0.3, in another sitting at a time uniform
  between the last review and the deadline; a review the same sitting would finish after the
  deadline is hurried in before it. The draft is saved when a review begins (the form saves
  drafts as the learner types), 15-60 min before it is submitted. So active learners who do not
  stop early finish their assigned reviews in time, and many only near the end.
- Partial reviewers: 10 % of active learners stop for good after a random 1..k-1 of their
  reviews (research/scoring.md's "realistic" class has 15 % such reviewers).
- Extra takers: 40 % of active learners take extra works when offered, once they have submitted
  all their assigned reviews: they look at the offer right after their last assigned review and
  after each extra they submit, and otherwise come back every 12 h on average (exponential)
  until extras close. They take one whenever the block offers it (no open extra, under the
  limit, `choose` finds a work). An extra is submitted with probability 0.8, 15 min to 3 h after
  it was taken (inside the 4 h lease); otherwise it is abandoned and its lease runs out.

The rule as the block applies it (see extras.py), with these readings where the issue leaves a
choice: a reviewer shows a sign of life with any draft or review of theirs in the task
(`Rule.sign_of_life = "reviewer"`; "assignment" counts only a draft of that review); the limit
counts submitted extras (an expired lease does not use it up); a learner is never offered a
work again whose lease they let expire; an abandoned lease returns the work to the pool at the
lease's end. Times are hours from the start of the review period, events are played in time
order (exact times, finer than any step).

Pure: standard library and the pure distribution and extras modules.
"""

from __future__ import annotations

import heapq
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crosscheck_xblock.distribution import assign_reviewers
from crosscheck_xblock.extras import DEFAULT_LEASE_HOURS, DEFAULT_LIMIT, PoolWork, blocking, choose, in_pool

__all__ = ["PERIOD_HOURS", "Behaviour", "Cohort", "Outcome", "Rule", "Summary", "draw_cohort", "run_config",
           "simulate", "summarize"]

# The block's default review period is 3 days from the start.
PERIOD_HOURS = 72.0


@dataclass(frozen=True)
class Behaviour:
    """What the learners do (see the module docstring). Shares are of active learners unless
    said otherwise; times are in hours."""

    start_rush: tuple[float, float] = (1.5, 1.0)  # Beta(a, b) of the first review's start / period
    review_hours: tuple[float, float] = (0.25, 1.0)  # uniform: time a review takes
    new_sitting: float = 0.3  # chance the next review is done in another sitting (uniform until the end)
    partial: float = 0.10  # stop for good after a random 1..k-1 reviews
    takers: float = 0.40  # come back for extra works after finishing their assigned ones
    visit_gap_hours: float = 12.0  # mean wait between visits (exponential)
    extra_finish: float = 0.8  # chance a taken extra is submitted (else the lease runs out)
    extra_hours: tuple[float, float] = (0.25, 3.0)  # uniform: from taking an extra to submitting it


@dataclass(frozen=True)
class Rule:
    """The block's extra-review settings and the variants measured beside them.

    `cutoff` is the share of the review period after which a missing reviewer without a sign
    of life stops blocking (the block: the middle). Variants the block does not have:
    `idle_hours`, when set: a reviewer whose last activity is older than that stops blocking too
    (after the cutoff); `grace_hours`: extras can still be taken and submitted this long after
    the review period's end, when no assigned review can come any more (nobody blocks).
    """

    extras: bool = True
    limit: int = DEFAULT_LIMIT
    lease_hours: float = DEFAULT_LEASE_HOURS
    cutoff: float = 0.5
    sign_of_life: str = "reviewer"  # or "assignment": a draft of that very review
    idle_hours: float | None = None
    grace_hours: float = 0.0  # variant: extras go on this long after the end (no assigned review can come)

    def __post_init__(self):
        if self.sign_of_life not in ("reviewer", "assignment"):
            raise ValueError(f"sign_of_life must be 'reviewer' or 'assignment', not {self.sign_of_life!r}.")


@dataclass(frozen=True)
class Cohort:
    """One drawn cohort: who reviews whom, who never shows up, and when each review is done.

    `plan[r]` lists the reviews learner r does, in order, as (begin, submit, work) times in
    hours (possibly past the end: those are lost). `visits[r]` are the times an extra taker
    comes back (empty for everyone else); `seed` seeds the outcomes of the extras they take.
    """

    n: int
    k: int
    assigned: dict[int, list[int]]
    noshow: frozenset[int]
    plan: dict[int, list[tuple[float, float, int]]]
    takers: frozenset[int]
    seed: int
    period_hours: float = PERIOD_HOURS

    @property
    def active(self) -> list[int]:
        """The learners who are not no-shows."""
        return [r for r in range(self.n) if r not in self.noshow]


@dataclass(frozen=True)
class Outcome:
    """The end of one review period: per work its reviewers (assigned and extra, in the order
    their reviews arrived) and how many of them were extra; per learner the extras submitted;
    every lease as (taken at, submitted at or None, learner, work)."""

    k: int
    reviewers: list[list[int]]
    extra_reviews: list[int]
    extras_done: list[int]
    leases: list[tuple[float, float | None, int, int]]
    active: list[int]

    @property
    def counts(self) -> list[int]:
        """Reviews each work ended with."""
        return [len(r) for r in self.reviewers]


def draw_cohort(n: int, k: int, noshow: float, seed: int, behaviour: Behaviour = Behaviour(),
                period_hours: float = PERIOD_HOURS) -> Cohort:
    """A cohort of n learners who all submitted, k reviews each, a share `noshow` of no-shows.

    Everything is drawn from `seed`, and nothing depends on the rule, so every rule plays the
    same cohort (paired comparisons)."""
    rng = random.Random(seed)
    # A seed of its own: assign_reviewers shuffles with Random(seed), which would otherwise draw
    # the same numbers as the no-shows below and put them side by side on the ring.
    assigned = assign_reviewers(list(range(n)), k=k, seed=rng.getrandbits(64))
    k_eff = len(next(iter(assigned.values()))) if assigned else 0
    absent = frozenset(rng.sample(range(n), round(noshow * n)))
    plan: dict[int, list[tuple[float, float, int]]] = {}
    takers = set()
    b = behaviour
    for r in range(n):
        if r in absent:
            plan[r] = []
            continue
        partial = k_eff > 1 and rng.random() < b.partial
        stop = rng.randint(1, k_eff - 1) if partial else k_eff
        t = period_hours * rng.betavariate(*b.start_rush)
        reviews = []
        for i, work in enumerate(assigned[r][:stop]):
            if i:
                previous = t
                if rng.random() < b.new_sitting:
                    t = rng.uniform(t, period_hours)
                else:
                    t += rng.uniform(*b.review_hours)
                    if t >= period_hours:  # the deadline is near: the last ones are hurried
                        t = (previous + period_hours) / 2
            begin = max(reviews[-1][1] if reviews else 0.0, t - rng.uniform(*b.review_hours))
            reviews.append((begin, t, work))
        plan[r] = reviews
        if rng.random() < b.takers:
            takers.add(r)
    return Cohort(n=n, k=k_eff, assigned=assigned, noshow=absent, plan=plan, takers=frozenset(takers),
                  seed=seed, period_hours=period_hours)


def _visits(cohort: Cohort, r: int, behaviour: Behaviour, until: float) -> list[float]:
    """When extra taker r comes back: from their last assigned review until `until`."""
    reviews = cohort.plan[r]
    if r not in cohort.takers or len(reviews) < cohort.k or reviews[-1][1] >= cohort.period_hours:
        return []
    rng = random.Random(cohort.seed * 1_000_003 + r)
    t = reviews[-1][1]  # the page offers an extra right after the last assigned review
    times = []
    while t < until:
        times.append(t)
        t += rng.expovariate(1 / behaviour.visit_gap_hours)
    return times


# Event kinds, in the order simultaneous events are played (times are continuous, so ties are rare).
_BEGIN, _SUBMIT, _CUTOFF, _END, _STALE, _EXTRA_SUBMIT, _EXPIRE, _VISIT = range(8)


def _candidates(buckets: dict[int, dict[int, PoolWork]], excluded: set[int], mutual: set[int]) -> list[PoolWork]:
    """The pool's works `choose` can pick from: those with the fewest submitted reviews, up to the
    first count that has a work the learner may take outside a mutual pair (all of them if none
    has). `choose` orders by that count first, so the works left out come after its choice."""
    rows: list[PoolWork] = []
    for submitted in sorted(buckets):
        bucket = buckets[submitted]
        rows.extend(bucket.values())
        if any(w not in excluded and w not in mutual for w in bucket):
            break
    return rows


def simulate(cohort: Cohort, rule: Rule = Rule(), behaviour: Behaviour = Behaviour(),
             check: bool = False) -> Outcome:
    """Play the review period of `cohort` under `rule`; the works' reviews at the end.

    The pool is kept incrementally: an event recomputes only the works it changes (a reviewer's
    draft or review changes the works they still owe; the cutoff changes all once), and `choose`
    is given only the pool's works with the fewest submitted reviews (see `_candidates`). With
    `check`, every choice is also made over all the works' counts and must be the same (tests)."""
    n, k, end = cohort.n, cohort.k, cohort.period_hours
    close = end + rule.grace_hours  # extras may be taken and submitted until then
    cutoff_time = rule.cutoff * end
    reviewers_of: list[list[int]] = [[] for _ in range(n)]  # assigned reviewers of each work
    for r, works in cohort.assigned.items():
        for w in works:
            reviewers_of[w].append(r)
    missing: list[set[int]] = [set(rs) for rs in reviewers_of]  # assigned, not submitted yet
    owes: list[set[int]] = [set(cohort.assigned.get(r, ())) for r in range(n)]  # works r still owes
    done_reviews: list[list[int]] = [[] for _ in range(n)]  # reviewers of each work, in arrival order
    extra_reviews = [0] * n
    leased = [0] * n
    last_activity: list[float | None] = [None] * n
    drafted: set[tuple[int, int]] = set()
    open_lease: list[int | None] = [None] * n
    extras_done = [0] * n
    given: list[set[int]] = [set() for _ in range(n)]  # works a learner was leased as extras
    # The works in the pool, by the number of reviews submitted (choose's first key).
    buckets: dict[int, dict[int, PoolWork]] = {}
    bucket_of: dict[int, int] = {}
    state = {"now": 0.0, "past_cutoff": False, "ended": False}
    leases: list[list] = []  # [taken at, submitted at, learner, work]
    lease_of: dict[int, int] = {}  # learner -> index of their open lease

    def active(r: int, w: int) -> bool:
        seen = last_activity[r]
        if seen is None or (rule.sign_of_life == "assignment" and (r, w) not in drafted):
            return False
        return rule.idle_hours is None or state["now"] - seen <= rule.idle_hours

    def row(w: int) -> PoolWork:
        waiting = missing[w]
        pending = 0 if state["ended"] else sum(blocking(active(r, w), state["past_cutoff"]) for r in waiting)
        idle = min((last_activity[r] or 0.0 for r in waiting), default=0.0)
        return PoolWork(w, submitted=len(done_reviews[w]), leased=leased[w], pending=pending, idle_since=idle)

    def touch(w: int) -> None:
        if not rule.extras:
            return
        if w in bucket_of:
            del buckets[bucket_of.pop(w)][w]
        counts = row(w)
        if in_pool(counts, k):
            buckets.setdefault(counts.submitted, {})[w] = counts
            bucket_of[w] = counts.submitted

    events: list[tuple[float, int, int, int, int]] = []
    seq = 0

    def push(t: float, kind: int, a: int, b: int = -1) -> None:
        nonlocal seq
        if t < close:
            heapq.heappush(events, (t, kind, seq, a, b))
            seq += 1

    for r, reviews in cohort.plan.items():
        for begin, submit, w in reviews:
            push(begin, _BEGIN, r, w)
            push(submit, _SUBMIT, r, w)
    if rule.extras:
        push(cutoff_time, _CUTOFF, -1)
        if rule.grace_hours:
            push(end, _END, -1)
        for r in cohort.takers:
            for t in _visits(cohort, r, behaviour, close):
                push(t, _VISIT, r)
    outcome_rng = {r: random.Random(cohort.seed * 1_000_033 + r) for r in cohort.takers}

    def sign_of_life(r: int, t: float) -> None:
        last_activity[r] = t
        if rule.idle_hours is not None:
            push(t + rule.idle_hours, _STALE, r)

    while events:
        t, kind, _, a, b = heapq.heappop(events)
        if t >= close:
            break
        state["now"] = t
        if kind == _BEGIN:
            drafted.add((a, b))
            sign_of_life(a, t)
            for w in owes[a]:
                touch(w)
        elif kind == _SUBMIT:
            done_reviews[b].append(a)
            missing[b].discard(a)
            owes[a].discard(b)
            sign_of_life(a, t)
            touch(b)
            for w in owes[a]:
                touch(w)
        elif kind in (_CUTOFF, _END):
            state["past_cutoff" if kind == _CUTOFF else "ended"] = True
            for w in range(n):
                touch(w)
        elif kind == _STALE:
            for w in owes[a]:
                touch(w)
        elif kind == _EXTRA_SUBMIT:
            if open_lease[a] == b:
                open_lease[a] = None
                leased[b] -= 1
                done_reviews[b].append(a)
                extra_reviews[b] += 1
                extras_done[a] += 1
                leases[lease_of.pop(a)][1] = t
                touch(b)
                push(t, _VISIT, a)  # the page offers the next one at once
        elif kind == _EXPIRE:
            if open_lease[a] == b:
                open_lease[a] = None
                del lease_of[a]
                leased[b] -= 1
                touch(b)
        elif kind == _VISIT and open_lease[a] is None and extras_done[a] < rule.limit:
            # Never their own work or one they review; last the works of those who review them.
            reviewing = set(cohort.assigned[a]) | given[a]
            reviewed_by = set(reviewers_of[a]).union(done_reviews[a])
            w = choose(_candidates(buckets, reviewing | {a}, reviewed_by), k, own=a, reviewing=reviewing,
                       reviewed_by=reviewed_by)
            if check and w != choose([row(x) for x in range(n)], k, own=a, reviewing=reviewing,
                                     reviewed_by=reviewed_by):
                raise AssertionError(f"at {t:.2f} h the pool's shortcut chose {w}, the rule another work")
            if w is None:
                continue
            open_lease[a] = w
            given[a].add(w)
            leased[w] += 1
            lease_of[a] = len(leases)
            leases.append([t, None, a, w])
            touch(w)
            rng = outcome_rng[a]
            finish, took = rng.random() < behaviour.extra_finish, rng.uniform(*behaviour.extra_hours)
            if finish and took <= rule.lease_hours:
                push(t + took, _EXTRA_SUBMIT, a, w)
            push(t + rule.lease_hours, _EXPIRE, a, w)
    return Outcome(k=k, reviewers=done_reviews, extra_reviews=extra_reviews, extras_done=extras_done,
                   leases=[tuple(lease) for lease in leases], active=cohort.active)


@dataclass(frozen=True)
class Summary:
    """Shares of works (0..1) by the reviews they ended with, averaged over runs, and the extras.

    `full` is the share with at least k reviews, `near` with at least k - 1, `none` with 0;
    `over` with more than k (extras that turned out not to be needed); `zero_runs` how many runs
    left at least one work with no review. `median_extras` is the mean over runs of the median
    number of extras an active learner submitted, `mean_extras` the mean of the means."""

    runs: int
    full: float
    near: float
    none: float
    over: float
    zero_runs: int
    median_extras: float = 0.0
    mean_extras: float = 0.0
    min_full: float = 0.0
    per_run_full: list[float] = field(default_factory=list)


def summarize(outcomes: Sequence[Outcome]) -> Summary:
    """Average the outcomes of several runs of one configuration."""
    full, near, none, over, extras_median, extras_mean, zero_runs = [], [], [], [], [], [], 0
    for outcome in outcomes:
        counts, k = outcome.counts, outcome.k
        total = len(counts)
        full.append(sum(c >= k for c in counts) / total)
        near.append(sum(c >= k - 1 for c in counts) / total)
        zeros = sum(c == 0 for c in counts)
        none.append(zeros / total)
        over.append(sum(c > k for c in counts) / total)
        zero_runs += zeros > 0
        done = [outcome.extras_done[r] for r in outcome.active] or [0]
        extras_median.append(statistics.median(done))
        extras_mean.append(statistics.fmean(done))
    return Summary(runs=len(outcomes), full=statistics.fmean(full), near=statistics.fmean(near),
                   none=statistics.fmean(none), over=statistics.fmean(over), zero_runs=zero_runs,
                   median_extras=statistics.fmean(extras_median), mean_extras=statistics.fmean(extras_mean),
                   min_full=min(full), per_run_full=full)


def run_config(n: int, k: int, noshow: float, runs: int, seed: int, rules: Iterable[Rule],
               behaviour: Behaviour = Behaviour(), period_hours: float = PERIOD_HOURS) -> list[Summary]:
    """`runs` cohorts of (n, k, noshow), each played under every rule; one Summary per rule."""
    rules = list(rules)
    outcomes: list[list[Outcome]] = [[] for _ in rules]
    for run in range(runs):
        cohort = draw_cohort(n, k, noshow, seed=_run_seed(seed, n, k, noshow, run), behaviour=behaviour,
                             period_hours=period_hours)
        for i, rule in enumerate(rules):
            outcomes[i].append(simulate(cohort, rule, behaviour))
    return [summarize(o) for o in outcomes]


def _run_seed(seed: int, n: int, k: int, noshow: float, run: int) -> int:
    # Each configuration and run has its own stream, the same on every machine and in any order.
    return (((seed * 7_919 + n) * 104_729 + k) * 1_299_709 + round(noshow * 1000)) * 15_485_863 + run
