"""The reviewer rating (issue 11, F3), pure: its formula, its bounds and the properties a fair
rating must have (more thanks never lowers it, an upheld complaint never raises it, few reviews
stay near the class's typical reviewer), and that it tells careless reviewers from honest ones."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock import i18n
from crosscheck_xblock.scoring import model, simulation
from crosscheck_xblock.scoring.reviewer_rating import (
    AGREEMENT_POINTS,
    AGREEMENT_ZERO,
    MIDDLE,
    ON_TIME_POINTS,
    PRIOR_REVIEWS,
    TaskRecord,
    agreement_of,
    explain,
    reviewer_rating,
)


def record(**values) -> TaskRecord:
    base = {"task": 1, "max_score": 100.0, "reviews": 4, "compared": 4, "bias": 5.0, "noise": 8.0,
            "agreement_prior": 0.6, "assigned": 4, "on_time": 4, "on_time_prior": 0.9}
    return TaskRecord(**{**base, **values})


records = st.builds(
    TaskRecord,
    task=st.integers(0, 5),
    max_score=st.sampled_from([1.0, 10.0, 100.0, 250.0]),
    reviews=st.integers(0, 12),
    compared=st.integers(0, 12),
    bias=st.one_of(st.none(), st.floats(-1.5, 1.5)),  # shares of max_score, scaled below
    noise=st.one_of(st.none(), st.floats(0.0, 1.5)),
    agreement_prior=st.one_of(st.none(), st.floats(0.0, 1.0)),
    assigned=st.integers(0, 12),
    on_time=st.integers(0, 12),
    on_time_prior=st.one_of(st.none(), st.floats(0.0, 1.0)),
    thanks=st.integers(0, 12),
    complaints_upheld=st.integers(0, 12),
    extra=st.integers(0, 8),
).map(lambda rec: replace(rec, bias=None if rec.bias is None else rec.bias * rec.max_score,
                          noise=None if rec.noise is None else rec.noise * rec.max_score))
courses = st.lists(records, min_size=1, max_size=4)


def test_agreement_from_bias_and_noise():
    assert agreement_of(0, 0, 100) == 1.0
    assert agreement_of(30, 0, 100) == 0.0 and agreement_of(0, 40, 100) == 0.0
    assert agreement_of(6, 8, 100) == pytest.approx(1 - 0.10 / AGREEMENT_ZERO)
    # In shares of the task's maximum: the same habit in a task out of 10 agrees the same.
    assert agreement_of(0.6, 0.8, 10) == pytest.approx(agreement_of(6, 8, 100))
    with pytest.raises(ValueError):
        agreement_of(1, 1, 0)


def test_the_formula_by_hand():
    result = reviewer_rating([record(thanks=2, complaints_upheld=1)])
    own = agreement_of(5, 8, 100)
    agreement = (4 * own + PRIOR_REVIEWS * 0.6) / (4 + PRIOR_REVIEWS)
    on_time = (4 + PRIOR_REVIEWS * 0.9) / (4 + PRIOR_REVIEWS)
    expected = AGREEMENT_POINTS * agreement + ON_TIME_POINTS * on_time + 4 - 10
    assert result.rating == pytest.approx(expected, abs=0.01)
    assert result.points["thanks"] == 4 and result.points["complaints"] == -10
    assert result.own_agreement == pytest.approx(own) and result.own_on_time == 1.0
    components = result.components()
    assert components["thanks"] == 2 and components["complaints_upheld"] == 1
    assert components["compared_reviews"] == 4 and components["bias"] == 5.0


def test_tasks_are_weighted_by_their_reviews():
    many = record(task="a", compared=12, reviews=12, bias=0.0, noise=3.0, max_score=10.0)  # 0.0/0.3 of 10
    few = record(task="b", compared=2, reviews=2, bias=20.0, noise=10.0)
    result = reviewer_rating([many, few])
    own = (12 * agreement_of(0, 3, 10) + 2 * agreement_of(20, 10, 100)) / 14
    assert result.own_agreement == pytest.approx(own)
    assert result.compared == 14 and result.reviews == 14
    assert result.bias == pytest.approx((12 * 0 + 2 * 20) / 14)  # in points of 100


def test_no_reviews_done_or_due_means_no_rating():
    result = reviewer_rating([record(reviews=0, compared=0, bias=None, noise=None, assigned=0, on_time=0)])
    assert result.rating is None
    assert reviewer_rating([]).rating is None
    assert "no rating" in str(explain(result)[0])


def test_a_task_without_the_model_leaves_agreement_to_the_prior():
    result = reviewer_rating([record(compared=0, bias=None, noise=None, agreement_prior=None)])
    assert result.agreement == MIDDLE and result.own_agreement is None and result.compared == 0


def test_bonuses_are_bounded_and_count_a_review_once():
    assert reviewer_rating([record(thanks=50, reviews=50)]).points["thanks"] == 10
    # Thanks for more reviews than were done cannot count (each review once).
    assert reviewer_rating([record(thanks=9, reviews=3)]).thanks == 3
    assert reviewer_rating([record(extra=7)]).points["extra"] == 10


@settings(max_examples=300, deadline=None)
@given(courses)
def test_bounded(course):
    result = reviewer_rating(course)
    assert result.rating is None or 0.0 <= result.rating <= 100.0
    assert 0.0 <= result.agreement <= 1.0 and 0.0 <= result.on_time <= 1.0


@settings(max_examples=300, deadline=None)
@given(courses, st.data())
def test_more_thanks_never_lowers_it(course, data):
    i = data.draw(st.integers(0, len(course) - 1))
    more = list(course)
    more[i] = replace(course[i], thanks=course[i].thanks + data.draw(st.integers(1, 5)))
    before, after = reviewer_rating(course).rating, reviewer_rating(more).rating
    assert before is None or after >= before


@settings(max_examples=300, deadline=None)
@given(courses, st.data())
def test_an_upheld_complaint_never_raises_it(course, data):
    i = data.draw(st.integers(0, len(course) - 1))
    more = list(course)
    more[i] = replace(course[i], complaints_upheld=course[i].complaints_upheld + 1)
    before, after = reviewer_rating(course).rating, reviewer_rating(more).rating
    assert before is None or after <= before


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(0.0, 1.0), st.integers(1, 5), st.integers(2, 10))
def test_few_reviews_stay_near_the_middle(bias, noise, on_time_share, n, factor):
    """The same record with fewer reviews is nearer the no-evidence rating (the priors, here the
    middle) than with more: one review cannot make a top reviewer, or a bottom one."""
    def rated(count):
        return reviewer_rating([TaskRecord(task=1, max_score=100.0, reviews=count, compared=count,
                                           bias=100 * bias, noise=100 * noise, assigned=count,
                                           on_time=round(on_time_share * count))]).rating
    on_time_few, on_time_many = round(on_time_share * n) / n, round(on_time_share * n * factor) / (n * factor)
    if on_time_few != on_time_many:
        return  # rounding changed the share itself
    middle = AGREEMENT_POINTS * MIDDLE + ON_TIME_POINTS * MIDDLE
    few, many = rated(n), rated(n * factor)
    assert abs(few - middle) <= abs(many - middle) + 1e-6
    assert (few - middle) * (many - middle) >= -1e-9  # the same side of the middle


def test_one_perfect_review_does_not_make_a_top_reviewer():
    one = reviewer_rating([record(reviews=1, compared=1, bias=0.0, noise=2.0, assigned=1, on_time=1)]).rating
    twelve = reviewer_rating([record(reviews=12, compared=12, bias=0.0, noise=2.0, assigned=12, on_time=12)]).rating
    assert one < 80 < twelve


def test_it_tells_careless_reviewers_from_honest_ones():
    """On the bench's realistic class (20 % careless, k = 4), careless reviewers rank low."""
    cohort = simulation.generate(simulation.SCENARIOS["mixed"], k=4, n=200, true_scores="normal", seed=11)
    reviewers = int(cohort.reviewer.max()) + 1
    fit = model.fit_reviews(cohort.reviewer, cohort.work, cohort.points, n_reviewers=reviewers,
                            n_works=cohort.n_works, max_score=100.0)
    prior = agreement_of(fit.bias_prior_sd, fit.noise_prior_sd, 100.0)
    ratings, honest = [], []
    for v in range(reviewers):
        done = int(np.sum(cohort.reviewer == v))
        if not done or not fit.assessed[v]:
            continue
        ratings.append(reviewer_rating([TaskRecord(
            task=1, max_score=100.0, reviews=done, compared=int(fit.reviews_counted[v]),
            bias=float(fit.bias[v]), noise=float(fit.noise_sd[v]), agreement_prior=prior,
            assigned=done, on_time=done, on_time_prior=1.0)]).rating)
        honest.append(cohort.kind[v] == simulation.HONEST)
    ratings, honest = np.array(ratings), np.array(honest)
    # The chance that a random honest reviewer rates above a random careless one (AUC).
    above = (ratings[honest][:, None] > ratings[~honest][None, :]).mean()
    assert above > 0.85, above
    assert np.median(ratings[honest]) - np.median(ratings[~honest]) > 10


def test_the_explanation_is_in_the_readers_language():
    result = reviewer_rating([record(thanks=1, complaints_upheld=1, extra=2)])
    english = [str(text) for text in explain(result)]
    assert any("thanked you for 1 review" in text for text in english)
    assert any("upheld a complaint about 1 of your reviews" in text for text in english)
    assert any("above the other reviewers'" in text for text in english)
    assert english[-1].startswith("Your rating rises")
    with i18n.using("ru"):
        russian = [str(text) for text in explain(result)]
    assert len(russian) == len(english)
