"""The cross-check block beside edx-ora2's peer assessment, in one workbench, one run (issue 15).

`make bench-ora2` runs it in a virtualenv of its own (.venv-ora2: the workbench's pins and
ora2, requirements/ora2.txt). Both blocks get the same n learners u0…u{n-1}, each with a
submission (edx-submissions rows in both; ora2's workflow and peer workflow; our works, then the
distribution), on one throwaway SQLite database, ANALYZEd. Then, for a learner in the review step:

- the learner's page: the workbench's scenario page with the block's `student_view`;
- the review step's data: ora2's `render_peer_assessment` handler, our `get_state`;
- submitting one assessment: ora2's `peer_assess`, our `submit_review` (each by another learner,
  on the work or submission handed to them, so every call is a first assessment);

each timed through Django's test client (server time: the whole request in this process), with
its query count, median and p95, twice: with the workbench's field storage (one query per field
read) and with field reads cached per request, as the LMS's FieldDataCache does. Ratios are ours
/ ora2's median. Prints a table and writes var/bench/ora2.json. If ora2 fails at a step, the
bench prints the step and the error and goes on with the rest.
    python bench/bench_ora2.py [N ...] [--repeat R] [--profile]
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The workbench, the bench's settings, the package, and the stand-in of the one edx-platform class
# ora2 imports at run time (bench/ora2_standins).
sys.path[:0] = [str(ROOT / "workbench"), str(ROOT / "bench"), str(ROOT), str(ROOT / "bench" / "ora2_standins")]
TMP = tempfile.mkdtemp(prefix="crosscheck-bench-ora2-")
os.environ["DJANGO_SETTINGS_MODULE"] = "ora2_settings"
os.environ["CROSSCHECK_VAR_DIR"] = TMP
os.environ["WORKBENCH_DATABASES"] = json.dumps(
    {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{TMP}/bench.db"}})

import warnings  # noqa: E402

warnings.filterwarnings("ignore")  # ora2's lxml FutureWarnings, once per parse

import logging  # noqa: E402

logging.disable(logging.WARNING)  # ora2's "LMS_ROOT_URL is undefined" and waffle notes

import django  # noqa: E402

django.setup()
warnings.showwarning = lambda *_args, **_kwargs: None  # Django's setup turns its warnings back on

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from submissions import api as submissions_api  # noqa: E402
from workbench.models import XBlockState  # noqa: E402
from workbench.scenarios import SCENARIOS, add_xml_scenario  # noqa: E402

from cc_workbench.services import anonymous_id  # noqa: E402
from crosscheck_xblock import clock, services  # noqa: E402
from crosscheck_xblock.models import Work  # noqa: E402 - seeds the works as a data import would
from crosscheck_xblock.services.submissions import student_item  # noqa: E402
from workbench import runtime as workbench_runtime  # noqa: E402

ORA2_COURSE = "edX/Enchantment_101/April_1"  # what ora2 uses outside the LMS (no xmodule_runtime)
ORA2_XML = """<openassessment submission_start="2001-01-01T00:00" submission_due="2099-01-01T00:00">
  <title>Essay</title>
  <prompts><prompt><description>Link your work and explain it.</description></prompt></prompts>
  <rubric>
    <prompt>Read the work.</prompt>
    {criteria}
  </rubric>
  <assessments>
    <assessment name="peer-assessment" must_grade="4" must_be_graded_by="4"/>
  </assessments>
