"""The cross-check XBlock: fields, views and thin JSON handlers.

Each handler parses its input, calls one function of `api`, and returns JSON. Business rules
live in `api` and in the pure modules, so Celery tasks and commands share them.
"""
from importlib import resources

from django.utils.translation import gettext_lazy as _
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Float, Integer, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from . import api, clock, compat, links, schedule
from .checklist import ChecklistError, parse_checklist
from .errors import CrossCheckError
from .handlers import json_api, json_script_tag
from .olx import OlxMixin
from .scoring import DEFAULT_POLICY, POLICIES


def _package_text(name: str) -> str:
    return resources.files("crosscheck_xblock").joinpath(name).read_text(encoding="utf-8")


DEFAULT_CHECKLIST = _package_text("demo/portfolio-checklist.json")
DEMO_SCENARIO = "Cross-check: demo (12 learners submitted)"
EMPTY_SCENARIO = "Cross-check: from scratch"


@XBlock.needs("user")
class CrossCheckXBlock(OlxMixin, StudioEditableXBlockMixin, XBlock):
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
    checklist = String(display_name=_("Checklist (rs JSON or YAML)"), default=DEFAULT_CHECKLIST,
                       scope=Scope.settings, multiline_editor=True,
                       help=_("The criteria in the rs checklist format, as JSON or YAML."))

    has_score = True
    icon_class = "problem"
    editable_fields = ("display_name", "submission_kind", "reviews_per_work", "max_points",
                       "grading_policy", "submission_due", "review_start", "review_due", "adjustment_days",
                       "checklist")

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
            "checklist": parse_checklist(self.checklist).to_rs(),
        }

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
        frag.add_javascript(_package_text("static/js/crosscheck.js"))
        try:
            task = self._task()
            init = {"state": api.learner_state(task, viewer.student_id, clock.now()),
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

    @json_api
    def get_state(self, data, suffix=""):
        """The learner's whole state (see README: JSON API)."""
        viewer = compat.current_viewer(self)
        return api.learner_state(self._task(), viewer.student_id, clock.now())

    @json_api
    def submit_work(self, data, suffix=""):
        """Submit or replace the link: `{"url": "https://…"}`."""
        viewer = compat.current_viewer(self)
        task = self._task()
        api.submit_work(task, viewer.student_id, data.get("url"), clock.now(), username=viewer.username)
        return api.learner_state(task, viewer.student_id, clock.now())

    @json_api
    def submit_review(self, data, suffix=""):
        """Submit a review: `{"review_id", "items": {item_id: value}, "comment"}`."""
        viewer = compat.current_viewer(self)
        task = self._task()
        api.submit_review(task, viewer.student_id, data.get("review_id"), data.get("items"),
                          data.get("comment", ""), clock.now())
        return api.learner_state(task, viewer.student_id, clock.now())

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

    # ------------------------------------------------------------------ Studio

    def studio_view(self, context=None):
        """The settings editor (xblock.utils' StudioEditable form), usable in the workbench too."""
        frag = super().studio_view(context)
        frag.add_javascript(_package_text("static/js/studio_edit_shim.js"))
        return frag

    def validate_field_data(self, validation, data):
        """Refuse an invalid checklist, an unknown kind or policy, or dates out of order."""
        from xblock.validation import ValidationMessage  # pylint: disable=import-outside-toplevel

        def error(text):
            validation.add(ValidationMessage(ValidationMessage.ERROR, str(text)))

        try:
            parse_checklist(data.checklist)
        except ChecklistError as err:
            error(f"Checklist: {err}")
        if data.submission_kind not in links.KINDS:
            error(f"Unknown submission kind {data.submission_kind!r}.")
        if data.grading_policy not in POLICIES:
            error(f"Unknown grading policy {data.grading_policy!r}.")
        if not 1 <= (data.reviews_per_work or 0) <= 10:
            error("Reviews per work must be between 1 and 10.")
        if (data.max_points or 0) < 1:
            error("The maximum score must be at least 1.")
        dates = []
        for name in ("submission_due", "review_start", "review_due"):
            try:
                dates.append(schedule.parse_datetime(getattr(data, name)))
            except ValueError:
                error(f"{name}: not an ISO 8601 date-time.")
                dates.append(None)
        given = [d for d in dates if d is not None]
        if given != sorted(given):
            error("Dates must come in order: submission deadline ≤ cross-check start ≤ cross-check end.")

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """A demo with a dozen learners who submitted (loaded by `make workbench`) and an empty task."""
        return [
            (DEMO_SCENARIO, '<crosscheck display_name="Portfolio cross-check (demo)" '
                            'submission_kind="deploy" reviews_per_work="4"/>'),
            (EMPTY_SCENARIO, '<crosscheck display_name="A fresh cross-check" submission_kind="any" '
                             'reviews_per_work="3" max_score="100" grading_policy="mean"/>'),
        ]
