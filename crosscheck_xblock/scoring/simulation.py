"""Synthetic classes to measure grading policies and warning rules (research/scoring.md protocol).

A run draws a class: true scores (normal, bimodal, or checklist-based), reviewers of known kinds
(honest with a personal bias and noise; careless: always full marks, uniform random, lazy near the
class mean, harsh, colluders), self-checks, learners who never review or submit late; distributes
the works with the real ``assign_reviewers``; and lets every rule grade the same reviews, so rules
are compared on paired data. Runs are seeded from (seed, scenario, k, true scores, run number):
the same arguments give the same numbers on every machine and in any order.

Pure code: standard library, numpy and the (pure) distribution module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from crosscheck_xblock.distribution import assign_reviewers

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import batch, calibration, cohort, fallback, model, warning_rules

__all__ = ["CARELESS_KINDS", "Cohort", "ConfigResult", "ErrorMetrics", "HONEST", "ITEM_RULES",
           "RULES", "SCENARIOS", "Scenario", "TRUE_SCORES", "WARNING_RULES", "WarningMetrics",
           "WarningRates", "generate", "grade", "run_config", "warning_rates"]

MAX = 100.0
ITEMS = 10
HONEST = "honest"
CARELESS_KINDS = ("always_max", "random", "lazy", "harsh", "colluder")
# A reviewer who gives every work the same score (their own, drawn once from CONSTANT_RANGE).
# Not in CARELESS_KINDS, which the original four scenarios spread their careless reviewers over.
CONSTANT = "constant"
ALL_CARELESS = (*CARELESS_KINDS, CONSTANT)
CONSTANT_RANGE = (50.0, 100.0)
TRUE_SCORES = ("normal", "bimodal", "checklist")
# Grading rules measured: the policies (``reliability`` as the block grades: the model, checked
# against mean and median on the task's own reviews, see fallback.py), the model alone without
# that check (``pg1``), the proposal's exclusion rule as a grade, and (for the checklist-based
# classes) per-item aggregation.
RULES = ("mean", "median", "drop_min", "drop_discordant", "reliability", "pg1", "exclude_15")
ITEM_RULES = ("item_mean", "item_median", "item_drop_discordant")
WARNING_RULES = ("outlier_15", "outlier_20", "evidence")
# Share of a colluder's assigned works that belong to friends (swapped in), given full marks.
COLLUDER_FRIENDS = 0.5
HARSH_OFFSET = 25.0
LAZY_SD = 5.0
SELF_CHECK_BIAS, SELF_CHECK_SD = 7.0, 8.0


# Sparse graders: (reviews done, share of graders). Most do 1-3, a few many (mean 2.7).
SPARSE_LOADS = ((1, 0.35), (2, 0.25), (3, 0.20), (4, 0.08), (6, 0.07), (10, 0.05))


@dataclass(frozen=True)
class Scenario:
    """A kind of class: honest reviewers' bias SD and mean noise SD (points in 100), the share
    of careless reviewers (spread evenly over ``careless_kinds``), who never reviews, who is late.

    The regimes real courses have (issue 16), all off by default so the original four scenarios
    draw exactly the same classes as before:

    offset: every peer score is this many points (in 100) away from what staff would give
        (negative: peers harsher than staff); the true score is the staff grade.
    tails: honest noise is Student-t with this many degrees of freedom (scaled to the
        reviewer's noise SD) instead of normal: now and then a review is far off.
    loads: sparse graders. Instead of the authors reviewing k works each, a pool of graders
        (not the authors) gives every work k reviews, each grader doing a number of reviews
        drawn from these (load, probability) pairs: most do 1-3, as in a MOOC.
    partial: share of the reviewers who stop early, after a random 1..k-1 of their reviews.
    ambiguity: works differ in how hard they are to judge: each work has its own error SD,
        ~ Gamma(2) with this mean, shared by all its reviewers (on top of their own noise).
        What a reviewer model cannot explain by reviewers' habits (Sajjadi et al. 2016).
    """

    name: str
    description: str
    bias_sd: float
    noise_mean: float
    careless: float
    never_review: float = 0.15
    late: float = 0.10
    offset: float = 0.0
    tails: float | None = None
    careless_kinds: tuple[str, ...] = CARELESS_KINDS
    loads: tuple[tuple[int, float], ...] | None = None
    partial: float = 0.0
    ambiguity: float = 0.0


SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("honest", "all honest, no biases, noise SD ~ Gamma(2, mean 8)", 0.0, 8.0, 0.0),
    Scenario("honest-biased", "all honest, biases SD 12, noise SD ~ Gamma(2, mean 16)",
             12.0, 16.0, 0.0),
    Scenario("careless", "30 % careless; honest: biases SD 5, noise mean 8", 5.0, 8.0, 0.30),
    Scenario("mixed", "realistic: 20 % careless; honest: biases SD 8, noise mean 8",
             8.0, 8.0, 0.20),
    # The regimes of real courses (issue 16); appended, so the seeds of the four above stay.
    Scenario("sparse", "MOOC graders: a pool of graders, most doing 1-3 reviews (mean 2.7); "
             "10 % careless; biases SD 8, noise mean 8", 8.0, 8.0, 0.10, never_review=0.0,
             loads=SPARSE_LOADS),
    Scenario("heavy-tailed", "as mixed, honest noise Student-t (3 dof)", 8.0, 8.0, 0.20,
             tails=3.0),
    Scenario("harsh-class", "as mixed, every peer 6 points (6 % of the max) harsher than staff",
             8.0, 8.0, 0.20, offset=-6.0),
    Scenario("constant", "20 % give everyone the same score (own, 50-100); biases SD 5, noise "
             "mean 8", 5.0, 8.0, 0.20, careless_kinds=(CONSTANT,)),
    Scenario("ambiguous", "all honest, no biases, reviewers alike (noise mean 3); works differ "
             "in how hard they are to judge (error SD ~ Gamma(2, mean 10) per work)",
             0.0, 3.0, 0.0, ambiguity=10.0),
    Scenario("realistic", "25 % careless of all six kinds, t noise (3 dof), biases SD 8, noise "
             "mean 8, 15 % stop early", 8.0, 8.0, 0.25, tails=3.0,
             careless_kinds=ALL_CARELESS, partial=0.15),
    Scenario("realistic-harsh", "as realistic, every peer 6 points harsher than staff",
             8.0, 8.0, 0.25, offset=-6.0, tails=3.0, careless_kinds=ALL_CARELESS,
             partial=0.15),
)}


@dataclass(frozen=True)
class Cohort:
    """One simulated class, works and reviewers indexed 0..n_works-1 (every on-time author is
    also a reviewer, unless the class has a pool of sparse graders: then reviewers are indexed
    0..n_reviewers-1). kind[v] is HONEST or a careless kind; items[r] the per-item points of
    review r (checklist-based classes only, ITEMS items of 10 points)."""

    n_works: int
    true: np.ndarray
    self_check: np.ndarray
    kind: np.ndarray
    reviewer: np.ndarray
    work: np.ndarray
    points: np.ndarray
    items: np.ndarray | None
    n_reviewers: int = -1  # reviewers indexed 0..n_reviewers-1; -1: the authors (n_works)

    @property
    def reviewers(self) -> int:
        """How many reviewer indexes there are (the authors, or a pool of sparse graders)."""
        return self.n_works if self.n_reviewers < 0 else self.n_reviewers


def _true_scores(rng: np.random.Generator, kind: str,
                 n: int) -> tuple[np.ndarray, np.ndarray | None]:
    if kind == "normal":
        return np.clip(rng.normal(70, 15, n), 0, MAX), None
    if kind == "bimodal":
        low = rng.random(n) < 0.5
        return np.clip(np.where(low, rng.normal(40, 10, n), rng.normal(80, 8, n)), 0, MAX), None
    if kind == "checklist":
        ability = rng.beta(4, 2, n)
        met = rng.random((n, ITEMS)) < ability[:, None]
        return met.sum(axis=1) * (MAX / ITEMS), met
    raise ValueError(f"Unknown true-score distribution {kind!r}.")


def _pool(rng: np.random.Generator, loads: tuple[tuple[int, float], ...], m: int,
          k: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Sparse graders: (number of graders, reviewer, work) with k reviews per work from a pool
    of graders whose loads are drawn from ``loads``. A grader never reviews a work twice (a
    repeat is dropped, so a few works end with k - 1)."""
    values = np.asarray([load for load, _ in loads])
    shares = np.asarray([share for _, share in loads], dtype=float)
    needed = m * k
    drawn = rng.choice(values, size=needed, p=shares / shares.sum())
    graders = int(np.searchsorted(np.cumsum(drawn), needed) + 1)
    slots = np.repeat(np.arange(graders), drawn[:graders])[:needed]
    reviewer = rng.permutation(slots)
    work = np.repeat(np.arange(m), k)
    _, first = np.unique(work * graders + reviewer, return_index=True)
    keep = np.zeros(len(work), dtype=bool)
    keep[first] = True
    return graders, reviewer[keep], work[keep]


def _noise(rng: np.random.Generator, tails: float | None, shape) -> np.ndarray:
    """Unit-variance noise: normal, or Student-t with ``tails`` degrees of freedom."""
    if tails is None:
        return rng.normal(0, 1, shape)
    return rng.standard_t(tails, shape) * np.sqrt((tails - 2.0) / tails)


def generate(scenario: Scenario, *, k: int, n: int, true_scores: str, seed: int) -> Cohort:
    """Draw one class of n learners (about n * (1 - late) works) and its reviews."""
    rng = np.random.default_rng(seed)
    m = int(np.sum(rng.random(n) >= scenario.late))  # late submitters are not distributed (D2)
    true, met = _true_scores(rng, true_scores, m)
    # Reviewers: the authors (g = m), or for sparse graders a pool of g graders.
    g, pool = m, None
    if scenario.loads is not None:
        g, *pool = _pool(rng, scenario.loads, m, k)
    kinds = scenario.careless_kinds
    kind = np.full(g, HONEST, dtype=object)
    careless = rng.permutation(g)[:round(scenario.careless * g)]
    kind[careless] = [kinds[i % len(kinds)] for i in range(len(careless))]
    bias = rng.normal(0, scenario.bias_sd, g) if scenario.bias_sd else np.zeros(g)
    noise = rng.gamma(2.0, scenario.noise_mean / 2.0, g)
    self_check = np.clip(np.round(true + rng.normal(SELF_CHECK_BIAS, SELF_CHECK_SD, m)), 0, MAX)

    if pool is None:
        assignment = assign_reviewers(list(range(m)), k=k, seed=seed)
        reviewer = np.asarray([v for v, works in assignment.items() for _ in works],
                              dtype=np.intp)
        work = np.asarray([u for works in assignment.values() for u in works], dtype=np.intp)
    else:
        reviewer, work = pool
    active = rng.random(g) >= scenario.never_review
    keep = active[reviewer]
    if scenario.partial:
        # Reviewers who stop early keep only their first 1..k-1 reviews (in assignment order).
        stops = rng.random(g) < scenario.partial
        quota = np.where(stops, rng.integers(1, max(k, 2), g), len(work))
        order = np.argsort(reviewer, kind="stable")
        starts = np.concatenate(([0], np.cumsum(np.bincount(reviewer, minlength=g))[:-1]))
        rank = np.empty(len(reviewer), dtype=np.intp)
        rank[order] = np.arange(len(reviewer)) - starts[reviewer[order]]
        keep &= rank < quota[reviewer]
    reviewer, work = reviewer[keep], work[keep]
    r_kind = kind[reviewer]

    # Honest points first; careless kinds overwrite theirs. Per-item classes add noise per item
    # (SD noise / sqrt(ITEMS), bias / ITEMS per item) so the totals behave like the others.
    sd = noise[reviewer]
    if scenario.ambiguity:
        hard = rng.gamma(2.0, scenario.ambiguity / 2.0, m)
        sd = np.sqrt(sd ** 2 + hard[work] ** 2)
    if met is None:
        honest = (true[work] + bias[reviewer] + scenario.offset
                  + _noise(rng, scenario.tails, len(work)) * sd)
        values = np.clip(np.round(honest), 0, MAX)
        unit, mean_true = MAX, true.mean()
        values = values[:, None]
        honest = honest[:, None]
    else:
        unit = MAX / ITEMS
        scale = np.sqrt(ITEMS)
        honest = (met[work] * unit + ((bias[reviewer] + scenario.offset) / ITEMS)[:, None]
                  + _noise(rng, scenario.tails, (len(work), ITEMS)) * (sd / scale)[:, None])
        values = np.clip(np.round(honest), 0, unit)
        mean_true = met.mean(axis=0) * unit
    shape = values.shape
    width = shape[1]
    for name in ALL_CARELESS:
        rows = r_kind == name
        count = int(rows.sum())
        if not count:
            continue
        if name == "always_max":
            values[rows] = unit
        elif name == "random":
            values[rows] = rng.integers(0, int(unit) + 1, (count, width))
        elif name == "lazy":
            sd = LAZY_SD / np.sqrt(width)
            values[rows] = np.clip(np.round(mean_true + rng.normal(0, sd, (count, width))), 0, unit)
        elif name == "harsh":
            # Honest noise, but HARSH_OFFSET points below the truth instead of a personal bias.
            shifted = honest[rows] - (bias[reviewer[rows]] + HARSH_OFFSET)[:, None] / width
            values[rows] = np.clip(np.round(shifted), 0, unit)
        elif name == "colluder":
            friends = rng.random(count) < COLLUDER_FRIENDS
            values[np.flatnonzero(rows)[friends]] = unit
        elif name == CONSTANT:
            # Each such reviewer's one score, for every work they review (per item: a tenth).
            own = np.round(rng.uniform(*CONSTANT_RANGE, g) / width)
            values[rows] = own[reviewer[rows]][:, None]
    points = values.sum(axis=1)
    return Cohort(n_works=m, true=true, self_check=self_check, kind=kind, reviewer=reviewer,
                  work=work, points=points, items=None if met is None else values,
                  n_reviewers=g)


@dataclass
class _Context:
    """What several rules share on one cohort (computed once)."""

    cohort: Cohort
    groups: batch.Groups
    fit: model.ModelFit | None = None
    check: fallback.ModelCheck | None = None

    def model_fit(self) -> model.ModelFit:
        if self.fit is None:
            c = self.cohort
            self.fit = model.fit_reviews(c.reviewer, c.work, c.points,
                                         n_reviewers=c.reviewers, n_works=c.n_works,
                                         max_score=MAX)
        return self.fit

    def model_check(self) -> fallback.ModelCheck:
        if self.check is None:
            c = self.cohort
            self.check = fallback.check_model(c.reviewer, c.work, c.points,
                                              n_reviewers=c.reviewers, n_works=c.n_works,
                                              max_score=MAX, fit=self.model_fit())
        return self.check


def _reliability(ctx: _Context) -> np.ndarray:
    """The reliability policy as grade_all computes it: the model, or the simple rule its
    check chose."""
    check = ctx.model_check()
    if check.rule == "reliability" or not ctx.model_fit().by_model.any():
        return ctx.model_fit().grades
    if check.rule == "blend":
        simple = np.clip(batch.policy_points(ctx.groups, ctx.cohort.points, check.simple), 0, MAX)
        return check.weight * np.clip(ctx.model_fit().grades, 0, MAX) + (1 - check.weight) * simple
    return batch.policy_points(ctx.groups, ctx.cohort.points, check.rule)


def _item_rule(policy: str) -> Callable[[_Context], np.ndarray]:
    def rule(ctx: _Context) -> np.ndarray:
        c = ctx.cohort
        if c.items is None:
            raise ValueError("Per-item rules need a checklist-based class.")
        key = (c.work[:, None] * ITEMS + np.arange(ITEMS)).ravel()
        groups = batch.group_reviews(key, c.n_works * ITEMS)
        per_item = batch.policy_points(groups, c.items.ravel(), policy).reshape(c.n_works, ITEMS)
        return np.clip(per_item.sum(axis=1), 0, MAX)  # NaN stays NaN for works without reviews
    return rule


def _policy_rule(policy: str) -> Callable[[_Context], np.ndarray]:
    return lambda ctx: batch.policy_points(ctx.groups, ctx.cohort.points, policy)


_RULES: dict[str, Callable[[_Context], np.ndarray]] = {
    **{p: _policy_rule(p) for p in batch.BATCH_POLICIES},
    "reliability": _reliability,
    "pg1": lambda ctx: ctx.model_fit().grades,
    "exclude_15": lambda ctx: warning_rules.outlier_check_all(
        ctx.cohort.work, ctx.cohort.points, n_works=ctx.cohort.n_works, max_score=MAX,
        threshold=0.15).points,
    **{f"item_{p}": _item_rule(p) for p in ("mean", "median", "drop_discordant")},
}


def grade(cohort: Cohort, rules: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each rule's grade for every work of the cohort (NaN for works without reviews)."""
    ctx = _Context(cohort, batch.group_reviews(cohort.work, cohort.n_works))
    return {name: _RULES[name](ctx) for name in rules}


@dataclass
class ErrorMetrics:
    """Errors (grade - true score) pooled over all graded works of all runs."""

    errors: list[np.ndarray] = field(default_factory=list)
    run_rmse: list[float] = field(default_factory=list)

    def add(self, errors: np.ndarray) -> None:
        self.errors.append(errors)
        self.run_rmse.append(float(np.sqrt(np.mean(errors ** 2))))

    def summary(self) -> dict[str, float]:
        """rmse, within5 / within10 (shares), p95 (of |error|), bias (mean signed error)."""
        e = np.concatenate(self.errors)
        a = np.abs(e)
        return {"rmse": float(np.sqrt(np.mean(e ** 2))), "within5": float(np.mean(a <= 5)),
                "within10": float(np.mean(a <= 10)), "p95": float(np.percentile(a, 95)),
                "bias": float(np.mean(e))}


@dataclass
class WarningMetrics:
    """Reviewers (who reviewed at least once) warned at least once in a task, by kind:
    kind -> [warned, reviewers]."""

    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def add(self, warned: np.ndarray, kind: np.ndarray, reviewed: np.ndarray) -> None:
        for name in (HONEST, *ALL_CARELESS):
            mine = reviewed & (kind == name)
            tally = self.by_kind.setdefault(name, [0, 0])
            tally[0] += int(np.sum(warned & mine))
            tally[1] += int(np.sum(mine))

    def share(self, *kinds: str) -> float:
        """Share warned among reviewers of the given kinds (NaN if there were none)."""
        warned = sum(self.by_kind.get(k, [0, 0])[0] for k in kinds)
        total = sum(self.by_kind.get(k, [0, 0])[1] for k in kinds)
        return warned / total if total else float("nan")

    def summary(self) -> dict[str, float]:
        """honest: share of honest reviewers warned; careless: share of careless ones caught."""
        return {"honest": self.share(HONEST), "careless": self.share(*ALL_CARELESS)}


@dataclass
class ConfigResult:
    """All runs of one (scenario, k, true scores) configuration."""

    scenario: str
    k: int
    true_scores: str
    runs: int
    n: int
    errors: dict[str, ErrorMetrics]
    warnings: dict[str, WarningMetrics]
    ideal_share: float
    authors_warned: float
    works_with_k: float
    mean_reviews: float
    anchors: float = 0.0
    anchored: dict[str, ErrorMetrics] = field(default_factory=dict)
    fallbacks: dict[str, int] = field(default_factory=dict)
    offsets: list[tuple[float, float, float]] = field(default_factory=list)
    oracle: ErrorMetrics | None = None
    offset_only: ErrorMetrics | None = None


def _seed(seed: int, scenario: str, k: int, true_scores: str, run: int) -> int:
    parts = [seed, list(SCENARIOS).index(scenario), k, TRUE_SCORES.index(true_scores), run]
    return int(np.random.SeedSequence(parts).generate_state(1)[0])


def pick_anchors(cohort: Cohort, per_100: float, seed: int) -> np.ndarray:
    """The works staff grade: round(per_100 x works / 100) of them, at random (the block picks
    them at the start, before any review exists)."""
    count = int(round(per_100 * cohort.n_works / 100.0))
    rng = np.random.default_rng(np.random.SeedSequence([seed, 16]))
    return np.sort(rng.permutation(cohort.n_works)[:count])


def calibrated(ctx: _Context, rule: str, grades: np.ndarray, anchors: np.ndarray, *,
               reviewer_level: bool = True) -> tuple[np.ndarray, calibration.Estimate]:
    """A rule's grades calibrated by the anchored works (staff grade = the true score) as the
    block's calibration does (calibration.py, cohort.calibrate): moved by the class offset, or
    where the model graded, refitted at the reviewers' level (cohort.staff_refit; off with
    ``reviewer_level=False``: the offset alone, the block's calibration before); and the
    offset's estimate."""
    c = ctx.cohort
    model_graded = rule in ("reliability", "pg1") and (
        rule == "pg1" or ctx.model_check().rule == "reliability") and ctx.model_fit().by_model.any()
    if model_graded:
        sds = ctx.model_fit().score_sd
    else:
        counts = ctx.groups.counts
        means = np.bincount(c.work, c.points, c.n_works) / np.maximum(counts, 1)
        dof = float(np.sum(np.maximum(counts - 1, 0)))
        pooled = float(np.sum((c.points - means[c.work]) ** 2)) / dof if dof else 1.0
        sds = np.sqrt(max(pooled, calibration.MIN_SD ** 2) / np.maximum(counts, 1))
        if rule == "reliability" and ctx.model_check().rule == "blend":  # as cohort._grade
            w = ctx.model_check().weight
            sds = w * ctx.model_fit().score_sd + (1 - w) * sds
    use = anchors[ctx.groups.counts[anchors] > 0]
    estimate, scatter = calibration.estimate_offset(
        grades[use] - c.true[use], np.maximum(sds[use] ** 2, calibration.MIN_SD ** 2),
        prior_sd=calibration.PRIOR_SD)
    shift = -estimate.value if estimate.anchors else 0.0
    moved = np.clip(grades + shift, 0, MAX)
    if not (reviewer_level and model_graded and estimate.anchors):
        return moved, estimate
    fit = ctx.model_fit()
    habits = {v: (float(fit.bias[v]), float(fit.bias_sd[v]), float(fit.noise_sd[v]))
              for v in np.flatnonzero(fit.assessed).tolist()}
    graded = np.flatnonzero(ctx.groups.counts > 0)
    found = cohort.staff_refit(
        list(zip(c.reviewer.tolist(), c.work.tolist(), c.points.tolist())),
        dict(zip(graded.tolist(), grades[graded].tolist())),
        {u: float(c.true[u]) for u in use.tolist()},
        calibration.Calibration(estimate, scatter), max_score=MAX, habits=habits,
        noise=float(fit.noise_prior_sd))
    if not found.reviewer_level:
        return moved, estimate
    refitted = grades.copy()
    refitted[graded] = [found.works[u] for u in graded.tolist()]
    return refitted, estimate


def run_config(scenario: str, *, k: int, true_scores: str, runs: int, n: int,
               seed: int = 0, anchors: float = 0.0) -> ConfigResult:
    """Run ``runs`` paired runs of one configuration and collect every metric. ``anchors``:
    staff grades per 100 works; the same runs are then also graded with calibration
    (``anchored``; ``offsets`` has the reliability policy's estimate, its SD and the true
    offset of every run)."""
    rules = RULES + (ITEM_RULES if true_scores == "checklist" else ())
    errors = {name: ErrorMetrics() for name in rules}
    anchored = {name: ErrorMetrics() for name in rules} if anchors else {}
    fallbacks: dict[str, int] = {}
    offsets = []
    oracle = ErrorMetrics() if anchors else None
    offset_only = ErrorMetrics() if anchors else None
    warns = {name: WarningMetrics() for name in WARNING_RULES}
    ideal = authors = with_k = reviews = works = 0.0
    for run in range(runs):
        cohort = generate(SCENARIOS[scenario], k=k, n=n, true_scores=true_scores,
                          seed=_seed(seed, scenario, k, true_scores, run))
        ctx = _Context(cohort, batch.group_reviews(cohort.work, cohort.n_works))
        graded = ctx.groups.counts > 0
        chosen = ctx.model_check().rule
        fallbacks[chosen] = fallbacks.get(chosen, 0) + 1
        staff = pick_anchors(cohort, anchors, _seed(seed, scenario, k, true_scores, run)) \
            if anchors else None
        for name in rules:
            grades = _RULES[name](ctx)
            errors[name].add((grades - cohort.true)[graded])
            if staff is not None:
                moved, estimate = calibrated(ctx, name, grades, staff)
                anchored[name].add((moved - cohort.true)[graded])
                if name == "reliability":
                    true_offset = SCENARIOS[scenario].offset
                    offsets.append((estimate.value, estimate.sd, true_offset))
                    # The best any calibration could do: the true offset taken out.
                    oracle.add((np.clip(grades - true_offset, 0, MAX) - cohort.true)[graded])
                    # The block's calibration before the reviewer-level refit: the offset alone.
                    offset_only.add((calibrated(ctx, name, grades, staff, reviewer_level=False)[0]
                                     - cohort.true)[graded])

        reviewed = np.bincount(cohort.reviewer, minlength=cohort.reviewers) > 0
        for name, threshold in (("outlier_15", 0.15), ("outlier_20", 0.20)):
            found = warning_rules.outlier_check_all(
                cohort.work, cohort.points, n_works=cohort.n_works, max_score=MAX,
                threshold=threshold, self_check=cohort.self_check)
            warned = np.bincount(cohort.reviewer, found.far, cohort.reviewers) > 0
            warns[name].add(warned, cohort.kind, reviewed)
            if threshold == 0.15:
                authors += float(np.mean(found.author_warned[graded]))
        flags = warning_rules.evidence_flags(ctx.model_fit(), max_score=MAX)
        warns["evidence"].add(np.asarray([bool(f) for f in flags]), cohort.kind, reviewed)

        # Agreement (A2): every review within 10 points of the self-check.
        far = np.zeros(cohort.n_works)
        np.maximum.at(far, cohort.work, np.abs(cohort.points - cohort.self_check[cohort.work]))
        ideal += float(np.mean(far[graded] <= 10))
        with_k += float(np.mean(ctx.groups.counts == k))
        reviews += float(np.mean(ctx.groups.counts))
        works += cohort.n_works
    return ConfigResult(scenario=scenario, k=k, true_scores=true_scores, runs=runs, n=n,
                        errors=errors, warnings=warns, ideal_share=ideal / runs,
                        authors_warned=authors / runs, works_with_k=with_k / runs,
                        mean_reviews=reviews / runs, anchors=anchors, anchored=anchored,
                        fallbacks=fallbacks, offsets=offsets, oracle=oracle,
                        offset_only=offset_only)


# ---------------------------------------------------------------- the numbers staff choose by

# What Studio and the staff analytics show next to the warning rules: a small simulation for the
# task's own k, threshold and maximum. 10 classes of 200 learners give about 1,200 honest and 300
# careless reviewers: one standard error is at most 1.5 percentage points on the honest share and
# 3 on the careless one. It takes 0.05-0.1 s on the development machine (README, "Warnings at
# grading") and is memoised, so only the first call for a combination pays.
RATE_SCENARIO = "mixed"
RATE_RUNS = 10
RATE_LEARNERS = 200
RATE_SEED = 20_240_601  # the bench's seed: the same classes as its mixed / normal rows


@dataclass(frozen=True)
class WarningRates:
    """Shares of simulated reviewers each warning rule warns, for one task's settings.

    fixed_* are the proposal's rule (outlier_check_all at ``threshold``), evidence_* the
    evidence rule (evidence_flags); *_honest is the share of honest reviewers warned (false
    warnings), *_careless the share of careless reviewers caught. Counts are over all runs.
    """

    k: int
    threshold: float
    max_score: float
    scenario: str
    runs: int
    learners: int
    honest_reviewers: int
    careless_reviewers: int
    fixed_honest: float
    fixed_careless: float
    evidence_honest: float
    evidence_careless: float


@lru_cache(maxsize=128)
def warning_rates(k: int, threshold: float, max_score: float, *, scenario: str = RATE_SCENARIO,
                  runs: int = RATE_RUNS, n: int = RATE_LEARNERS,
                  seed: int = RATE_SEED) -> WarningRates:
    """Simulate ``runs`` classes of ``n`` learners of ``scenario`` with k reviews per work, and
    measure both warning rules on the same reviews. Memoised per argument set (in-process).

    The classes are drawn in points out of 100 and scaled to ``max_score`` (every rule works
    in shares of the maximum, so the shares come out the same for any maximum). With k < 3
    neither rule can warn anybody (the fixed rule needs 3 scores of a work, the evidence rule
    3 reviews by a reviewer), and both shares are 0.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a share of the maximum in (0, 1], not {threshold!r}.")
    if not max_score > 0 or k < 1:
        raise ValueError(f"Need k >= 1 and a positive max_score, not k={k!r}, {max_score!r}.")
    fixed, evidence = WarningMetrics(), WarningMetrics()
    scale = max_score / MAX
    for run in range(runs):
        cohort = generate(SCENARIOS[scenario], k=k, n=n, true_scores="normal",
                          seed=_seed(seed, scenario, k, "normal", run))
        points = cohort.points * scale
        reviewed = np.bincount(cohort.reviewer, minlength=cohort.n_works) > 0
        found = warning_rules.outlier_check_all(cohort.work, points, n_works=cohort.n_works,
                                                max_score=max_score, threshold=threshold)
        fixed.add(np.bincount(cohort.reviewer, found.far, cohort.n_works) > 0, cohort.kind,
                  reviewed)
        fit = model.fit_reviews(cohort.reviewer, cohort.work, points, n_reviewers=cohort.n_works,
                                n_works=cohort.n_works, max_score=max_score)
        flags = warning_rules.evidence_flags(fit, max_score=max_score)
        evidence.add(np.asarray([bool(f) for f in flags], dtype=bool), cohort.kind, reviewed)

    def share(metrics: WarningMetrics, *kinds: str) -> float:
        value = metrics.share(*kinds)
        return 0.0 if value != value else value  # no such reviewers at all: nobody warned

    honest = fixed.by_kind.get(HONEST, [0, 0])[1]
    careless = sum(fixed.by_kind.get(kind, [0, 0])[1] for kind in CARELESS_KINDS)
    return WarningRates(
        k=k, threshold=threshold, max_score=max_score, scenario=scenario, runs=runs, learners=n,
        honest_reviewers=honest, careless_reviewers=careless,
        fixed_honest=share(fixed, HONEST), fixed_careless=share(fixed, *CARELESS_KINDS),
        evidence_honest=share(evidence, HONEST),
        evidence_careless=share(evidence, *CARELESS_KINDS))
