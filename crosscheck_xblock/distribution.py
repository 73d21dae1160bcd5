"""Who reviews whom: a random circulant assignment of submitted works to reviewers.

Pure domain code (standard library only). Authors are placed on a shuffled ring and each reviewer
reviews the authors at k fixed offsets ahead of them; with offsets at most (n - 1) // 2 nobody
reviews themselves, everybody gives and receives exactly k reviews, and no two learners review
each other. Smaller cohorts get as many reviews as possible instead of none (the rs app made no
pairs at all for them).
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Hashable, Sequence
from typing import TypeVar

from .i18n import N_, Text, plural_text

__all__ = ["MAX_K", "assign_reviewers", "reviews_per_work", "shortfall_message"]

A = TypeVar("A", bound=Hashable)

MAX_K = 10
# Random offset sets are connected most of the time; after this many misses offset 1 is forced in.
_OFFSET_TRIES = 8
# Up to 7! permutations are tabulated rather than computed per reviewer.
_TABLE_LIMIT = 5040


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise ValueError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}.")


def reviews_per_work(n: int, k: int) -> int:
    """Reviews each work gets (and each reviewer gives) with n works.

    0 if n < 2, else min(k, n - 1).
    """
    _check_k(k)
    return 0 if n < 2 else min(k, n - 1)


def shortfall_message(n: int, k: int) -> Text | None:
    """A sentence for staff when the cohort is too small for the full rules (n ≤ 2k); None otherwise
    (a Text: it is stored, and worded in each reader's language)."""
    m = reviews_per_work(n, k)
    if n < 2:
        return Text(N_("Fewer than 2 works were submitted: nothing can be distributed yet."))
    if n >= 2 * k + 1:
        return None
    if m >= k:
        return Text(N_("Only %(count)s works were submitted (at least %(needed)s are needed to avoid it), "
                       "so some learners review each other; each work still gets %(k)s reviewers."),
                    {"count": n, "needed": 2 * k + 1, "k": k})
    return plural_text("Only %(count)s works were submitted, so each work gets %(n)s reviewer instead of "
                       "%(k)s, and some learners review each other.",
                       "Only %(count)s works were submitted, so each work gets %(n)s reviewers instead of "
                       "%(k)s, and some learners review each other.", m, {"count": n, "k": k})


def _canonical_order(authors: Sequence[A]) -> list[A]:
    """Sort so the result depends on the set of authors, not on the order they were given in."""
    try:
        return sorted(authors)  # type: ignore[type-var]
    except TypeError:
        # Mixed or unorderable ids: order by type, then repr (stable across runs, unlike hash()).
        return sorted(authors, key=lambda a: (type(a).__qualname__, repr(a)))


def _choose_offsets(n: int, k: int, rng: random.Random) -> list[int]:
    """k ring offsets giving a connected assignment (see module docstring)."""
    if n <= 2 * k:
        # Too few authors for k offsets in 1..(n-1)//2: use every offset we can (mutual pairs).
        return list(range(1, min(k, n - 1) + 1))
    half = (n - 1) // 2
    for _ in range(_OFFSET_TRIES):
        offsets = rng.sample(range(1, half + 1), k)
        # The circulant graph is connected exactly when gcd(n, offsets) == 1.
        if math.gcd(n, *offsets) == 1:
            return offsets
    if 1 not in offsets:
        offsets[rng.randrange(k)] = 1
    return offsets


def _permutation(index: int, size: int) -> tuple[int, ...]:
    """The permutation of range(size) numbered index, for index in [0, size!).

    The mixed-radix digits of index drive the swaps of a Fisher-Yates shuffle, which makes this a
    bijection between [0, size!) and the permutations, in O(size).
    """
    order = list(range(size))
    for i in range(size - 1, 0, -1):
        index, j = divmod(index, i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


def assign_reviewers(authors: Sequence[A], k: int = 4, seed: int | str = 0) -> dict[A, list[A]]:
    """Map each reviewer to the authors they review (every author is also a reviewer).

    With n >= 2k + 1 authors every reviewer gets k works and every work gets k reviewers, with no
    self-review and no mutual pairs; with 2 <= n <= 2k both numbers are min(k, n - 1) and mutual
    pairs are unavoidable; with n < 2 the result is {}. The assignment graph is always connected.

    The result depends only on the set of authors, k and the seed: authors are sorted first
    (natural order if they are comparable, else by type name and repr), then shuffled with
    random.Random(seed). Each reviewer's list is in random order too, so "work 1" is not always
    the ring neighbour. Raises ValueError for a bad k or duplicate authors.
    """
    _check_k(k)
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise TypeError(f"seed must be an int or a str, not {type(seed).__name__}.")
    n = len(authors)
    if len(set(authors)) != n:
        raise ValueError("authors contain duplicates.")
    if n < 2:
        return {}

    rng = random.Random(seed)
    ring = _canonical_order(authors)
    rng.shuffle(ring)
    offsets = _choose_offsets(n, k, rng)
    m = len(offsets)

    # Column j holds, for every ring position i, the author at i + offsets[j]. Working on whole
    # columns and mapping C-level callables over them keeps n = 100,000 well under a second.
    columns = [ring[o:] + ring[:o] for o in offsets]
    if m == 1:
        return {reviewer: [author] for reviewer, author in zip(ring, columns[0])}
    # One random order per reviewer, drawn as an index into the m! permutations: random() has
    # 53 bits, so the bias for m! <= 10! is negligible, and one call per reviewer is much faster
    # than shuffling each small list. Small m gets a lookup table of the same permutations.
    count = math.factorial(m)
    draw = rng.random
    if count <= _TABLE_LIMIT:
        table = [operator.itemgetter(*_permutation(i, m)) for i in range(count)]
        pickers = [table[int(draw() * count)] for _ in range(n)]
    else:
        pickers = [operator.itemgetter(*_permutation(int(draw() * count), m)) for _ in range(n)]
    rows = zip(*columns)
    return dict(zip(ring, map(list, map(operator.call, pickers, rows))))
