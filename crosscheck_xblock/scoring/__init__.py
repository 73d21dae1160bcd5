"""Grading: policies that turn the scores a work received into its grade (pure code)."""

from .policies import (
    DEFAULT_POLICY,
    DROP_FROM,
    POLICIES,
    PolicyResult,
    apply_policy,
    grade_all,
    round_half_up,
)

__all__ = [
    "DEFAULT_POLICY",
    "DROP_FROM",
    "POLICIES",
    "PolicyResult",
    "apply_policy",
    "grade_all",
    "round_half_up",
]