</openassessment>"""
CRITERION = """<criterion><name>c{i}</name><label>Criterion {i}</label><prompt>Is point {i} met?</prompt>
      <option points="0"><name>no</name><label>No</label><explanation>Not met.</explanation></option>
      <option points="1"><name>yes</name><label>Yes</label><explanation>Met.</explanation></option>
    </criterion>"""
CRITERIA = 4  # ours: the default checklist; ora2: four yes/no criteria
LABELS = {"page": ("learner page (student_view)", "learner page (student_view)"),
          "data": ("get_state", "render_peer_assessment"),
          "submit": ("submit_review", "peer_assess")}


class CachingKeyValueStore(workbench_runtime.WorkbenchDjangoKeyValueStore):
    """The workbench's field storage with its rows read once per request, as the LMS's
    FieldDataCache reads a block's fields once per request. Off: one query per field read."""

    enabled = False
    _rows: dict = {}

    @classmethod
    def forget(cls, **_kwargs):
        """A new request: nothing is cached (connected to request_started)."""
        cls._rows = {}

    def _entry(self, key):
        """[row, its fields parsed]: read once per request when caching, else at every call."""
        ident = (key.scope, key.block_scope_id, key.user_id)
        if not self.enabled or ident not in self._rows:
            record = XBlockState.get_for_key(key)
            entry = [record, json.loads(record.state)]
            if not self.enabled:
                return entry
            self._rows[ident] = entry
        return self._rows[ident]

    def get(self, key):
        """A field's value."""
        return self._entry(key)[1][key.field_name]

    def _write(self, key, change):
        record, state = self._entry(key)
        change(state)
        record.state = self._to_json_str(state)
        record.save()

    def set(self, key, value):
        """Write through: the row is saved and stays cached."""
        self._write(key, lambda state: state.__setitem__(key.field_name, value))

    def delete(self, key):
        """Delete a field, through the cached row."""
        self._write(key, lambda state: state.pop(key.field_name, None))

    def has(self, key):
        """Whether the row has the field."""
        return key.field_name in self._entry(key)[1]


KVS = CachingKeyValueStore()
workbench_runtime.WORKBENCH_KVS = KVS  # read by each runtime the workbench's views build
request_started.connect(CachingKeyValueStore.forget)


class Failure(Exception):
    """A step of one block failed: its message says which and why."""


def call(client, method, url, student, payload="", profile=None, check=None):
    """(ms, queries, of which field storage) of one request as `student`: GET with `payload` as the query, or POST of
    `payload` as JSON. Raises Failure for an answer other than 200 (or one `check` refuses)."""
    # Queries run outside a request (the set-up) would offset the count: the request's start
    # empties the log that CaptureQueriesContext slices from where it stood.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        if profile is not None:
            profile.enable()
        start = time.perf_counter()
        if method == "get":
            response = client.get(f"{url}?student={student}&{payload}")
        else:
            response = client.post(f"{url}?student={student}", data=json.dumps(payload),
                                   content_type="application/json")
        elapsed = (time.perf_counter() - start) * 1000
        if profile is not None:
            profile.disable()
    if response.status_code != 200:
        raise Failure(f"{method.upper()} {url} as {student}: HTTP {response.status_code}: {response.content[:300]!r}")
    if check is not None:
        check(response)
    return elapsed, len(captured), sum("workbench_xblockstate" in query["sql"] for query in captured)


def summary(samples):
    """(median ms, p95 ms, queries, of which field storage) of [(ms, queries, field queries)]:
    the counts are those of the call that made the most queries (a call may make a few more than
    the next, e.g. the review that completes a reviewer's set)."""
    times = sorted(sample[0] for sample in samples)
    most = max(samples, key=lambda sample: sample[1])
    return statistics.median(times), times[round(0.95 * (len(times) - 1))], most[1], most[2]


def interleaved(calls, repeat, errors, metric):
    """{block: summary} of `repeat` rounds, each calling every block's `calls[block](i)` in turn, so
    that both see the same load of the machine. A block whose call fails is reported in `errors`
    (what failed, exactly) and dropped; the others go on."""
    samples = {block: [] for block in calls}
    live = dict(calls)
    for i in range(repeat):
        for block, fn in list(live.items()):
            try:
                samples[block].append(fn(i))
            except Exception as err:  # noqa: BLE001 - the bench says exactly what failed and goes on
                errors.append(f"{block} {metric}: {type(err).__name__}: {err}\n"
                              + traceback.format_exc(limit=-3))
                del live[block]
    return {block: summary(samples[block]) for block in live}


