"""Test data built through the service layer, shared by the service, integration and race tests.

Tasks here have no block and no modulestore, as in a Celery worker: everything they need is in
the task row's settings copy (`task_config`). Learners are workbench learners (their anonymous
id is the workbench's), so the handler tests' users and these agree.
"""
from datetime import UTC, datetime, timedelta

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.block import DEFAULT_CHECKLIST
from crosscheck_xblock.checklist import parse_checklist

COURSE = "course-v1:Test+CrossCheck+Schedule"
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # the `clock` fixture's start
DEADLINE = T0 + timedelta(days=1)                        # = the cross-check start (T1)
END = T0 + timedelta(days=3)
CLOSES = END + timedelta(days=0.5)                       # end + adjustment: grading is due


def task_config(k: int = 3, **overrides) -> dict:
    """A settings copy like block.task_config() gives: deadline, end, half a day to adjust."""
    return {"display_name": "Scheduled cross-check", "submission_kind": "any", "reviews_per_work": k,
            "max_score": 100, "grading_policy": "mean",
            "submission_due": DEADLINE.isoformat(), "review_start": "", "review_due": END.isoformat(),
            "adjustment_days": 0.5, "checklist": parse_checklist(DEFAULT_CHECKLIST).to_rs(), **overrides}


def learners(n: int) -> list[str]:
    """The names of n learners: w000, w001, …"""
    return [f"w{i:03d}" for i in range(n)]


def make_task(usage_key: str, n: int, k: int = 3, **overrides) -> services.TaskRef:
    """A task with `n` submitted works (learners w000…), submitted at T0 (submission open)."""
    task = services.sync_task(usage_key, COURSE, task_config(k, **overrides))
    for name in learners(n):
        services.submit_work(task, anonymous_id(name), f"https://{name}.example.org/", T0, username=name)
    return task


def task(usage_key: str) -> services.TaskRef:
    """The task as a worker reads it now."""
    return services.find_task(usage_key)


def start(usage_key: str, now: datetime, **kwargs) -> dict:
    """Distribute (what the sweep and the staff button do)."""
    return services.start_cross_check(task(usage_key), now, **kwargs)


def complete(usage_key: str, now: datetime, **kwargs) -> dict:
    """Grade and write the gradebook."""
    return services.complete_cross_check(task(usage_key), now, **kwargs)


def advance(usage_key: str, now: datetime, **kwargs) -> dict | None:
    """Run the due step, as the Celery task `advance_task` does."""
    return services.advance_task(task(usage_key), now, **kwargs)


def full_items(of_task: services.TaskRef, value: float = 1.0) -> dict:
    """Every scored item of the task's checklist: subtasks at `value`, no penalty applied."""
    return {item.id: value if item.type == "subtask" else 0
            for item in of_task.settings.checklist.scored_items}


def review_tokens(usage_key: str) -> dict[str, list[str]]:
    """{learner name: the tokens of the works they review, by position} (what each learner's
    page names `reviews[].id`)."""
    tokens = {}
    current = task(usage_key)
    for name in learners(10_000):
        state = services.learner_state(current, anonymous_id(name), END)
        if state["submission"] is None:
            break
        tokens[name] = [review["id"] for review in state["reviews"]]
    return tokens


def review_all(usage_key: str, now: datetime, skip: int = 1) -> None:
    """Every reviewer submits every review, except the first `skip` learners (they stay unfinished)."""
    current = task(usage_key)
    items = full_items(current)
    for index, (name, tokens) in enumerate(sorted(review_tokens(usage_key).items())):
        if index < skip:
            continue
        for token in tokens:
            services.submit_review(current, anonymous_id(name), token, {"items": items, "comment": "ok"}, now)
