"""The cross-check XBlock: fields, views and thin JSON handlers.

Each handler is a few lines: `json_api` has parsed the body and checked who may call it, the
handler calls one service, and the answer goes back as JSON. Business rules live in `services`
and in the pure modules, so Celery tasks and commands share them.
"""
import os
from importlib import resources

from django.utils.translation import gettext_lazy as _
from webob import Response
from xblock.core import XBlock
from xblock.fields import Date, Float, Integer, Scope, String
from xblock.validation import ValidationMessage

from . import clock, compat, downloads, i18n, links, pages, preview, schedule, services, studio, tasks
from .checklist import ChecklistError, parse_checklist
from .errors import BadRequest, Conflict, CrossCheckError, NotAllowed
from .handlers import (
    EDITOR,
    LEARNER_READ,
    LEARNER_WRITE,
    MASQUERADE_REFUSAL,
    STAFF_READ,
    STAFF_WRITE,
    Call,
    check_access,
    json_api,
    json_response,
    json_script_tag,
    translated,
)
from .i18n import N_, Text, gettext
from .olx import OlxMixin
from .scoring import DEFAULT_POLICY, POLICIES
from .services.task_settings import number

DEFAULT_CHECKLIST = pages.package_text("demo/portfolio-checklist.json")
# The learner page's scripts, in load order (common.js first: the others use it).
LEARNER_JS = ("common.js", "staff_analytics.js", "form.js", "community.js", "appeals.js", "threads.js",
              "reviewer_rating.js", "extras.js", "calibration.js", "best_works.js", "notices.js",
              "overview.js", "crosscheck.js")
# The workbench's scenario names (they also identify the scenarios; the LMS never shows them).
DEMO_SCENARIO = "Cross-check: demo (12 learners submitted)"  # i18n: code
EMPTY_SCENARIO = "Cross-check: from scratch"  # i18n: code
RUNNING_SCENARIO = "Cross-check: demo under review (conversations, thanks, a complaint)"  # i18n: code
GRADED_SCENARIO = "Cross-check: demo graded (a finished task)"  # i18n: code
# Test scenarios (CROSSCHECK_TEST_SCENARIOS=1), found by these names: each browser test has its own task.
BEST_WORKS_TEST_SCENARIO = "Cross-check: best works test"  # i18n: code
COMMUNITY_TEST_SCENARIO = "Cross-check: community re-check test"  # i18n: code
NOTICES_TEST_SCENARIO = "Cross-check: notices test"  # i18n: code
CALIBRATION_TEST_SCENARIO = "Cross-check: calibration test"  # i18n: code


def _csv_response(kind: str, pieces) -> Response:
    """The CSV download answered by the handler itself (where no download link can be made): a
    generator as its body, though the runtime's handler view reads it whole (downloads.py)."""
    response = Response(app_iter=(piece.encode("utf-8") for piece in pieces), content_type="text/csv",
                        charset="utf8")
    response.headers.update(downloads.headers(kind))
    return response


def _selection(text: str) -> list[int]:
    """`work_ids=3,7,12` of an export: the selected work ids (400 bad_work for anything else)."""
    parts = text.split(",")
    if len(parts) > 10_000 or not all(part.isascii() and part.isdigit() and len(part) < 19 for part in parts):
        raise BadRequest(gettext("`work_ids` must be work ids separated by commas."), "bad_work")
    return [int(part) for part in parts]


