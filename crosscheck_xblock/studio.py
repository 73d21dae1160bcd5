"""Studio editor support: the editor's values ⇄ block fields, their validation, and the preview.

The block's Studio handlers (`studio_submit`, `studio_preview`) and its `studio_view` are thin
wrappers around the functions here. Values travel under their OLX attribute names (`max_score`,
not the Python field `max_points`), so the editor, the JSON API and OLX speak the same language.

Validation runs on every value before anything is written: a save is all or nothing.
"""

from web_fragments.fragment import Fragment

from . import compat, i18n, links, pages, schedule, services
from .checklist import MAX_CRITERIA, MAX_FILE_BYTES, Checklist, ChecklistError, parse_checklist, points_text
from .checklist import short_repr as _shown
from .errors import BadRequest
from .handlers import json_script_tag
from .i18n import N_, Text, gettext, plural_text
from .sanitize import inline_html
from .scoring import POLICIES
from .services.task_settings import (
    AGGREGATIONS,
    CHOICE_LABELS,
    COMMENT_RULE_LABELS,
    COMMENT_RULES,
    RANGES,
    WARNING_RULES,
    number,
    whole_number,
)

# OLX attribute name → Python field name, in the order the editor shows them.
FIELDS = {
    "display_name": "display_name",
    "submission_kind": "submission_kind",
    "max_score": "max_points",
    "reviews_per_work": "reviews_per_work",
    "grading_policy": "grading_policy",
    "submission_start": "submission_start",
    "submission_due": "submission_due",
    "review_start": "review_start",
    "review_due": "review_due",
    "adjustment_days": "adjustment_days",
    "outlier_threshold": "outlier_threshold",
    "warning_rule": "warning_rule",
    "aggregation": "aggregation",
    "appeal_days": "appeal_days",
    "comment_rule": "comment_rule",
    "comment_min_chars": "comment_min_chars",
    "extra_lease_hours": "extra_lease_hours",
    "extra_reviews_limit": "extra_reviews_limit",
    "extra_window_hours": "extra_window_hours",
    "calibration_works": "calibration_works",
    "checklist": "checklist",
}
DATE_FIELDS = ("submission_due", "review_start", "review_due")
# Inclusive ranges (services/task_settings.py: the same ones the settings copy is read with);
# the editor's inputs carry the same bounds as min/max attributes.
INT_RANGES = {name: RANGES[name] for name in ("reviews_per_work", "max_score", "comment_min_chars",
                                              "extra_lease_hours", "extra_reviews_limit", "extra_window_hours",
                                              "calibration_works")}
DAY_RANGES = {name: RANGES[name] for name in ("adjustment_days", "appeal_days")}
THRESHOLD_RANGE = RANGES["outlier_threshold"]  # percent of the maximum score
MAX_DISPLAY_NAME = 255
# The tables below hold English msgids: they are worded where they are shown, per request.
LABELS = {
    "display_name": N_("Display name"),
    "submission_kind": N_("What learners submit"),
    "max_score": N_("Maximum score"),
    "reviews_per_work": N_("Reviews per work"),
    "grading_policy": N_("Grading policy"),
    "submission_start": N_("Submission start"),
    "submission_due": N_("Submission deadline"),
    "review_start": N_("Cross-check start"),
    "review_due": N_("Cross-check end"),
    "adjustment_days": N_("Adjustment period"),
    "outlier_threshold": N_("Outlier threshold"),
    "warning_rule": N_("Warning rule"),
    "aggregation": N_("Aggregation"),
    "appeal_days": N_("Appeal window"),
    "comment_rule": N_("Comments required"),
    "comment_min_chars": N_("Minimum comment length"),
    "extra_lease_hours": N_("Extra review lease"),
    "extra_reviews_limit": N_("Extra reviews per learner"),
    "extra_window_hours": N_("Extra reviews only, before the end"),
    "calibration_works": N_("Calibration set"),
    "checklist": N_("Checklist"),
}
KIND_LABELS = {"pull_request": N_("Pull request"), "deploy": N_("Deployed site"), "any": N_("Any link")}
STARTED_WARNING = N_("The cross-check has started: the changed checklist applies to reviews submitted "
                     "from now on; submitted reviews keep the version they were made with.")


def _refused(message: Text | str, code: str, field: str = "", position: int | None = None,
             item_text: str = "") -> BadRequest:
    """A refused edit, naming the field (and for a checklist, the item and its text) it concerns.
    A Text is worded now, in the request's language (the editor's handlers run inside it); a str
    is a sentence already worded."""
    return BadRequest(i18n.render(message), code, field=field or None, position=position,
                      item_text=item_text if position is not None else None)


