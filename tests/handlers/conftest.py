"""Handler tests: real HTTP-level calls through the workbench runtime (Django test client)."""
import json
import uuid

import pytest
from workbench.scenarios import SCENARIOS, add_xml_scenario

from cc_workbench.services import anonymous_id


class Block:
    """One cross-check block in a throwaway workbench scenario, called as different users."""

    def __init__(self, client, usage_id):
        self.client = client
        self.usage_id = usage_id

    def call(self, handler, student="alice", body=None, raw=None, method="post",
             content_type="application/json"):
        """Call a handler as `student`; returns (status, parsed JSON)."""
        url = f"/handler/{self.usage_id}/{handler}/?student={student}"
        if method == "get":
            response = self.client.get(url)
        else:
            data = raw if raw is not None else json.dumps(body or {})
            response = self.client.post(url, data=data, content_type=content_type)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return response.status_code, payload

    def ok(self, handler, student="alice", body=None):
        """Call and insist on 200."""
        status, payload = self.call(handler, student, body)
        assert status == 200, (handler, student, payload)
        return payload

    def page(self, student="alice", view=""):
        """The rendered page of a view (student_view unless `view` names another) as HTML."""
        path = f"/scenario/{self.scenario}/{view + '/' if view else ''}?student={student}"
        response = self.client.get(path)
        assert response.status_code == 200
        return response.content.decode()

    def submit_all(self, names, url_pattern="https://{name}.example.org/"):
        """Every named learner submits a link."""
        for name in names:
            self.ok("submit_work", name, {"url": url_pattern.format(name=name)})

    def state(self, student):
        """get_state for `student`."""
        return self.ok("get_state", student)


@pytest.fixture
def make_block(client, db):
    """make_block(xml_attributes) → Block in a new scenario (`<crosscheck {attributes}/>`)."""
    def make(attributes="", body=""):
        name = f"test-{uuid.uuid4().hex[:10]}"
        xml = f"<crosscheck {attributes}>{body}</crosscheck>"
        add_xml_scenario(name, name, xml)
        block = Block(client, SCENARIOS[name].usage_id)
        block.scenario = name
        return block
    return make


def download(client, url, **extra):
    """GET a staff export as a browser does: follow staff_export's redirect to its download link
    and read the answer whole (a stream, or the handler's own CSV); the response, its bytes as `.body`."""
    response = client.get(url, **extra)
    if response.status_code == 302:  # the runtime copies a handler's redirect into a plain response
        response = client.get(response["Location"], **extra)
    response.body = response.getvalue()
    return response


def table_snapshot() -> dict:
    """Every row of the block's tables, edx-submissions' and the stand-in gradebook's, as
    values: equal snapshots mean a request wrote nothing."""
    from django.apps import apps

    snapshot = {}
    for label in ("crosscheck_xblock", "submissions", "cc_workbench"):
        for model in apps.get_app_config(label).get_models():
            snapshot[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return snapshot


def anon(name: str) -> str:
    """The anonymous id the workbench gives `name`."""
    return anonymous_id(name)


def full_review(state, review_index=0, value=1.0, penalties=0):
    """A complete items dict for the review at `review_index`: every subtask `value`, penalties given;
    every item that lost points says why (the default comment rule, `deducted`, asks for it)."""
    items = {}
    for item in state["checklist"]["items"]:
        if item["type"] == "subtask":
            items[item["id"]] = value
        elif item["type"] == "penalty":
            items[item["id"]] = penalties
    body = {"review_id": state["reviews"][review_index]["id"], "items": items, "comment": "ok"}
    return justify(state, body)


JUSTIFICATION = "Points taken: see the checklist item."


def justify(state, body):
    """`body` with an item comment on every item that lost points and has none (the
    `deducted` rule), so that a test about something else passes the comment rule honestly."""
    comments = dict(body.get("item_comments") or {})
    for item in state["checklist"]["items"]:
        value = body["items"].get(item["id"])
        if not isinstance(value, int | float) or item.get("max") == 0 or comments.get(item["id"]):
            continue
        if (item["type"] == "subtask" and value < 1) or (item["type"] == "penalty" and value > 0):
            comments[item["id"]] = JUSTIFICATION
    return {**body, "item_comments": comments} if comments else body
