"""The coverage simulation (make bench-coverage) on tiny cohorts: it plays the block's rules."""
import pytest

from crosscheck_xblock.extras_simulation import Behaviour, Rule, draw_cohort, run_config, simulate

EVERYONE_FINISHES = Behaviour(partial=0.0)
RULES = [Rule(), Rule(limit=3, grace_hours=24), Rule(sign_of_life="assignment", cutoff=0.3, idle_hours=10)]


def test_without_no_shows_or_quitters_every_work_gets_k_reviews_without_extras():
    for seed in range(5):
        cohort = draw_cohort(20, 3, 0.0, seed=seed, behaviour=EVERYONE_FINISHES)
        outcome = simulate(cohort, Rule(extras=False), EVERYONE_FINISHES)
        assert outcome.counts == [3] * 20
        assert outcome.leases == [] and sum(outcome.extra_reviews) == 0


def test_no_shows_are_drawn_apart_from_the_ring():
    # assign_reviewers shuffles with Random(seed): drawing the no-shows from the same stream put
    # them side by side on the ring, and 8 % of the works had only no-shows as reviewers.
    cohort = draw_cohort(1000, 4, 0.25, seed=3)
    only_no_shows = sum(all(r in cohort.noshow for r in reviewers)
                        for reviewers in _reviewers_of(cohort).values())
    assert only_no_shows < 15  # 1000 x 0.25 ** 4 = 3.9 expected


def test_with_a_quarter_no_shows_extras_raise_the_share_with_k_reviews_and_take_none_away():
    without, with_extras = run_config(40, 4, 0.25, runs=4, seed=7, rules=[Rule(extras=False), Rule()])
    assert with_extras.full > without.full
    assert with_extras.near > without.near
    assert with_extras.mean_extras > 0
    for seed in range(3):
        cohort = draw_cohort(40, 4, 0.25, seed=seed)
        plain, extra = simulate(cohort, Rule(extras=False)), simulate(cohort, Rule())
        assert all(e >= p for e, p in zip(extra.counts, plain.counts))


@pytest.mark.parametrize("rule", RULES)
def test_the_rule_is_kept_in_every_run(rule):
    for seed in range(4):
        cohort = draw_cohort(24, 3, 0.25, seed=seed)
        # check=True: every extra is also chosen by extras.choose over all the works' counts.
        outcome = simulate(cohort, rule, check=True)
        assigned_of = _reviewers_of(cohort)
        for work, reviewers in enumerate(outcome.reviewers):
            assert work not in reviewers, "nobody reviews their own work"
            assert len(set(reviewers)) == len(reviewers), "nobody reviews a work twice"
            assert outcome.extra_reviews[work] == sum(r not in assigned_of[work] for r in reviewers)
        close = cohort.period_hours + rule.grace_hours
        for taken, submitted, learner, _ in outcome.leases:
            assert learner not in cohort.noshow
            own = cohort.plan[learner]
            assert len(own) == cohort.k and own[-1][1] <= taken, "extras only after the assigned reviews"
            assert rule.cutoff * cohort.period_hours <= taken < close
            assert submitted is None or taken < submitted <= min(taken + rule.lease_hours, close)
        for learner in range(cohort.n):
            spans = sorted((t, s if s is not None else t + rule.lease_hours)
                           for t, s, who, _ in outcome.leases if who == learner)
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "one open extra at a time"
            assert outcome.extras_done[learner] <= rule.limit
            assert outcome.extras_done[learner] == sum(s is not None for _, s, who, _ in outcome.leases
                                                       if who == learner)


def test_the_same_seed_plays_the_same_period():
    first = simulate(draw_cohort(30, 4, 0.15, seed=11))
    again = simulate(draw_cohort(30, 4, 0.15, seed=11))
    assert first.reviewers == again.reviewers and first.leases == again.leases


def test_bad_rule_settings_are_refused():
    with pytest.raises(ValueError):
        Rule(sign_of_life="someone")


def _reviewers_of(cohort):
    reviewers = {w: set() for w in range(cohort.n)}
    for reviewer, works in cohort.assigned.items():
        for work in works:
            reviewers[work].add(reviewer)
    return reviewers