@XBlock.needs("user")
@XBlock.wants("i18n")
class CrossCheckXBlock(OlxMixin, XBlock):
    """Peer cross-check: submit a link, review k peers by checklist, get a grade."""

    # OEP-58: the name the platform's compiled JS catalog of this block is published under; the
    # one shipped in the package (pages.javascript_catalog) defines the same.
    i18n_js_namespace = "CrossCheckI18N"

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
    submission_start = String(display_name=_("Submission start (ISO 8601, UTC)"), default="",
                              scope=Scope.settings,
                              help=_("Before it the task is not open and nothing can be submitted; empty: open "
                                     "from publishing. Learners are notified when it opens."))
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
        display_name=_("Outlier threshold (percent of the maximum)"), default=15.0, scope=Scope.settings,
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
    comment_rule = String(
        display_name=_("Comments required"), default="deducted", scope=Scope.settings,
        values=[{"value": "none", "display_name": "none: no comments required"},
                {"value": "deducted", "display_name": "deducted: a comment on every item that lost points"},
                {"value": "overall", "display_name": "overall: an overall comment when points were lost"}],
        help=_("Which comments a review needs before it can be submitted; drafts are never refused."))
    comment_min_chars = Integer(
        display_name=_("Minimum comment length (characters)"), default=10, scope=Scope.settings,
        values={"min": 1, "max": 1000},
        help=_("How many characters, not counting spaces at the ends, a required comment must have."))
    extra_lease_hours = Integer(
        display_name=_("Extra review lease (hours)"), default=4, scope=Scope.settings,
        values={"min": 1, "max": 72},
        help=_("A learner who takes an extra review (a work that lacks reviews) has this many hours to "
               "submit it; then the work returns to the pool."))
    extra_reviews_limit = Integer(
        display_name=_("Extra reviews per learner"), default=2, scope=Scope.settings,
        values={"min": 0, "max": 20},
        help=_("How many extra reviews one learner may take in this task; 0 turns extra reviews off."))
    extra_window_hours = Integer(
        display_name=_("Extra reviews only, before the end (hours)"), default=0, scope=Scope.settings,
        values={"min": 0, "max": 72},
        help=_("The assigned reviews are due this many hours before the cross-check end; in those last "
               "hours only extra reviews are taken, for works still short of reviews. 0: assigned "
               "reviews are due at the end."))
    calibration_works = Integer(
        display_name=_("Calibration set (works staff grade)"), default=0, scope=Scope.settings,
        values={"min": 0, "max": 10},
        help=_("At the start the block picks this many works, spread over the reviewers, for course staff "
               "to grade with the checklist; their grades calibrate the peers' grades. 0: no calibration set."))
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

    @classmethod
    def open_local_resource(cls, uri):
        """The files the runtime serves at `local_resource_url`: the pages' stylesheets and
        scripts (pages.SERVED, `static/`), and what XBlock serves by default (`public/`)."""
        name = uri.decode("utf-8") if isinstance(uri, bytes) else uri
        if pages.SERVED.fullmatch(name):
            return resources.files("crosscheck_xblock").joinpath(name).open("rb")
        return super().open_local_resource(uri)

    def task_config(self) -> dict:
        """The settings copy background jobs read (services.sync_task); raises ChecklistError
        if the checklist is invalid."""
        return {
            "display_name": self.display_name,
            "submission_kind": self.submission_kind,
            "reviews_per_work": self.reviews_per_work,
            "max_score": self.max_points,
            "grading_policy": self.grading_policy,
            "submission_start": self.submission_start,
            "submission_due": self.submission_due,
            "review_start": self.review_start,
            "review_due": self.review_due,
            # NaN and infinities (possible from hand-written OLX; Studio refuses them) go into the
            # copy as None, "the default": a JSON column cannot store them.
            "adjustment_days": number(self.adjustment_days),
            "outlier_threshold": None if number(self.outlier_threshold) is None else self.outlier_threshold / 100,
            "warning_rule": self.warning_rule,
            "aggregation": self.aggregation,
            "appeal_days": number(self.appeal_days),
            "comment_rule": self.comment_rule,
            "comment_min_chars": self.comment_min_chars,
            "extra_lease_hours": self.extra_lease_hours,
            "extra_reviews_limit": self.extra_reviews_limit,
            "extra_window_hours": self.extra_window_hours,
            "calibration_works": self.calibration_works,
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

    def live_task(self) -> services.TaskRef:
        """The block's task, its settings copy refreshed from this block's settings.

        Only for the published block (the LMS, the workbench, the publish hook): Studio and its
        preview never call it (handlers refuse there first, and they render a static preview).
        """
        try:
            config = self.task_config()
        except ChecklistError as err:
            raise Conflict(Text(N_("The task's checklist is invalid, so the cross-check cannot run: %(error)s "
                                   "Course staff must correct it in Studio."), {"error": str(err)}).render(),
                           "misconfigured") from err
        return services.sync_task(compat.usage_key(self), compat.course_id(self), config)

    # ------------------------------------------------------------------ views

    def student_view(self, _context=None):
        """The learner's page; course staff also get the progress panel and the start/complete
        buttons. In Studio and its preview: the static preview (nothing touches the live task)."""
        if compat.in_author_mode(self):
            return self.author_view()
        with translated(self):
            return self._learner_page()

    def _learner_page(self):
        viewer = compat.current_viewer(self)
        now = clock.now()
        frag = pages.fragment(self, "crosscheck.css", LEARNER_JS)
        init = {"is_staff": viewer.is_staff, "signed_in": bool(viewer.student_id), "language": i18n.language(),
                "studio_url": compat.studio_url(self) if viewer.is_staff else None,
                "read_only": gettext(MASQUERADE_REFUSAL) if viewer.masquerading else None,
                # The course overview (S4) comes from its own handler when the page has loaded,
                # so the page's state costs no query more; this is its course-level page.
                "course_page_url": compat.course_page_url(compat.course_id(self), viewer)}
        try:
            # Runs a step whose time has come (distribution, grading) if no worker did yet.
            task = services.run_due_transitions(self.live_task(), now)
            tasks.deliver_if_eager()  # the workbench: notices left unsent are retried on a page view
            # The notices (and the Telegram part beside them) come from get_notices once the page
            # has rendered: their queries are a fifth of the page's (issue 15).
            init["state"] = self._state_for(task, viewer, now, with_notices=False)
        except CrossCheckError as err:
            init["error"] = err.message
        # The state holds learner-written text, so it travels in an escaped JSON script element,
        # not in the runtime's json_init_args (which the runtimes write into the page unescaped).
        frag.add_content(pages.render_template("crosscheck.html").replace(
            "<!--INIT-->", json_script_tag(init, "cc-init")))
        frag.initialize_js("CrossCheckBlock")
        return frag

    def author_view(self, _context=None):
        """Studio's view of the block: a static preview of the learner's form and the settings,
        from the block's (draft) settings. No database reads or writes."""
        with translated(self):
            return preview.preview_fragment(self)

    # ------------------------------------------------------------------ learner handlers

    def _state_for(self, task, viewer, now, with_notices: bool = True) -> dict:
        """The learner's state, with the notices' dates in their time zone and the Telegram link;
        without `with_notices`, those three are None (the page asks `get_notices` for them)."""
        state = services.learner_state(task, viewer.student_id, now)
        state.update(self._notices_part(task, viewer, now) if with_notices
                     else dict.fromkeys(("notices", "time_zone", "time_zone_reported", "telegram")))
        return state

    def _notices_part(self, task, viewer, now) -> dict:
        """`{"notices", "time_zone", "time_zone_reported", "telegram"}`: the notices in the reader's
        zone ("" = UTC), the browser's zone as last reported (the page reports it again when the
        browser's differs), and the Telegram part."""
        user_key = compat.site_user_key(self)
        part = services.learner_notices(task, viewer.student_id, user_key)
        part["telegram"] = services.telegram_part(user_key, i18n.language(), not viewer.masquerading, now)
        return part

    @staticmethod
    def _state(call: Call) -> dict:
        return call.block._state_for(call.task, call.viewer, call.now)

    @json_api(LEARNER_READ)
    def get_state(self, call, _data):
        """The learner's whole state (see README: JSON API)."""
        call.task = services.run_due_transitions(call.task, call.now)
        tasks.deliver_if_eager()  # the workbench: notices left unsent are retried on a page view
        return self._state(call)

    @json_api(LEARNER_READ)
    def get_notices(self, call, _data):
        """The notices part of the state, which the page loads once it has rendered (issue 15: the
        page embeds the rest): `{}` → `{"notices", "time_zone", "time_zone_reported", "telegram"}`."""
        return self._notices_part(call.task, call.viewer, call.now)

    @json_api(LEARNER_READ)
    def course_overview(self, call, _data):
        """Every cross-check of the block's course for the caller, newest first (S4; see README:
        Course overview): `{}` → `{"tasks": [...]}`."""
        task, viewer = call.task, call.viewer
        return services.course_overview(task.course_id, viewer.student_id, call.now,
                                        unit_url=lambda usage_key: compat.unit_url(usage_key, task.course_id, viewer))

    @json_api(LEARNER_WRITE)
    def submit_work(self, call, data):
        """Submit or replace the link: `{"url": "https://…", "confirm_late": true}` (the flag only after
        the deadline: the learner accepts that a late change forfeits the appeal)."""
        services.submit_work(call.task, call.viewer.student_id, data.get("url"), call.now,
                             username=call.viewer.username, confirm_late=data.get("confirm_late") is True)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def submit_review(self, call, data):
        """Submit a review: `{"review_id", "items", "item_comments", "comment", "best_work"}`."""
        services.submit_review(call.task, call.viewer.student_id, data.get("review_id"), data, call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def submit_self_check(self, call, data):
        """Submit the self-check of one's own work: `{"items", "item_comments", "comment"}`."""
        services.submit_self_check(call.task, call.viewer.student_id, data, call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def save_draft(self, call, data):
        """Keep an unsent form: `{"form": <review_id> | "self", "data": {...}}`."""
        saved_at = services.save_draft(call.task, call.viewer.student_id, data.get("form"), data.get("data"),
                                       call.now)
        return {"saved_at": saved_at}

    @json_api(LEARNER_WRITE)
    def submit_appeal(self, call, data):
        """Appeal the grade: `{"reason": text, "items": [item id, …]}` naming the disputed items (A4, F4)."""
        services.submit_appeal(call.task, call.viewer.student_id, data.get("reason"), data.get("items"), call.now)
        return self._state(call)

    # ------------------------------------------------------------------ conversations (M1–M5)

    def _sender(self, call: Call, email: bool = False) -> services.Sender:
        viewer = call.viewer
        return services.Sender(student_id=viewer.student_id, username=viewer.username,
                               email=compat.current_email(self) if email else "",
                               is_staff=viewer.is_staff, read_only=viewer.masquerading)

    @json_api(LEARNER_READ)
    def get_thread(self, call, data):
        """The conversation about one review: `{"thread": id}` → messages, notice, can_post, phrases."""
        return services.get_thread(call.task, self._sender(call), data.get("thread"), call.now)

    @json_api(LEARNER_WRITE)
    def post_message(self, call, data):
        """Post to a conversation: `{"thread", "text", "phrase": null | {"id", "items"}}` → the thread.
        Learners post on their own threads, course staff on any (as "Course staff")."""
        return services.post_message(call.task, self._sender(call, email=True), data.get("thread"),
                                     data.get("text"), data.get("phrase"), call.now)

    @json_api(LEARNER_WRITE)
    def cast_votes(self, call, data):
        """Vote on the best works: `{"work_ids": [...]}` (replaces earlier votes) → the new state (B4)."""
        services.cast_votes(call.task, call.viewer.student_id, data.get("work_ids"), call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def take_extra_review(self, call, _data):
        """Take one more work that lacks reviews (D4): `{}` → the new state, the work in `reviews`
        with `"extra": true` and its `expires_at`."""
        services.take_extra_review(call.task, call.viewer.student_id, call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def submit_community_recheck(self, call, data):
        """A top reviewer's re-check of an appealed work: `{"id", "items", "item_comments", "comment"}` (B4)."""
        services.submit_community_recheck(call.task, call.viewer.student_id, data.get("id"), data, call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def withdraw_from_gallery(self, call, _data):
        """The author takes their work out of the best works gallery → the new state (B3)."""
        services.withdraw_from_gallery(call.task, call.viewer.student_id, call.now)
        return self._state(call)

    @json_api(LEARNER_WRITE)
    def rate_review(self, call, data):
        """The author thanks the reviewer for a comment or complains about deductions (F1–F4):
        `{"thread", "kind": "thanks" | "complaint", "for": "comment" | <item id>, "items", "note"}`
        → the thread."""
        return services.rate_review(call.task, self._sender(call, email=True), data.get("thread"), data, call.now)

    # ------------------------------------------------------------------ notices (issue 14)

    @json_api(LEARNER_WRITE)
    def mark_notices_read(self, call, data):
        """Mark the caller's own notices read: `{"ids": [notice id, …]}` → `{"marked", "notices"}`."""
        return services.mark_notices_read(call.task, call.viewer.student_id, data.get("ids"), call.now,
                                          time_zone=services.reader_zone(compat.site_user_key(self)))

    @json_api(LEARNER_WRITE)
    def telegram_unlink(self, call, _data):
        """"Disconnect Telegram": forget the caller's linked chat (site-wide) → `{"unlinked", "telegram"}`."""
        user_key = compat.site_user_key(self)
        unlinked = services.unlink(user_key)
        return {"unlinked": unlinked,
                "telegram": services.telegram_part(user_key, i18n.language(), not call.viewer.masquerading, call.now)}

    @json_api(LEARNER_READ)
    def notification_settings(self, call, data):
        """The caller's notification settings, site-wide: `{"telegram": {"<kind>": bool, …}}` changes
        them, `{}` reads them → `{"telegram", "telegram_enabled", "kinds"}`."""
        if call.viewer.masquerading and data:
            raise NotAllowed(gettext(MASQUERADE_REFUSAL), "masquerade")
        return services.notification_settings(call.task, compat.site_user_key(self), data, call.now)

    # ------------------------------------------------------------------ staff handlers

    @json_api(STAFF_READ)
    def staff_threads(self, call, _data):
        """Every open conversation of the task with both usernames, for course staff."""
        return services.staff_threads(call.task, call.now)

    @json_api(STAFF_READ)
    def staff_overview(self, call, data):
        """Progress of the learners, for course staff: one page of the table, `{"page", "per_page",
        "sort", "order", "search"}` (each optional; the first 50 by submission time) → the totals,
        the page's `learners` and `page`, `pages`, `total` (rows matching the search)."""
        return services.staff_overview(call.task, call.now, data)

    @json_api(STAFF_WRITE)
    def staff_start(self, call, _data):
        """Distribute the works now (the same code the scheduled start runs)."""
        result = services.start_cross_check(call.task, call.now)
        return {"result": result, "overview": services.staff_overview(self.live_task(), call.now)}

    @json_api(STAFF_WRITE)
    def staff_complete(self, call, _data):
        """Compute and write the grades now (the same code the scheduled end runs); the writes
        go to the Celery workers in chunks (eagerly in the workbench)."""
        result = services.complete_cross_check(call.task, call.now, fan_out=True)
        return {"result": result, "overview": services.staff_overview(self.live_task(), call.now)}

    @json_api(STAFF_READ)
    def staff_analytics(self, call, data):
        """Agreement, the two warning rules and the grade distribution of the task, for course staff,
        with one page of its works' table: `{"page", "per_page", "sort", "order", "search"}` (each
        optional; the 50 works with the largest spread first)."""
        return services.task_analytics(call.task, call.now, data)

    @json_api(STAFF_READ)
    def staff_appeals(self, call, _data):
        """Appeals (waiting ones by spread, then settled ones) and works to re-check, for course staff."""
        return services.staff_appeals(call.task, call.now)

    @json_api(STAFF_WRITE)
    def staff_recheck(self, call, data):
        """Re-check a work: `{"work_id", "items", "item_comments", "comment"}`; replaces its grade (A4)."""
        result = services.staff_recheck(call.task, data.get("work_id"), data,
                                        call.viewer.username or "staff", call.now)
        return {"result": result, "appeals": services.staff_appeals(call.task, call.now)}

    @json_api(STAFF_READ)
    def staff_calibration(self, call, _data):
        """The calibration set: its works, staff's grades of them, the offset they show (issue 16)."""
        return services.staff_calibration(call.task, call.now)

    @json_api(STAFF_WRITE)
    def staff_grade_calibration(self, call, data):
        """Grade a calibration work: `{"work_id", "items", "item_comments", "comment"}` → the set."""
        return services.staff_grade_calibration(call.task, data.get("work_id"), data,
                                                call.viewer.username or "staff", call.now)

    @json_api(STAFF_WRITE)
    def staff_recompute(self, call, data):
        """Grades again with every staff anchor: `{"apply": false}` previews, `true` applies (issue 16)."""
        return services.staff_recompute(call.task, data.get("apply", False), call.viewer.username or "staff",
                                        call.now)

    @json_api(STAFF_READ)
    def staff_best_works(self, call, _data):
        """The best works page: works marked best or added by hand, the others, the log (B1, B2)."""
        return services.staff_best_works(call.task, call.now)

    @json_api(STAFF_WRITE)
    def staff_best_works_edit(self, call, data):
        """`{"add", "remove", "restore", "gallery_add", "gallery_remove"}` (work ids) → the page."""
        return services.staff_best_works_edit(call.task, data, call.viewer.username or "staff", call.now)

    @json_api(STAFF_WRITE)
    def staff_open_vote(self, call, data):
        """Open the vote among the top reviewers: `{"closes_at", "votes_per_voter", "eligible": {"top": N} |
        {"top_percent": P}}` → the best works page (B4)."""
        return services.staff_open_vote(call.task, data, call.viewer.username or "staff", call.now)

    @json_api(STAFF_READ)
    def staff_top_reviewers(self, call, _data):
        """The course's best reviewers by rating, to ask for a community re-check (B4)."""
        return {"reviewers": services.top_reviewers(call.task, call.now)}

    @json_api(STAFF_WRITE)
    def staff_request_community_recheck(self, call, data):
        """Ask top reviewers to re-check an appealed work: `{"work_id", "reviewers": [ids]}` (B4)."""
        result = services.staff_request_community_recheck(call.task, data.get("work_id"), data.get("reviewers"),
                                                          call.viewer.username or "staff", call.now)
        return {"result": result, "appeals": services.staff_appeals(call.task, call.now)}

    @json_api(STAFF_WRITE)
    def staff_best_works_thank(self, call, data):
        """Thank the selected works' authors: `{"work_ids", "note"}` → `{"thanked", "already"}` (B3)."""
        return services.staff_best_works_thank(call.task, data.get("work_ids"), data.get("note"),
                                               call.viewer.username or "staff", call.now)

    @json_api(STAFF_WRITE)
    def staff_settle_complaint(self, call, data):
        """Settle a complaint: `{"complaint": id, "verdict": "upheld" | "rejected", "comment"}` (F4)."""
        result = services.staff_settle_complaint(call.task, data.get("complaint"), data.get("verdict"),
                                                 data.get("comment"), call.viewer.username or "staff", call.now)
        return {"result": result, "appeals": services.staff_appeals(call.task, call.now)}

    # ------------------------------------------------------------------ the reviewer rating (F3)

    @json_api(LEARNER_READ)
    def get_reviewer_rating(self, call, _data):
        """The caller's own rating as a reviewer over the course's cross-checks, its parts and what moves it."""
        return services.learner_rating(call.task, call.viewer.student_id, call.now)

    @json_api(STAFF_READ)
    def staff_reviewer_ratings(self, call, _data):
        """Every learner of the course as a reviewer (rating, parts, per block), and the formula, for course staff."""
        return {"ratings": services.course_ratings(call.task, call.now), "formula": gettext(services.RATING_FORMULA)}

    @XBlock.handler
    def staff_export(self, request, suffix=""):  # noqa: ARG002 - the runtime passes suffix
        """`GET ?kind=grades|reviews|best_works|reviewer_ratings`: the task (or its course's reviewer
        ratings) as a CSV download, for course staff; its header row in the reader's language, or
        with `&header=keys` the stable column names (for scripts). Checked here, then `302 Found` to
        a signed, short-lived link of the plugin's view that streams the CSV (downloads.py)."""
        with translated(self):
            return self._export(request)

    def _export(self, request) -> Response:
        try:
            call = check_access(self, STAFF_READ)
            kind = request.GET.get("kind", "")
            if kind not in downloads.KINDS:
                raise BadRequest(gettext("Say which export: kind=grades, kind=reviews, kind=best_works or "
                                         "kind=reviewer_ratings."), "bad_kind")
            # `work_ids` is the name; `works` the one the first page used (kept for links).
            selected = request.GET.get("work_ids") or request.GET.get("works")
            selection = _selection(selected) if kind == "best_works" and selected else None
            task = call.task  # the settings copy synced now: the link's view reads the task row
            wanted = downloads.request_of(task.usage_key, kind, request.GET.get("header") == "keys", selection,
                                          i18n.language(), compat.site_user_key(self))
            location = downloads.link(wanted, call.viewer.link_query)
            if location is None:  # no plugin URLs here, or a link too long: the CSV itself
                return _csv_response(kind, downloads.pieces(task, wanted, call.now))
        except CrossCheckError as err:
            return json_response(err.as_json(), err.status)
        response = Response(status=302, location=location)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    # ------------------------------------------------------------------ Studio

    def studio_view(self, _context=None):
        """The Studio editor: the checklist item by item, the settings and a live preview (studio.py)."""
        with translated(self):
            return studio.editor_fragment(self)

    @json_api(EDITOR)
    def studio_submit(self, _call, data):
        """Save settings: `{"values": {<OLX name>: value, …}}` → `{"saved": true, "values"}`; all or nothing.

        Course staff in the LMS and the workbench; in Studio (author mode) Studio's own check of
        the user's write access to the course guards it. Anyone else gets 403 staff_only.
        """
        return studio.submit(self, data)

    @json_api(EDITOR)
    def studio_preview(self, _call, data):
        """The learner's form for a checklist text: `{"checklist", "max_score"}` → items, totals, error."""
        return studio.preview(data.get("checklist"), data.get("max_score"))

    def validate(self):
        """Studio shows these messages on the unit page, e.g. for settings imported from bad OLX."""
        validation = super().validate()
        with translated(self):
            self.validate_field_data(validation, self)
        return validation

    def validate_field_data(self, validation, data):
        """Add an error for every invalid setting of `data` (the block, or anything with its fields)."""
        values = {olx: getattr(data, python) for olx, python in studio.FIELDS.items()}
        for problem in studio.problems(values):
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """A demo with a dozen learners who submitted, an empty task, a demo under review with
        conversations, thanks and a complaint, and a finished demo with grades (all but the empty
        one loaded by `make workbench`): one course, so the course overview shows them together.

        With CROSSCHECK_TEST_SCENARIOS=1 (set by the browser tests) more small tasks are added (one
        with a maximum below its checklist's total; one for a run in Russian; one each for the
        conversations, the best works and the community re-checks; two for the course overview), so
        tests do not disturb the others.
        """
        scenarios = [
            (DEMO_SCENARIO, '<crosscheck display_name="Portfolio cross-check (demo)" '
                            'submission_kind="deploy" reviews_per_work="4"/>'),
            (EMPTY_SCENARIO, '<crosscheck display_name="A fresh cross-check" submission_kind="any" '
                             'reviews_per_work="3" max_score="100" grading_policy="mean"/>'),
            (RUNNING_SCENARIO, '<crosscheck display_name="Landing page cross-check (demo under review)" '
                               'submission_kind="any" reviews_per_work="3" max_score="100"/>'),
        ]
        if os.environ.get("CROSSCHECK_TEST_SCENARIOS"):
            scenarios.append(("Cross-check: browser test task",  # i18n: code
                              '<crosscheck display_name="Review form test" reviews_per_work="2" '
                              'max_score="60"/>'))
            scenarios.append(("Cross-check: a Russian run",  # i18n: code
                              '<crosscheck display_name="Кросс-чек портфолио" submission_kind="any" '
                              'reviews_per_work="2" max_score="100" grading_policy="mean"/>'))
            scenarios.append(("Cross-check: conversation test",  # i18n: code
                              '<crosscheck display_name="Conversation test" reviews_per_work="2" '
                              'max_score="100"/>'))
            scenarios.append(("Cross-check: extra review test",  # i18n: code
                              '<crosscheck display_name="Extra review test" reviews_per_work="2" '
                              'max_score="100" grading_policy="mean"/>'))
            scenarios.append((BEST_WORKS_TEST_SCENARIO,
                              '<crosscheck display_name="Best works test" submission_kind="any" '
                              'reviews_per_work="2" max_score="100"/>'))
            scenarios.append((COMMUNITY_TEST_SCENARIO,
                              '<crosscheck display_name="Community re-check test" submission_kind="any" '
                              'reviews_per_work="2" max_score="100"/>'))
            scenarios.append((CALIBRATION_TEST_SCENARIO,
                              '<crosscheck display_name="Calibration test" submission_kind="any" '
                              'reviews_per_work="2" max_score="100" grading_policy="mean" calibration_works="2" '
                              'aggregation="per_item"/>'))
            scenarios.append((NOTICES_TEST_SCENARIO,
                              '<crosscheck display_name="Notices test" submission_kind="any" '
                              'reviews_per_work="2" max_score="100"/>'))
            # The course overview's test: a task open for submission (its deadline far ahead, so
            # the countdown shows) and one its learners start themselves.
            scenarios.append(("Cross-check: overview test, open",  # i18n: code
                              '<crosscheck display_name="Overview test: open task" reviews_per_work="2" '
                              'submission_due="2099-12-31T18:00:00Z"/>'))
            scenarios.append(("Cross-check: overview test, review",  # i18n: code
                              '<crosscheck display_name="Overview test: under review" reviews_per_work="2"/>'))
        # Last, so that the test scenarios above keep their numbers (crosscheck.3 …).
        scenarios.append((GRADED_SCENARIO, '<crosscheck display_name="Personal page cross-check (demo, graded)" '
                                           'submission_kind="any" reviews_per_work="3" max_score="100"/>'))
        return scenarios
