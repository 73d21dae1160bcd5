"""Grading: policies that turn the scores a work received into its grade (pure code).

policies.py  the per-work policies, the menu (POLICIES) and rounding for the gradebook
batch.py     the per-work policies for a whole task at once, vectorised and exact
model.py     the ``reliability`` policy: reviewers' bias and reliability, fitted jointly
cohort.py    grade_all / explain_all: grades (and how they came about) for a whole task
items.py     per-criterion grading: each checklist item aggregated across reviews, then totalled
warning_rules.py, agreement.py   who gets warned, and how far self-checks and reviews agree
simulation.py   synthetic classes to measure all of the above (bench/bench_scoring.py)
"""

# tests/unit/test_pure_core.py allowlists the package and policies.py by module name (every file
# here is still checked for pure imports), so the other modules are reached through the package.
from crosscheck_xblock.scoring import cohort as _cohort

from .policies import (
    DEFAULT_POLICY,
    DROP_FROM,
    POLICIES,
    PolicyResult,
    apply_policy,
    round_half_up,
)

GradeExplanation = _cohort.GradeExplanation
ScoreExplanation = _cohort.ScoreExplanation
explain_all = _cohort.explain_all
grade_all = _cohort.grade_all

__all__ = [
    "DEFAULT_POLICY",
    "DROP_FROM",
    "POLICIES",
    "GradeExplanation",
    "PolicyResult",
    "ScoreExplanation",
    "apply_policy",
    "explain_all",
    "grade_all",
    "round_half_up",
]
