"""One typed, frozen settings object, read from a settings copy once, the same way everywhere."""
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from crosscheck_xblock.services.task_settings import RANGES, TaskSettings, number, whole_number

from ..factories import task_config


def test_a_full_copy_is_read_as_given():
    settings = TaskSettings.from_config(task_config(k=5, max_score=60, grading_policy="median",
                                                    warning_rule="fixed", aggregation="per_item",
                                                    outlier_threshold=0.2))
    assert (settings.reviews_per_work, settings.max_score, settings.grading_policy) == (5, 60, "median")
    assert (settings.warning_rule, settings.aggregation, settings.threshold) == ("fixed", "per_item", 0.2)
    assert settings.timeline.review_due == datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    assert settings.timeline.adjustment == timedelta(days=0.5)
    assert settings.checklist.scored_items  # the demo checklist


@pytest.mark.parametrize("bad", [
    {"reviews_per_work": 0}, {"reviews_per_work": 11}, {"reviews_per_work": "4x"}, {"reviews_per_work": True},
    {"max_score": 10 ** 400}, {"max_score": -5}, {"grading_policy": "best"}, {"grading_policy": ["mean"]},
    {"warning_rule": None}, {"aggregation": "items"}, {"outlier_threshold": 15}, {"outlier_threshold": float("nan")},
    {"submission_kind": "ftp"}, {"display_name": ["x"]}, {"checklist": {"criteria": "no"}},
])
def test_an_invalid_value_falls_back_to_its_default(bad):
    default = TaskSettings.from_config({})
    settings = TaskSettings.from_config(bad)
    name = {"outlier_threshold": "threshold", "checklist": "checklist"}.get(next(iter(bad)), next(iter(bad)))
    assert getattr(settings, name) == getattr(default, name)


def test_the_object_is_frozen_and_public_settings_name_the_dates():
    settings = TaskSettings.from_config(task_config())
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.max_score = 5  # type: ignore[misc]
    public = settings.public()
    assert public["review_start"] == "2026-03-03T10:00:00Z"  # T1: the start is the deadline
    assert public["adjustment_due"] == "2026-03-05T22:00:00Z"
    assert public["policy_text"] and public["submission_help"]


@pytest.mark.parametrize("value, whole, finite", [
    (5, 5, 5.0), (5.0, 5, 5.0), ("5", 5, 5.0), (2.5, None, 2.5), ("2.5", None, 2.5), (True, None, None),
    (10 ** 400, 10 ** 400, None), ("9" * 400, None, None), (float("inf"), None, None), (None, None, None),
    ([5], None, None),
])
def test_numbers_from_json_values(value, whole, finite):
    assert whole_number(value) == whole and number(value) == finite


def test_studio_and_the_settings_copy_share_the_ranges():
    from crosscheck_xblock import studio
    assert studio.INT_RANGES["reviews_per_work"] == RANGES["reviews_per_work"]
    assert studio.THRESHOLD_RANGE == RANGES["outlier_threshold"]
    assert studio.DAY_RANGES["appeal_days"] == RANGES["appeal_days"]
