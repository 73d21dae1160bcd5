"""Simulated learners of one cross-check under review (make bench-load; bench/bench_load.py).

Each simulated user is one learner of the task bench_load.py built (the file BENCH_LOAD_SETUP
names: usage id, learners, their assigned reviews, the checklist) and, with a think time between
two actions, does what a reviewer's page does: reads its state (70 %), saves a draft of one of
its reviews as it types (20 %), submits a review (10 %). Every request is a valid one: any answer
that is not 2xx is an error. The handlers are called as the page's JavaScript calls them: a JSON
POST to /handler/<usage id>/<handler>/?student=<name> with the CSRF cookie and header.

Also runs under locust's own command line:
    BENCH_LOAD_SETUP=var/bench/load-setup.json locust -f bench/locustfile.py --host http://127.0.0.1:PORT
"""
import itertools
import json
import os
import random
import secrets
import sys

from locust import FastHttpUser, between, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_task import review_body

# Think time between two actions of a learner, seconds (BENCH_LOAD_WAIT="min,max").
WAIT = tuple(float(part) for part in os.environ.get("BENCH_LOAD_WAIT", "3,10").split(","))
# The share of each action (issue 15: 70 / 20 / 10).
WEIGHTS = {"get_state": 7, "save_draft": 2, "submit_review": 1}

_setup = None
_next_learner = itertools.count()


def setup() -> dict:
    """The task bench_load.py built (read once per process)."""
    global _setup  # one read per process, shared by every user
    if _setup is None:
        with open(os.environ["BENCH_LOAD_SETUP"], encoding="utf-8") as handle:
            _setup = json.load(handle)
    return _setup


class Learner(FastHttpUser):
    """One learner reviewing their assigned works."""

    wait_time = between(*WAIT)

    def on_start(self):
        """Take the next learner of the task; the CSRF pair a page load would have given."""
        data = setup()
        learners = data["learners"]
        self.name = learners[next(_next_learner) % len(learners)]
        self.reviews = data["reviews"][self.name]
        self.items = data["items"]
        self.rng = random.Random(self.name)
        token = secrets.token_hex(16)  # 32 characters: Django's CSRF secret format
        self.headers = {"Content-Type": "application/json", "Cookie": f"csrftoken={token}",
                        "X-CSRFToken": token}
        self.base = f"/handler/{data['usage_id']}"

    def _post(self, handler: str, body: dict):
        return self.client.post(f"{self.base}/{handler}/?student={self.name}", data=json.dumps(body),
                                headers=self.headers, name=handler)

    @task(WEIGHTS["get_state"])
    def get_state(self):
        """Reload the page's state."""
        self._post("get_state", {})

    @task(WEIGHTS["save_draft"])
    def save_draft(self):
        """Keep a half-typed review of one assigned work."""
        review = self.rng.choice(self.reviews)
        typed = dict(itertools.islice(self.items.items(), self.rng.randint(1, len(self.items))))
        self._post("save_draft", {"form": review, "data": {"items": typed, "comment": "Looking at the page…"}})

    @task(WEIGHTS["submit_review"])
    def submit_review(self):
        """Submit (or resubmit) the review of one assigned work."""
        self._post("submit_review", review_body(self.rng.choice(self.reviews), self.items, self.rng.randrange(2)))