def _label(name: str) -> Text:
    """The editor's label of a setting, worded when the sentence it is in is."""
    return Text(LABELS[name])


# ---------------------------------------------------------------- values and their validation

def current_values(block) -> dict:
    """The block's settings under their OLX names (the shape `studio_submit` takes and answers)."""
    return {olx: getattr(block, python) for olx, python in FIELDS.items()}


def clean_values(values: object, current: dict) -> dict:
    """Validate an edit: `values` (some or all OLX names) merged over `current`.

    Returns every field's clean value, the dates filled in by the T1 rule and formatted as
    ISO 8601 UTC. Raises BadRequest (naming the field) on the first problem; nothing has been written by then.
    """
    if not isinstance(values, dict):
        raise _refused(Text(N_('The request needs "values": an object of settings by their OLX names.')),
                       "bad_values")
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise _refused(Text(N_("Unknown setting %(name)s; the settings are: %(names)s."),
                            {"name": _shown(unknown[0]), "names": ", ".join(FIELDS)}),
                       "unknown_field", field=str(unknown[0])[:100])
    merged = {**current, **values}
    clean = {name: CLEANERS[name](name, merged[name]) for name in FIELDS}
    clean.update(_resolve_dates(clean))
    return clean


def problems(values: dict) -> list[str]:
    """Every problem of a block's settings as sentences (for Studio's validation messages)."""
    found, clean = [], {}
    for name in FIELDS:
        try:
            clean[name] = CLEANERS[name](name, values.get(name))
        except BadRequest as err:
            found.append(err.message)
    if all(name in clean for name in DATE_FIELDS):
        try:
            _resolve_dates(clean)
        except BadRequest as err:
            found.append(err.message)
    return found


