"""The cross-check XBlock: fields, views and thin JSON handlers.

Each handler parses its input, calls one function of `api`, and returns JSON. Business rules
live in `api` and in the pure modules, so Celery tasks and commands share them.
"""
import os
from importlib import resources

from django.utils.translation import gettext_lazy as _
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Date, Float, Integer, Scope, String

from . import analytics, api, appeals, clock, compat, links, schedule, studio
from .checklist import ChecklistError, parse_checklist
from .errors import CrossCheckError
from .handlers import json_api, json_response, json_script_tag
from .olx import OlxMixin
from .scoring import DEFAULT_POLICY, POLICIES


def _package_text(name: str) -> str:
    return resources.files("crosscheck_xblock").joinpath(name).read_text(encoding="utf-8")


DEFAULT_CHECKLIST = _package_text("demo/portfolio-checklist.json")
DEMO_SCENARIO = "Cross-check: demo (12 learners submitted)"
EMPTY_SCENARIO = "Cross-check: from scratch"


@XBlock.needs("user")
class CrossCheckXBlock(OlxMixin, XBlock):
    """Peer cross-check: submit a link, review k peers by checklist, get a grade."""

    display_name = String(display_name=_("Display name"), default="Cross-check", scope=Scope.settings)
    submission_kind = String(
        display_name=_("What learners submit"), scope=Scope.settings, default=links.DEFAULT_KIND,
        values=[{"value": kind, "display_name": text} for kind, text in links.KINDS.items()],
        help=_("pull_request: a GitHub/GitLab pull request; deploy: a deployed site; any: any web link."))
    reviews_per_work = Integer(
        display_name=_("Reviews per work (k)"), default=4, scope=Scope.settings,
        values={"min": 1, "max": 10}, help=_("Every work gets k reviewers and every learner reviews k works."))
    # The OLX attribute is `max_score`; the Python name differs because `max_score()` is the
    # method the LMS calls on scored blocks (see olx.py).
    max_points = Integer(display_name=_("Maximum score"), default=100, scope=Scope.settings,
                         values={"min": 1, "max": 10000})
    grading_policy = String(
        display_name=_("Grading policy"), default=DEFAULT_POLICY, scope=Scope.settings,
        values=[{"value": name, "display_name": f"{name}: {text}"} for name, text in POLICIES.items()])
    submission_due = String(display_name=_("Submission deadline (ISO 8601, UTC)"), default="",
                            scope=Scope.settings)
    review_start = String(display_name=_("Cross-check start (ISO 8601, UTC)"), default="",
                          scope=Scope.settings)
    review_due = String(display_name=_("Cross-check end (ISO 8601, UTC)"), default="",
                        scope=Scope.settings)
    adjustment_days = Float(
        display_name=_("Adjustment period (days)"), default=1.0, scope=Scope.settings,
        help=_("After the cross-check end, reviewers may still correct the points of reviews they "
               "submitted, for this many days; 0 turns it off."))
    outlier_threshold = Float(
        display_name=_("Outlier threshold (% of the maximum)"), default=15.0, scope=Scope.settings,
        help=_("A score this far from the other scores of a work counts as far off (A3); a staff "
               "re-check warns the reviewers and the author this far from its result (A4)."))
    warning_rule = String(
        display_name=_("Warning rule"), default="evidence", scope=Scope.settings,
        values=[{"value": "fixed", "display_name": "fixed: leave out and warn scores beyond the threshold"},
                {"value": "evidence", "display_name": "evidence: warn reviewers the model finds biased or erratic"},
                {"value": "none", "display_name": "none: warn nobody at grading"}],
        help=_("Which rule warns reviewers when grades are computed; the staff analytics show both."))
    aggregation = String(
        display_name=_("Aggregate"), default="total", scope=Scope.settings,
        values=[{"value": "total", "display_name": "total: the policy over each review's total"},
                {"value": "per_item", "display_name": "per_item: the policy over each item, then summed"}])
    appeal_days = Float(
        display_name=_("Appeal window (days)"), default=3.0, scope=Scope.settings,
        help=_("After grading, learners whose link did not change after the deadline may appeal "
               "their grade for this many days; 0 turns appeals off."))
    # T2: the LMS lists a block's `due` in the course schedule, so it carries the submission
    # deadline. `submission_due` stays the source of truth (mirror_due copies it on Studio save
    # and OLX import); nothing reads `due` back, and the workbench runtime, which overwrites
    # `due` on every request, is told to keep it (workbench/cc_workbench/runtime.py).
    due = Date(display_name=_("Due date (the submission deadline)"), default=None, scope=Scope.settings,
               help=_("Set from the submission deadline; the LMS lists it in the course schedule."))
    checklist = String(display_name=_("Checklist (rs JSON or YAML)"), default=DEFAULT_CHECKLIST,
                       scope=Scope.settings, multiline_editor=True,
                       help=_("The criteria in the rs checklist format, as JSON or YAML."))

    has_score = True
    icon_class = "problem"

    def max_score(self):
        """The points the gradebook expects from this block."""
        return self.max_points

    # ------------------------------------------------------------------ settings copy

    def task_config(self) -> dict:
        """The settings copy background jobs read (api.sync_task); raises ChecklistError if invalid."""
        return {
            "display_name": self.display_name,
            "submission_kind": self.submission_kind,
            "reviews_per_work": self.reviews_per_work,
            "max_score": self.max_points,
            "grading_policy": self.grading_policy,
            "submission_due": self.submission_due,
            "review_start": self.review_start,
            "review_due": self.review_due,
            "adjustment_days": self.adjustment_days,
            "outlier_threshold": self.outlier_threshold / 100,
            "warning_rule": self.warning_rule,
            "aggregation": self.aggregation,
            "appeal_days": self.appeal_days,
            "checklist": parse_checklist(self.checklist).to_rs(),
        }

    def mirror_due(self) -> None:
        """Copy the submission deadline into `due` (T2); an unset or bad deadline unsets `due`."""
        try:
            deadline = schedule.parse_datetime(self.submission_due)
        except ValueError:
            deadline = None
        if deadline is not None:
            self.due = deadline
        elif self.fields["due"].is_set_on(self):
            del self.due

    def _task(self):
        try:
            config = self.task_config()
        except ChecklistError as err:
            raise CrossCheckError(f"The task's checklist is invalid: {err}", "bad_checklist", 409) from err
        return api.sync_task(compat.usage_key(self), compat.course_id(self), config)

    def _staff_only(self):
        viewer = compat.current_viewer(self)
        if not viewer.is_staff:
            raise CrossCheckError("Only course staff can do this.", "staff_only", 403)
        return viewer

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        """The learner's page; course staff also get the progress panel and the start/complete buttons."""
        viewer = compat.current_viewer(self)
        frag = Fragment()
        frag.add_css(_package_text("static/css/crosscheck.css"))
        frag.add_javascript(_package_text("static/js/common.js"))
        frag.add_javascript(_package_text("static/js/staff_analytics.js"))
        frag.add_javascript(_package_text("static/js/form.js"))
        frag.add_javascript(_package_text("static/js/appeals.js"))
        frag.add_javascript(_package_text("static/js/crosscheck.js"))
        try:
            # Runs a step whose time has come (distribution, grading) if no worker did yet.
            task = api.run_due_transitions(self._task(), clock.now())
            init = {"state": self._state(task, viewer.student_id),
                    "is_staff": viewer.is_staff, "signed_in": bool(viewer.student_id)}
        except CrossCheckError as err:
            init = {"error": err.message, "is_staff": viewer.is_staff}
        # The state holds learner-written text, so it travels in an escaped JSON script element,
        # not in the runtime's json_init_args (which the runtimes write into the page unescaped).
        frag.add_content(_package_text("templates/crosscheck.html").replace(
            "<!--INIT-->", json_script_tag(init, "cc-init")))
        frag.initialize_js("CrossCheckBlock")
        return frag

    # ------------------------------------------------------------------ learner handlers

    @staticmethod
    def _state(task, student_id):
        """The learner's whole state: reviews and grade (api) with the appeal and warnings (appeals)."""
        now = clock.now()
        return {**api.learner_state(task, student_id, now), **appeals.learner_part(task, student_id, now)}

    @json_api
    def get_state(self, data, suffix=""):
        """The learner's whole state (see README: JSON API)."""
        viewer = compat.current_viewer(self)
        task = api.run_due_transitions(self._task(), clock.now())
        return self._state(task, viewer.student_id)

    @json_api
    def submit_work(self, data, suffix=""):
        """Submit or replace the link: `{"url": "https://…", "confirm_late": true}` (the flag only after
        the deadline: the learner accepts that a late change forfeits the appeal)."""
        viewer = compat.current_viewer(self)
        task = self._task()
        api.submit_work(task, viewer.student_id, data.get("url"), clock.now(), username=viewer.username,
                        confirm_late=data.get("confirm_late") is True)
        return self._state(task, viewer.student_id)

    @json_api
    def submit_review(self, data, suffix=""):
        """Submit a review: `{"review_id", "items", "item_comments", "comment", "best_work"}`."""
        viewer = compat.current_viewer(self)
        task = self._task()
        api.submit_review(task, viewer.student_id, data.get("review_id"), data, clock.now())
        return self._state(task, viewer.student_id)

    @json_api
    def submit_self_check(self, data, suffix=""):
        """Submit the self-check of one's own work: `{"items", "item_comments", "comment"}`."""
        viewer = compat.current_viewer(self)
        task = self._task()
        api.submit_self_check(task, viewer.student_id, data, clock.now())
        return self._state(task, viewer.student_id)

    @json_api
    def save_draft(self, data, suffix=""):
        """Keep an unsent form: `{"form": <review_id> | "self", "data": {...}}`."""
        viewer = compat.current_viewer(self)
        draft = api.save_draft(self._task(), viewer.student_id, data.get("form"), data.get("data"), clock.now())
        return {"saved_at": schedule.format_datetime(draft.updated_at)}

    @json_api
    def submit_appeal(self, data, suffix=""):
        """Appeal the grade: `{"reason": text, "items": [item id, …]}` naming the disputed items (A4, F4)."""
        viewer = compat.current_viewer(self)
        task = self._task()
        appeals.submit_appeal(task, viewer.student_id, data.get("reason"), data.get("items"), clock.now())
        return self._state(task, viewer.student_id)

    # ------------------------------------------------------------------ staff handlers

    @json_api
    def staff_overview(self, data, suffix=""):
        """Progress of every learner, for course staff."""
        self._staff_only()
        return api.staff_overview(self._task(), clock.now())

    @json_api
    def staff_start(self, data, suffix=""):
        """Distribute the works now (the same code the scheduled start runs)."""
        return self._staff_action(api.start_cross_check)

    @json_api
    def staff_complete(self, data, suffix=""):
        """Compute and write the grades now (the same code the scheduled end runs)."""
        return self._staff_action(api.complete_cross_check)

    def _staff_action(self, action):
        self._staff_only()
        usage_key = self._task().usage_key
        result = action(usage_key, clock.now())
        return {"result": result, "overview": api.staff_overview(api.get_task(usage_key), clock.now())}

    @json_api
    def staff_analytics(self, data, suffix=""):
        """Agreement, the two warning rules and the grade distribution of the task, for course staff."""
        self._staff_only()
        return analytics.task_analytics(self._task(), clock.now())

    @json_api
    def staff_appeals(self, data, suffix=""):
        """Appeals (waiting ones by spread, then settled ones) and works to re-check, for course staff."""
        self._staff_only()
        return appeals.staff_appeals(self._task(), clock.now())

    @json_api
    def staff_recheck(self, data, suffix=""):
        """Re-check a work: `{"work_id", "items", "item_comments", "comment"}`; replaces its grade (A4)."""
        viewer = self._staff_only()
        task = self._task()
        result = appeals.staff_recheck(task, data.get("work_id"), data, viewer.username or "staff", clock.now())
        return {"result": result, "appeals": appeals.staff_appeals(task, clock.now())}

    @XBlock.handler
    def staff_export(self, request, suffix=""):
        """`GET ?kind=grades|reviews`: the task as a CSV download, for course staff."""
        exports = {"grades": analytics.grades_csv, "reviews": analytics.reviews_csv}
        try:
            self._staff_only()
            kind = request.GET.get("kind", "")
            if kind not in exports:
                raise CrossCheckError("Say which export: kind=grades or kind=reviews.", "bad_kind")
            body = exports[kind](self._task())
        except CrossCheckError as err:
            return json_response(err.as_json(), err.status)
        response = Response(body, content_type="text/csv", charset="utf8")
        response.headers["Content-Disposition"] = f'attachment; filename="crosscheck-{kind}.csv"'
        return response

    # ------------------------------------------------------------------ Studio

    def studio_view(self, context=None):
        """The Studio editor: the checklist item by item, the settings and a live preview (studio.py)."""
        return studio.editor_fragment(self)

    @json_api
    def studio_submit(self, data, suffix=""):
        """Save settings: `{"values": {<OLX name>: value, …}}` → `{"saved": true, "values"}`; all or nothing.

        Course staff only in the LMS; in Studio, Studio's own course-access check guards it.
        """
        return studio.submit(self, data)

    @json_api
    def studio_preview(self, data, suffix=""):
        """The learner's form for a checklist text: `{"checklist", "max_score"}` → items, totals, error."""
        studio.require_editor(self)
        return studio.preview(data.get("checklist"), data.get("max_score"))

    def validate(self):
        """Studio shows these messages on the unit page, e.g. for settings imported from bad OLX."""
        validation = super().validate()
        self.validate_field_data(validation, self)
        return validation

    def validate_field_data(self, validation, data):
        """Add an error for every invalid setting of `data` (the block, or anything with its fields)."""
        from xblock.validation import ValidationMessage  # pylint: disable=import-outside-toplevel

        values = {olx: getattr(data, python) for olx, python in studio.FIELDS.items()}
        for problem in studio.problems(values):
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """A demo with a dozen learners who submitted (loaded by `make workbench`) and an empty task.

        With CROSSCHECK_TEST_SCENARIOS=1 (set by the browser tests) a third, small task with a
        maximum below its checklist's total is added, so tests do not disturb the other two.
        """
        scenarios = [
            (DEMO_SCENARIO, '<crosscheck display_name="Portfolio cross-check (demo)" '
                            'submission_kind="deploy" reviews_per_work="4"/>'),
            (EMPTY_SCENARIO, '<crosscheck display_name="A fresh cross-check" submission_kind="any" '
                             'reviews_per_work="3" max_score="100" grading_policy="mean"/>'),
        ]
        if os.environ.get("CROSSCHECK_TEST_SCENARIOS"):
            scenarios.append(("Cross-check: browser test task",
                              '<crosscheck display_name="Review form test" reviews_per_work="2" '
                              'max_score="60"/>'))
        return scenarios
