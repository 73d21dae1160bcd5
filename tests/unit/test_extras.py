"""The extra-review rule (D4): the pool, the order of need, and what a learner may be given."""
from hypothesis import given
from hypothesis import strategies as st

from crosscheck_xblock.extras import PoolWork, blocking, choose, in_pool, needs_any, pool


def test_a_work_is_in_the_pool_while_it_can_expect_fewer_than_k_reviews():
    assert in_pool(PoolWork("a", submitted=3), 4)
    assert not in_pool(PoolWork("a", submitted=3, leased=1), 4)
    assert not in_pool(PoolWork("a", submitted=2, pending=2), 4)
    assert not in_pool(PoolWork("a", submitted=5), 4)


def test_an_idle_reviewer_stops_blocking_after_the_middle_only():
    assert blocking(active=False, past_middle=False)
    assert not blocking(active=False, past_middle=True)
    assert blocking(active=True, past_middle=True)


def test_the_neediest_work_comes_first_then_the_longest_idle():
    works = [PoolWork("b", 2, idle_since=50), PoolWork("c", 1, idle_since=90), PoolWork("d", 2, idle_since=10)]
    assert [w.work for w in pool(works, 4)] == ["c", "d", "b"]
    assert choose(works, 4, own="x", reviewing=[], reviewed_by=[]) == "c"


def test_never_own_or_already_reviewed_and_mutual_only_as_the_last_choice():
    works = [PoolWork("own", 0), PoolWork("mine", 0), PoolWork("mutual", 0), PoolWork("other", 3)]
    assert choose(works, 4, own="own", reviewing=["mine"], reviewed_by=["mutual"]) == "other"
    assert choose(works[:3], 4, own="own", reviewing=["mine"], reviewed_by=["mutual"]) == "mutual"
    assert choose(works[:2], 4, own="own", reviewing=["mine"], reviewed_by=[]) is None
    assert not needs_any(works[:2], 4, own="own", reviewing=["mine"])
    assert needs_any(works, 4, own="own", reviewing=["mine"])


counts = st.builds(PoolWork, st.integers(0, 30), st.integers(0, 5), st.integers(0, 2), st.integers(0, 5),
                   st.floats(0, 1e6))


@given(st.lists(counts, max_size=30, unique_by=lambda w: w.work), st.integers(1, 6), st.integers(0, 30),
       st.sets(st.integers(0, 30)), st.sets(st.integers(0, 30)))
def test_the_choice_is_a_pool_work_the_learner_may_review(works, k, own, reviewing, reviewed_by):
    chosen = choose(works, k, own, reviewing, reviewed_by)
    allowed = [w for w in works if in_pool(w, k) and w.work != own and w.work not in reviewing]
    assert (chosen is None) == (not allowed) == (not needs_any(works, k, own, reviewing))
    if chosen is not None:
        picked = next(w for w in allowed if w.work == chosen)
        if any(w.work not in reviewed_by for w in allowed):
            assert chosen not in reviewed_by
            allowed = [w for w in allowed if w.work not in reviewed_by]
        assert picked.submitted == min(w.submitted for w in allowed)