def _clean_display_name(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _refused(Text(N_("%(label)s: enter a title for learners."), {"label": _label(name)}),
                       "bad_value", name)
    value = value.strip()
    if len(value) > MAX_DISPLAY_NAME:
        raise _refused(plural_text("%(label)s: at most %(n)s character, not %(length)s.",
                                   "%(label)s: at most %(n)s characters, not %(length)s.",
                                   MAX_DISPLAY_NAME, {"label": _label(name), "length": str(len(value))}),
                       "bad_value", name)
    return value


def _clean_int(name: str, value: object) -> int:
    low, high = INT_RANGES[name]
    found = whole_number(value)
    if found is None or not low <= found <= high:
        raise _refused(Text(N_("%(label)s must be a whole number from %(low)s to %(high)s, not %(value)s."),
                            _range(name, low, high, value)), "bad_value", name)
    return found


def _clean_days(name: str, value: object) -> float:
    low, high = DAY_RANGES[name]
    found = number(value)
    if found is None or not low <= found <= high:
        raise _refused(Text(N_("%(label)s must be a number of days from %(low)s to %(high)s, not %(value)s."),
                            _range(name, low, high, value)), "bad_value", name)
    return found


def _clean_threshold(name: str, value: object) -> float:
    """The fixed rule's threshold in percent of the maximum score (stored as typed: 15 is 15 %)."""
    low, high = THRESHOLD_RANGE
    found = number(value)
    if found is None or not low <= found <= high:
        raise _refused(Text(N_("%(label)s must be a percentage of the maximum score from %(low)s to %(high)s, "
                               "not %(value)s."), _range(name, low, high, value)), "bad_value", name)
    return found


def _range(name: str, low, high, value: object) -> dict:
    """The values of a "from … to …, not …" sentence. The bounds as written ("10000": the editor's
    inputs take them so), the refused value as sent."""
    return {"label": _label(name), "low": str(low), "high": str(high), "value": _shown(value)}


# What a choice refusal says, by what is chosen.
UNKNOWN_CHOICE = {
    "choice": N_("%(label)s: unknown choice %(value)s; choose one of %(choices)s."),
    "kind": N_("%(label)s: unknown kind %(value)s; choose one of %(choices)s."),
    "policy": N_("%(label)s: unknown policy %(value)s; choose one of %(choices)s."),
}


def _choice_cleaner(choices: dict, code: str, what: str = "choice"):
    """A cleaner accepting only the keys of `choices`, refusing others with `code`."""
    def clean(name: str, value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            raise _refused(Text(UNKNOWN_CHOICE[what], {"label": _label(name), "value": _shown(value),
                                                       "choices": ", ".join(choices)}), code, name)
        return value
    return clean


_clean_kind = _choice_cleaner(links.KINDS, "unknown_kind", "kind")
_clean_policy = _choice_cleaner(POLICIES, "unknown_policy", "policy")


def _clean_date(name: str, value: object) -> str:
    """"" (not set) or the date-time as ISO 8601 UTC; a value without a zone is read as UTC."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return schedule.format_datetime(schedule.parse_datetime(value))
    except ValueError as err:
        raise _refused(Text(N_("%(label)s: %(value)s is not an ISO 8601 date-time between the years %(min)s "
                               "and %(max)s (e.g. 2026-04-01T12:00:00Z)."),
                            {"label": _label(name), "value": _shown(value), "min": str(schedule.MIN_YEAR),
                             "max": str(schedule.MAX_YEAR)}), "bad_date", name) from err


def _clean_checklist(name: str, value: object) -> str:
    """The checklist text as given, once `parse_checklist` accepts it (1 MB, 500 items, …)."""
    if not isinstance(value, str):
        raise _refused(Text(N_("%(label)s: send the checklist as rs JSON or YAML text."), {"label": _label(name)}),
                       "bad_checklist", name)
    try:
        parse_checklist(value)
    except ChecklistError as err:
        raise _refused(Text(N_("%(label)s: %(problem)s"), {"label": _label(name), "problem": err.text()}),
                       "bad_checklist", name, position=err.position, item_text=err.item_text) from err
    return value


CLEANERS = {
    "display_name": _clean_display_name,
    "submission_kind": _clean_kind,
    "max_score": _clean_int,
    "reviews_per_work": _clean_int,
    "grading_policy": _clean_policy,
    "submission_start": _clean_date,
    "submission_due": _clean_date,
    "review_start": _clean_date,
    "review_due": _clean_date,
    "adjustment_days": _clean_days,
    "outlier_threshold": _clean_threshold,
    "warning_rule": _choice_cleaner(WARNING_RULES, "unknown_warning_rule"),
    "aggregation": _choice_cleaner(AGGREGATIONS, "unknown_aggregation"),
    "appeal_days": _clean_days,
    "comment_rule": _choice_cleaner(COMMENT_RULES, "unknown_comment_rule"),
    "comment_min_chars": _clean_int,
    "extra_lease_hours": _clean_int,
    "extra_reviews_limit": _clean_int,
    "extra_window_hours": _clean_int,
    "calibration_works": _clean_int,
    "checklist": _clean_checklist,
}


def _resolve_dates(clean: dict) -> dict:
    """T1: start = deadline and end = start + 3 days when not given; the order checked."""
    try:
        dates = schedule.resolve_dates(*(schedule.parse_datetime(clean[name]) for name in DATE_FIELDS))
    except ValueError as err:
        # The sentence names the dates concerned; `field` points the editor at the end date,
        # the one staff most often get wrong.
        # schedule words its sentence (str(err)) in the current language.
        raise _refused(str(err), "bad_dates", "review_due") from err
    opens = schedule.parse_datetime(clean.get("submission_start") or None)
    if opens is not None and dates[0] is not None and opens >= dates[0]:
        raise _refused(Text(N_("Submission must open before the submission deadline.")), "bad_dates",
                       "submission_start")
    return {name: schedule.format_datetime(date) for name, date in zip(DATE_FIELDS, dates)}


def save(block, clean: dict) -> None:
    """Write validated values to the block's fields.

    A checklist that means the same as the stored one keeps the stored text, so saving the
    form unchanged does not turn a hand-written YAML checklist into JSON.
    """
    for olx, python in FIELDS.items():
        if olx == "checklist" and _same_checklist(block.checklist, clean[olx]):
            continue
        setattr(block, python, clean[olx])
    block.mirror_due()  # T2: the LMS lists `due`, the submission deadline, in the course dates


def _same_checklist(old_text: str, new_text: str) -> bool:
    if old_text == new_text:
        return True
    try:
        return parse_checklist(old_text) == parse_checklist(new_text)
    except ChecklistError:
        return False


def submit(block, data: dict) -> dict:
    """The `studio_submit` handler: validate `data["values"]`, save all of it or nothing.

    The answer also carries the warning rules' simulated rates for the saved k, threshold and
    maximum, so the editor shows the numbers for what was just saved.
    """
    clean = clean_values(data.get("values"), current_values(block))
    save(block, clean)
    values = current_values(block)
    return {"saved": True, "values": values, "warning_rates": warning_rates(values)}


def warning_rates(values: dict) -> dict | None:
    """Both warning rules' simulated rates for these settings (services.simulated_rates),
    None while k, the threshold or the maximum is invalid."""
    try:
        k = _clean_int("reviews_per_work", values.get("reviews_per_work"))
        max_score = _clean_int("max_score", values.get("max_score"))
        percent = _clean_threshold("outlier_threshold", values.get("outlier_threshold"))
    except BadRequest:
        return None
    return services.simulated_rates(k, percent / 100, max_score)


# ---------------------------------------------------------------- preview

def totals(checklist: Checklist, max_score: int) -> dict:
    """The scored sum against the task's maximum: below it is a warning, above it is capped."""
    scored = checklist.max_total
    penalties = sum(item.max for item in checklist.items if item.type == "penalty")
    # Exact and of any size (a hostile checklist may sum to 10**400), as checklist errors show points.
    shown = {"scored": points_text(scored), "max": points_text(max_score)}
    if scored < max_score:
        status = "below"
        message = Text(N_("The subtasks add up to %(scored)s points, less than the maximum score of "
                          "%(max)s: nobody can get full marks."), shown)
    elif scored > max_score:
        status = "capped"
        message = Text(N_("The subtasks add up to %(scored)s points, more than the maximum score of "
                          "%(max)s: review totals are capped at %(max)s."), shown)
    else:
        status = "equal"
        message = Text(N_("The subtasks add up to the maximum score of %(max)s points."), shown)
    return {"scored": scored, "penalties": penalties, "max_score": max_score,
            "items": len(checklist.items), "status": status, "message": message.render()}


def preview(text: object, max_score: object) -> dict:
    """What learners would see: items with sanitized `html`, the totals, or the checklist's error.

    Always answers (the editor calls it while staff type); an invalid checklist gives `error`
    with the same sentence `studio_submit` would refuse it with.
    """
    max_points = whole_number(max_score)
    low, high = INT_RANGES["max_score"]
    if max_points is None or not low <= max_points <= high:
        max_points = None
    try:
        _clean_checklist("checklist", text)
    except BadRequest as err:
        return {"checklist": None, "totals": None, "error": err.as_json()}
    checklist = parse_checklist(text)
    public = checklist.to_public()
    public["items"] = [{**item, "html": inline_html(item["text"])} for item in public["items"]]
    return {"checklist": public, "error": None,
            "totals": totals(checklist, max_points) if max_points is not None else None}


# ---------------------------------------------------------------- the editor page

def editor_init(block) -> dict:
    """Everything the editor's JS starts from: values, choices, limits, preview, started flag."""
    values = current_values(block)
    return {
        "language": i18n.language(),
        "values": values,
        "preview": preview(values["checklist"], values["max_score"]),
        "kinds": [{"value": kind, "label": gettext(KIND_LABELS.get(kind, kind)), "help": gettext(text)}
                  for kind, text in links.KINDS.items()],
        **{key: [{"value": name, "label": gettext(CHOICE_LABELS[name]), "help": gettext(text)}
                 for name, text in choices.items()]
           for key, choices in (("policies", POLICIES), ("warning_rules", WARNING_RULES),
                                ("aggregations", AGGREGATIONS))},
        "comment_rules": [{"value": name, "label": gettext(COMMENT_RULE_LABELS[name]), "help": gettext(text)}
                          for name, text in COMMENT_RULES.items()],
        # The numbers to choose a warning rule by, for the saved k, threshold and maximum.
        "warning_rates": warning_rates(values),
        "ranges": {**{name: list(bounds) for name, bounds in INT_RANGES.items()},
                   **{name: list(bounds) for name, bounds in DAY_RANGES.items()},
                   "outlier_threshold": list(THRESHOLD_RANGE)},
        "limits": {"max_items": MAX_CRITERIA, "max_bytes": MAX_FILE_BYTES},
        "review_days": schedule.DEFAULT_REVIEW_DAYS,
        "started": services.task_started(compat.usage_key(block)),
        "started_warning": gettext(STARTED_WARNING),
    }


# The editor's scripts, in load order (common.js first: the others use it).
STUDIO_JS = ("common.js", "studio_dates.js", "studio_grading.js", "studio_checklist.js", "studio.js")


def editor_fragment(block) -> Fragment:
    """The Studio editor: template, CSS, JS and its initial data in an escaped JSON element."""
    frag = pages.fragment(block, "studio.css", STUDIO_JS)
    # The checklist is staff-written text that may contain "</script>": it travels escaped.
    frag.add_content(pages.render_template("studio.html").replace(
        "<!--INIT-->", json_script_tag(editor_init(block), "ccs-init")))
    frag.initialize_js("CrossCheckStudio")
    return frag