def _scenario(xml):
    name = f"bench-{uuid.uuid4().hex[:8]}"
    add_xml_scenario(name, name, xml)
    return name, SCENARIOS[name].usage_id


def setup_ours(client, n):
    """A cross-check block with n works, distributed (k = 4): learners are in the review step."""
    name, usage_id = _scenario('<crosscheck reviews_per_work="4"/>')
    client.post(f"/handler/{usage_id}/get_state/?student=u0", data="{}", content_type="application/json")
    task = services.find_task(usage_id)
    now = clock.now()
    works = []
    for i in range(n):
        student = student_item(task, anonymous_id(f"u{i}"))
        url = f"https://u{i}.example.org/"
        uuid_ = submissions_api.create_submission(student, {"url": url})["uuid"]
        works.append(Work(task_id=task.id, student_id=student["student_id"], url=url, submission_uuid=uuid_,
                          submitted_at=now, updated_at=now, username=f"u{i}"))
    Work.objects.bulk_create(works, batch_size=2000)
    services.start_cross_check(task, clock.now())
    return name, usage_id


def setup_ora2(n):
    """An ora2 peer-assessment block with n submissions, each with its workflow in the peer step."""
    from openassessment.workflow import api as workflow_api  # noqa: PLC0415 - here, so a missing ora2 is a reported step

    name, usage_id = _scenario(ORA2_XML.format(criteria="\n    ".join(CRITERION.format(i=i) for i in range(CRITERIA))))
    scenario, tag, _ = usage_id.split(".", 2)
    fields = []
    for i in range(n):
        item = {"student_id": f"u{i}", "item_id": usage_id, "course_id": ORA2_COURSE, "item_type": "openassessment"}
        submission = submissions_api.create_submission(item, {"parts": [{"text": f"https://u{i}.example.org/"}]})
        workflow_api.create_workflow(submission["uuid"], ["peer"])
        # What ora2's submit handler keeps in the learner's fields: the block finds the learner's
        # submission by it.
        fields.append(XBlockState(scope="usage", scope_id=usage_id, user_id=f"u{i}", scenario=scenario, tag=tag,
                                  state=json.dumps({"submission_uuid": submission["uuid"]})))
    XBlockState.objects.bulk_create(fields, batch_size=2000)
    return name, usage_id


def profile_ours(client, name, usage_id, reviewers, n):
    """cProfile's text of our page and of get_state, called once per reviewer."""
    texts = {}
    for key, method, url, body in (("page", "get", f"/scenario/{name}/", ""),
                                   ("data", "post", f"/handler/{usage_id}/get_state/", {})):
        prof = cProfile.Profile()
        for reviewer in reviewers:
            call(client, method, url, reviewer, body, profile=prof)
        texts[f"ours-{key}-n{n}"] = _profile_text(prof)
    return texts


class Ours:
    """The three calls of a reviewer of our block."""

    def __init__(self, client, name, usage_id, reviewers):
        self.client, self.name, self.base, self.reviewers = client, name, f"/handler/{usage_id}", reviewers
        self.states = {}

    def page(self, i):
        """The learner's page: the workbench's scenario page with our student_view."""
        return call(self.client, "get", f"/scenario/{self.name}/", self.reviewers[i])

    def data(self, i):
        """get_state."""
        return call(self.client, "post", f"{self.base}/get_state/", self.reviewers[i], {})

    def prepare_submit(self):
        """The first review handed to each reviewer (untimed)."""
        for reviewer in self.reviewers:
            self.states[reviewer] = json.loads(self.client.post(
                f"{self.base}/get_state/?student={reviewer}", data="{}", content_type="application/json").content)

    def submit(self, i):
        """submit_review of the reviewer's first assigned work, every item checked."""
        state = self.states[self.reviewers[i]]
        items = {item["id"]: (1 if item["type"] == "subtask" else 0)
                 for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
        review = {"review_id": state["reviews"][0]["id"], "items": items, "comment": "Clear and complete."}
        return call(self.client, "post", f"{self.base}/submit_review/", self.reviewers[i], review)


class Ora2:
    """The same three calls for ora2's peer step."""

    def __init__(self, client, name, usage_id, reviewers):
        self.client, self.name, self.usage_id, self.reviewers = client, name, usage_id, reviewers
        self.base = f"/handler/{usage_id}"
        self.handed = {}

    def page(self, i):
        """The learner's page: the workbench's scenario page with ora2's student_view."""
        return call(self.client, "get", f"/scenario/{self.name}/", self.reviewers[i])

    def data(self, i):
        """render_peer_assessment: the peer step's HTML (it hands the reviewer a submission)."""
        return call(self.client, "get", f"{self.base}/render_peer_assessment/", self.reviewers[i])

    def prepare_submit(self):
        """The submission render_peer_assessment handed each reviewer (untimed)."""
        from openassessment.assessment.api import peer as peer_api  # noqa: PLC0415 - as in setup_ora2

        for reviewer in self.reviewers:
            item = {"student_id": reviewer, "item_id": self.usage_id, "course_id": ORA2_COURSE,
                    "item_type": "openassessment"}
            own = submissions_api.get_submissions(item)[0]["uuid"]
            peer = peer_api.get_submission_to_assess(own, 4)
            self.handed[reviewer] = peer["uuid"] if peer else None

    def submit(self, i):
        """peer_assess of the handed submission, every criterion "yes"."""
        reviewer = self.reviewers[i]
        if self.handed.get(reviewer) is None:
            raise Failure(f"ora2 handed {reviewer} no submission to assess")
        assessment = {"submission_uuid": self.handed[reviewer], "criterion_feedback": {},
                      "options_selected": {f"c{c}": "yes" for c in range(CRITERIA)},
                      "overall_feedback": "Clear and complete."}
        return call(self.client, "post", f"{self.base}/peer_assess/", reviewer, assessment, check=_check_ora2_success)


def measure(blocks, repeat, errors):
    """{metric: {block: summary}}: each step of both blocks, interleaved call by call."""
    results = {}
    for metric in ("page", "data", "submit"):
        if metric == "submit":
            for block_name, block in list(blocks.items()):
                try:
                    block.prepare_submit()
                except Exception as err:  # noqa: BLE001
                    errors.append(f"{block_name} preparing the assessments: {type(err).__name__}: {err}\n"
                                  + traceback.format_exc(limit=-3))
                    del blocks[block_name]
        results[metric] = interleaved({block_name: getattr(block, metric) for block_name, block in blocks.items()},
                                      repeat, errors, metric)
    return results


def _check_ora2_success(response):
    body = json.loads(response.content)
    if body.get("success") is not True:
        raise Failure(f"peer_assess answered {body}")


def _profile_text(profile, limit=25):
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def run(n, repeat, profile):
    """Both blocks with n learners; returns (records, errors, profiles)."""
    errors, records, texts = [], [], {}
    client = Client()
    started = time.perf_counter()
    with transaction.atomic():  # one commit, not thousands (SQLite syncs on every commit)
        ours = setup_ours(client, n)
    print(f"n={n}: our block set up in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    ora2 = None
    try:
        with transaction.atomic():
            ora2 = setup_ora2(n)
        print(f"n={n}: ora2's block set up in {time.perf_counter() - started:.1f} s")
    except Exception as err:  # noqa: BLE001
        errors.append(f"ora2 setup: {type(err).__name__}: {err}\n" + traceback.format_exc(limit=-3))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Reviewers: one per call and per mode, all in the review step; ours and ora2's are the same
    # learners, each a first assessment.
    modes = ("uncached", "cached")
    pool = iter(range(1, n))
    reviewers = {mode: [f"u{next(pool)}" for _ in range(repeat)] for mode in modes}
    for mode in modes:
        KVS.enabled = mode == "cached"
        blocks = {"ours": Ours(client, *ours, reviewers[mode])}
        if ora2:
            blocks["ora2"] = Ora2(client, *ora2, reviewers[mode])
        results = measure(blocks, repeat, errors)
        if profile and mode == "cached":  # apart from the timed calls: cProfile slows what it watches
            texts.update(profile_ours(client, *ours, reviewers[mode], n))
        for metric in LABELS:
            records.append({"n": n, "mode": mode, "metric": metric, "ours": results[metric].get("ours"),
                            "ora2": results[metric].get("ora2")})
    KVS.enabled = False
    return records, errors, texts


def json_rows(records):
    """The records as var/bench/*.json rows: {metric, value, unit, target}."""
    rows = []
    for r in records:
        ours_label, ora2_label = LABELS[r["metric"]]
        prefix = f"n={r['n']} fields {r['mode']}"
        for who, label, values in (("ours", ours_label, r["ours"]), ("ora2", ora2_label, r["ora2"])):
            if values is None:
                continue
            target = "fewer than ora2's" if who == "ours" else None
            name = f"{prefix} {who} {label}"
            rows += [{"metric": f"{name} median", "value": round(values[0], 2), "unit": "ms", "target": None},
                     {"metric": f"{name} p95", "value": round(values[1], 2), "unit": "ms", "target": None},
                     {"metric": f"{name} queries", "value": values[2], "unit": "queries", "target": target},
                     {"metric": f"{name} queries of field storage", "value": values[3], "unit": "queries",
                      "target": None}]
        if r["ora2"] is not None and r["ours"] is not None:
            rows.append({"metric": f"{prefix} {ours_label} / {ora2_label} median", "unit": "x", "target": "<= 0.5",
                         "value": round(r["ours"][0] / r["ora2"][0], 2)})
    return rows


def print_table(records):
    """One line per (n, field reads, step): ours, ora2's, the ratio and whether the targets hold."""
    print("q: the most queries one call made (of which the workbench's field storage); ratio: ours / ora2's median")
    print(f"{'n':>6} {'fields':9} {'step (ours | ora2)':52} {'ours ms med/p95':>16} {'q':>8}"
          f" {'ora2 ms med/p95':>16} {'q':>8} {'ratio':>6}  target: <= 0.5 x, fewer queries")
    for r in records:
        ours_label, ora2_label = LABELS[r["metric"]]
        ours, ora2 = r["ours"], r["ora2"]
        line = f"{r['n']:>6} {r['mode']:9} {ours_label + ' | ' + ora2_label:52} "
        line += (f"{f'{ours[0]:.1f}/{ours[1]:.1f}':>16} {f'{ours[2]} ({ours[3]})':>8}" if ours
                 else f"{'ours failed':>25}")
        if ora2 is None or ours is None:
            print(line + (f" {'ora2 failed (below)':>25}" if ora2 is None else f" {ora2[0]:>16.1f} {ora2[2]:>8}"))
            continue
        ratio = ours[0] / ora2[0]
        verdict = ("met" if ratio <= 0.5 else "time not met") + ("" if ours[2] < ora2[2] else ", queries not fewer")
        print(f"{line} {f'{ora2[0]:.1f}/{ora2[1]:.1f}':>16} {f'{ora2[2]} ({ora2[3]})':>8} {ratio:>6.2f}  {verdict}")


def main():
    """Parse the arguments, run each n, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile our page and get_state (cached mode)")
    args = parser.parse_args()
    records, errors = [], []
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", run_syncdb=True, verbosity=0)
    for n in args.n:
        if n < 2 * args.repeat + 2:
            parser.error(f"n={n}: needs at least {2 * args.repeat + 2} learners for {args.repeat} calls per mode")
        n_records, n_errors, texts = run(n, args.repeat, args.profile)
        records += n_records
        errors += n_errors
        for key, text in texts.items():
            (out_dir / f"ora2-profile-{key}.txt").write_text(text)
            print(f"profile: var/bench/ora2-profile-{key}.txt")
    print_table(records)
    for error in errors:
        print(f"FAILED {error}")
    (out_dir / "ora2.json").write_text(json.dumps({"bench": "ora2", "rows": json_rows(records)}, indent=1))
    print("written: var/bench/ora2.json")


if __name__ == "__main__":
    main()
