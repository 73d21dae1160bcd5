"""Checklist model, the rs-app checklist format (JSON, or YAML by hand) and review arithmetic.

Pure domain code: standard library and PyYAML only, so it can be tested and reused without
Django or XBlock.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import yaml
from babel import numbers as babel_numbers

from . import i18n
from .i18n import N_, Text, gettext, plural_text

__all__ = [
    "ITEM_TYPES",
    "MAX_CRITERIA",
    "MAX_FILE_BYTES",
    "Checklist",
    "ChecklistError",
    "Item",
    "ReviewError",
    "checklist_from_rs",
    "dump_rs_json",
    "item_points",
    "normalize_review_items",
    "parse_checklist",
    "points_text",
    "review_total",
    "short_repr",
]

MAX_FILE_BYTES = 1_000_000
MAX_CRITERIA = 500
ITEM_TYPES = ("title", "subtitle", "subtask", "penalty")
SCORED_TYPES = frozenset({"subtask", "penalty"})

# The rs app spells the second heading level "sub-title"; we accept our own spelling as well
# because hand-written YAML tends to use it.
_RS_TO_TYPE = {"title": "title", "sub-title": "subtitle", "subtitle": "subtitle",
               "subtask": "subtask", "penalty": "penalty"}
_TYPE_TO_RS = {"title": "title", "subtitle": "sub-title", "subtask": "subtask",
               "penalty": "penalty"}
_HEADING_TYPES = frozenset({"title", "subtitle"})
_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_EXCERPT_CHARS = 40

Number = int | float


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Item:
    """One checklist line: a heading (title/subtitle) or a scored line (subtask/penalty).

    ``max`` is 0 for headings and negative (or 0) for penalties. ``id_explicit`` records whether
    the id came from the source file, so that export writes it back only then; it does not take
    part in equality because it does not change what the item means.
    """

    id: str
    type: str
    text: str
    max: float = 0
    id_explicit: bool = field(default=False, compare=False)

    @property
    def scored(self) -> bool:
        """True for items a reviewer scores (subtasks and penalties)."""
        return self.type in SCORED_TYPES


@dataclass(frozen=True)
class Checklist:
    """A whole checklist: task name, ordered items and the rs app's optional links."""

    task_name: str
    items: tuple[Item, ...]
    information: str = ""
    github: str = ""
    external_link: str = ""

    def __post_init__(self) -> None:
        # Lists are accepted for convenience but stored as a tuple so the object stays hashable.
        object.__setattr__(self, "items", tuple(self.items))
        seen: set[str] = set()
        for item in self.items:
            if item.type not in ITEM_TYPES:
                raise ValueError(f"Unknown item type {item.type!r}.")
            if item.id in seen:
                raise ValueError(f"Duplicate item id {item.id!r}.")
            seen.add(item.id)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The subtasks and penalties, in checklist order."""
        return tuple(item for item in self.items if item.scored)

    @property
    def max_total(self) -> float:
        """Sum of the subtask maxima (penalties excluded), exact; int when integral."""
        total = sum((_exact(i.max) for i in self.items if i.type == "subtask"), Fraction(0))
        return _plain_number(total)

    def item(self, item_id: str) -> Item:
        """Return the item with this id; raise KeyError if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def position(self, item_id: str) -> int:
        """Return the 1-based position of the item with this id; raise KeyError if absent."""
        for position, item in enumerate(self.items, start=1):
            if item.id == item_id:
                return position
        raise KeyError(item_id)

    def to_public(self) -> dict[str, Any]:
        """JSON-ready description for the review form and the API."""
        return {
            "task_name": self.task_name,
            "information": self.information,
            "github": self.github,
            "external_link": self.external_link,
            "items": [{"id": i.id, "type": i.type, "text": i.text, "max": i.max}
                      for i in self.items],
            "max_score": self.max_total,
        }

    def to_rs(self) -> dict[str, Any]:
        """The checklist as an rs-app dict (the shape of the files in the rs checklist repo)."""
        data: dict[str, Any] = {"taskName": self.task_name}
        if self.github:
            data["github"] = self.github
        if self.information:
            data["information"] = self.information
        if self.external_link:
            data["externalLink"] = self.external_link
        # rs files that only link out carry no "criteria" at all; mirror that.
        if self.items or not self.external_link:
            data["criteria"] = [_item_to_rs(item, position)
                                for position, item in enumerate(self.items, start=1)]
        return data


def _item_to_rs(item: Item, position: int) -> dict[str, Any]:
    criterion: dict[str, Any] = {"type": _TYPE_TO_RS[item.type]}
    # An id that differs from the positional default must be written even if the item was built
    # in code rather than parsed, or a re-import would silently renumber it.
    if item.id_explicit or item.id != _default_id(position):
        criterion["id"] = item.id
    if item.type in _HEADING_TYPES:
        criterion["title"] = item.text
    else:
        criterion["text"] = item.text
        criterion["max"] = item.max
    return criterion


def _default_id(position: int) -> str:
    return f"c{position}"


# --------------------------------------------------------------------------- errors


def _excerpt(text: str) -> str:
    """Whitespace-collapsed start of a text, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= _EXCERPT_CHARS:
        return flat
    return flat[:_EXCERPT_CHARS].rstrip() + "…"


def _describe(position: int, text: str, capital: bool = False) -> Text:
    """"item 3 (“excerpt”)", as a Text (worded in the reader's language); "Item …" to begin a sentence."""
    excerpt = _excerpt(text)
    params = {"position": str(position), "excerpt": excerpt}
    if capital:
        return Text(N_("Item %(position)s (“%(excerpt)s”)") if excerpt else N_("Item %(position)s"), params)
    return Text(N_("item %(position)s (“%(excerpt)s”)") if excerpt else N_("item %(position)s"), params)


class ChecklistError(ValueError):
    """A checklist file that cannot be used, with the item it concerns (if any).

    The problem is a `Text`: `str(error)` words it in the language current when it is read (the
    editor's request, the CLI's environment), wherever the error was raised.
    """

    def __init__(self, problem: Text | str, position: int | None = None, item_text: str = "") -> None:
        self.problem_text = problem if isinstance(problem, Text) else Text(problem)
        self.position = position
        self.item_text = _excerpt(item_text) if item_text else ""
        super().__init__(self.text())

    @property
    def problem(self) -> str:
        """The problem alone, in the current language."""
        return self.problem_text.render()

    def text(self) -> Text:
        """The whole message: the item it concerns (if any) and the problem."""
        if self.position is None:
            return self.problem_text
        return Text(N_("%(where)s: %(problem)s"),
                    {"where": _describe(self.position, self.item_text), "problem": self.problem_text})

    def __str__(self) -> str:
        return self.text().render()


class ReviewError(ValueError):
    """Submitted review scores that do not fit the checklist.

    ``code`` is one of "unknown_item", "missing_item", "bad_value"; ``item_id`` names the item.
    ``message`` is a `Text`; `str(error)` words it in the current language.
    """

    def __init__(self, code: str, message: Text, item_id: str = "") -> None:
        self.code = code
        self.item_id = item_id
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return i18n.render(self.message)


# --------------------------------------------------------------------------- parsing


def parse_checklist(text: str | bytes) -> Checklist:
    """Parse an rs checklist given as JSON, or the same structure written as YAML.

    The size limit (1 MB) is checked before anything else so a huge upload costs nothing.
    Raises ChecklistError with a message meant for course staff.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise ChecklistError(plural_text("The file is %(n)s byte; the limit is 1 MB (%(limit)s bytes).",
                                         "The file is %(n)s bytes; the limit is 1 MB (%(limit)s bytes).",
                                         size, {"limit": MAX_FILE_BYTES}))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ChecklistError(Text(N_("The file is not UTF-8 text."))) from exc
    return _parsed(text.removeprefix("\ufeff"))


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> Checklist:
    # A block's checklist text is parsed on every request that syncs its settings copy: once per
    # distinct text is enough (a Checklist is frozen; a ChecklistError is not cached).
    return checklist_from_rs(_load_json_or_yaml(text))


def cached_checklist_from_rs(data: Any) -> Checklist:
    """checklist_from_rs of a settings copy's checklist (JSON values), built once per distinct
    checklist: every request reads the copy again."""
    try:
        key = json.dumps(data, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return checklist_from_rs(data)
    return _from_rs_json(key)


@functools.lru_cache(maxsize=64)
def _from_rs_json(key: str) -> Checklist:
    return checklist_from_rs(json.loads(key))


def _load_json_or_yaml(text: str) -> Any:
    try:
        data = _load(json.loads, text, json.JSONDecodeError)
    except json.JSONDecodeError as json_exc:
        try:
            data = _load(yaml.safe_load, text, yaml.YAMLError)
        except yaml.YAMLError as yaml_exc:
            # Report the error of the format the author most likely meant.
            if text.lstrip().startswith(("{", "[")):
                # The parsers' own words (json_exc.msg, yaml's problem) are English.
                raise ChecklistError(Text(
                    N_("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s."),
                    {"problem": json_exc.msg, "line": str(json_exc.lineno),
                     "column": str(json_exc.colno)})) from json_exc
            mark = getattr(yaml_exc, "problem_mark", None)
            problem = getattr(yaml_exc, "problem", None) or Text(N_("syntax error"))
            if mark:
                message = Text(N_("The file is neither valid JSON nor valid YAML: %(problem)s at line "
                                  "%(line)s, column %(column)s."),
                               {"problem": problem, "line": str(mark.line + 1), "column": str(mark.column + 1)})
            else:
                message = Text(N_("The file is neither valid JSON nor valid YAML: %(problem)s."),
                               {"problem": problem})
            raise ChecklistError(message) from yaml_exc
    return data


def _load(load, text: str, syntax_error: type[Exception]) -> Any:
    """`load(text)`; its own syntax errors pass (the caller words them), and what no parser
    reports as one becomes a ChecklistError: nesting past the recursion limit, and integers of
    over 4,300 digits (Python refuses to convert them; no checklist has such points)."""
    try:
        return load(text)
    except syntax_error:
        raise
    except RecursionError as exc:
        raise ChecklistError(Text(N_("The file is nested too deeply to be a checklist."))) from exc
    except ValueError as exc:
        raise ChecklistError(Text(N_("The file holds a number too long to be points."))) from exc


_MAX_NODES = 200_000  # values in a checklist: 500 items of a few fields, with room to spare


def _check_text(data: Any) -> None:
    """Refuse text no database or page can hold (lone surrogates, from `\\ud800` escapes), and
    structures no checklist has: YAML aliases can make a list that holds itself, or one that
    expands to billions of values from a few lines."""
    stack, seen, count = [data], set(), 0
    while stack:
        value = stack.pop()
        count += 1
        if count > _MAX_NODES:
            raise ChecklistError(Text(N_("The file holds far more values than a checklist has.")))
        if isinstance(value, Mapping | list):
            if id(value) in seen:
                raise ChecklistError(Text(N_("The file repeats parts of itself with YAML aliases (& and *); "
                                             "write each item out in full.")))
            seen.add(id(value))
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ChecklistError(Text(N_("The file holds text that is not valid Unicode."))) from exc
        elif isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def checklist_from_rs(data: Mapping[str, Any]) -> Checklist:
    """Build a Checklist from an rs checklist dict (as loaded from JSON or YAML)."""
    if not isinstance(data, Mapping):
        raise ChecklistError(Text(
            N_('The checklist must be a mapping with "taskName" and "criteria" at the top level.')))
    _check_text(data)
    task_name = _top_text(data, "taskName")
    information = _top_text(data, "information")
    github = _top_text(data, "github")
    external_link = _top_text(data, "externalLink")

    if "criteria" not in data or data["criteria"] is None:
        if not external_link:
            raise ChecklistError(Text(N_('The checklist has no "criteria" list '
                                         '(that is only allowed when "externalLink" is given).')))
        criteria: list[Any] = []
    else:
        criteria = data["criteria"]
        if not isinstance(criteria, list):
            raise ChecklistError(Text(N_('"criteria" must be a list of items.')))
    if len(criteria) > MAX_CRITERIA:
        raise ChecklistError(plural_text("The checklist has %(n)s criterion; at most %(max)s are allowed.",
                                         "The checklist has %(n)s criteria; at most %(max)s are allowed.",
                                         len(criteria), {"max": MAX_CRITERIA}))

    items: list[Item] = []
    used: dict[str, int] = {}
    for position, raw in enumerate(criteria, start=1):
        item = _parse_item(raw, position)
        if item.id in used:
            raise ChecklistError(Text(N_('the id "%(id)s" is already used by item %(other)s.'),
                                      {"id": item.id, "other": str(used[item.id])}), position, item.text)
        used[item.id] = position
        items.append(item)
    return Checklist(task_name=task_name, items=tuple(items), information=information,
                     github=github, external_link=external_link)


def _top_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ChecklistError(Text(N_('"%(key)s" must be text.'), {"key": key}))
    return value


def _parse_item(raw: Any, position: int) -> Item:
    if not isinstance(raw, Mapping):
        raise ChecklistError(Text(N_('must be a mapping with "type" and its fields.')), position)
    # Used for error messages before we know which field holds the text.
    hint = next((v for v in (raw.get("text"), raw.get("title")) if isinstance(v, str)), "")

    rs_type = raw.get("type")
    if not isinstance(rs_type, str) or rs_type not in _RS_TO_TYPE:
        if isinstance(rs_type, str):
            problem = Text(N_('unknown type "%(type)s" (expected title, sub-title, subtask or penalty).'),
                           {"type": rs_type})
        else:
            problem = Text(N_('unknown type: the "type" field is missing (expected title, sub-title, '
                              'subtask or penalty).'))
        raise ChecklistError(problem, position, hint)
    item_type = _RS_TO_TYPE[rs_type]

    item_id, explicit = _parse_id(raw, position, hint)

    if item_type in _HEADING_TYPES:
        title = raw.get("title")
        # Blank titles are kept: real rs checklists use them as visual separators.
        if not isinstance(title, str):
            raise ChecklistError(Text(N_('a %(type)s needs a "title" field with its text.'), {"type": rs_type}),
                                 position, hint)
        return Item(id=item_id, type=item_type, text=title, max=0, id_explicit=explicit)

    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ChecklistError(Text(N_('the text is empty (a scored item needs a "text").')), position, hint)
    maximum = _parse_max(raw, item_type, position, text)
    return Item(id=item_id, type=item_type, text=text, max=maximum, id_explicit=explicit)


def _parse_id(raw: Mapping[str, Any], position: int, hint: str) -> tuple[str, bool]:
    if "id" not in raw:
        return _default_id(position), False
    value = raw["id"]
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ChecklistError(Text(N_('the id %(id)s is not valid: use 1 to 40 letters, digits, "_" or "-".'),
                                  {"id": json.dumps(value, ensure_ascii=False, default=str)}), position, hint)
    return value, True


def _parse_max(raw: Mapping[str, Any], item_type: str, position: int, text: str) -> Number:
    if "max" not in raw or raw["max"] is None:
        raise ChecklistError(Text(N_('missing "max" (a %(type)s needs its number of points).'),
                                  {"type": item_type}), position, text)
    value = raw["max"]
    # bool is an int subclass, but "max: true" is certainly a mistake.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ChecklistError(Text(N_('"max" must be a number, not %(value)s.'),
                                  {"value": json.dumps(value, ensure_ascii=False, default=str)}), position, text)
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise ChecklistError(Text(N_('"max" must be a finite number.')), position, text)
    maximum = _plain_number(value)
    if item_type == "penalty" and maximum > 0:
        raise ChecklistError(Text(N_('a penalty must have a negative (or zero) "max", not %(max)s.'),
                                  {"max": points_text(maximum)}), position, text)
    if item_type == "subtask" and maximum < 0:
        raise ChecklistError(Text(N_('a subtask must have a positive (or zero) "max", not %(max)s; use a '
                                     'penalty item for deductions.'), {"max": points_text(maximum)}), position, text)
    return maximum


def dump_rs_json(checklist: Checklist) -> str:
    """Serialize a checklist to rs-format JSON (indent 2, non-ASCII kept readable)."""
    return json.dumps(checklist.to_rs(), indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- arithmetic


def _exact(value: Any) -> Fraction:
    """Exact value of a number as people wrote it: 0.1 means 1/10, not the nearest binary float."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _plain_number(value: Fraction | int | float) -> Number:
    """int when integral (so JSON shows 5, not 5.0), float otherwise."""
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return int(value) if value.denominator == 1 else float(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Fraction) and not isinstance(value, bool)


def _finite_float(value: object) -> float | None:
    """`value` as a finite float, or None: not a number, a bool, NaN, an infinity, or an
    integer too large for a float (JSON allows 400-digit integers)."""
    if not _is_number(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def points_text(value: Number) -> str:
    """A number of points exactly as it is (no rounding, no grouping, any size), with the reader's
    decimal sign: 100.5 → "100.5" in English, "100,5" in Russian."""
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", babel_numbers.get_decimal_symbol(i18n.language()))


def short_repr(value: object, limit: int = 40) -> str:
    """repr of a value for a message, cut to `limit` characters (a request may send megabytes)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def normalize_review_items(checklist: Checklist, items: Mapping[str, object]) -> dict[str, float]:
    """Check one review's scores against the checklist and return {id: value} in checklist order.

    Every scored item must be present. A subtask takes a fraction in [0, 1] (the form uses
    0.1 steps, any fraction is accepted); a penalty is 0 (not applied) or 1 (applied).
    Raises ReviewError naming the item.
    """
    scored = {item.id: item for item in checklist.scored_items}
    for key in items:
        if key not in scored:
            raise ReviewError("unknown_item", Text(N_("There is no scored item %(id)s in this checklist."),
                                                   {"id": short_repr(key)}), str(key))
    result: dict[str, float] = {}
    for position, item in enumerate(checklist.items, start=1):
        if not item.scored:
            continue
        where = _describe(position, item.text, capital=True)
        if item.id not in items:
            raise ReviewError("missing_item", Text(N_("%(where)s has no score."), {"where": where}), item.id)
        value = items[item.id]
        number = _finite_float(value)
        shown = {"where": where, "value": short_repr(value)}
        if number is None:
            raise ReviewError("bad_value", Text(N_("%(where)s: the score must be a number, not %(value)s."),
                                                shown), item.id)
        if item.type == "penalty" and number not in (0.0, 1.0):
            raise ReviewError("bad_value", Text(N_("%(where)s: a penalty is either applied (1) or not (0), "
                                                   "not %(value)s."), shown), item.id)
        if item.type == "subtask" and not 0.0 <= number <= 1.0:
            raise ReviewError("bad_value", Text(N_("%(where)s: the score must be a fraction from 0 to 1, "
                                                   "not %(value)s."), shown), item.id)
        result[item.id] = number
    return result


def _item_points_exact(item: Item, value: float) -> Fraction:
    if not item.scored:
        return Fraction(0)
    return _exact(value) * _exact(item.max)


def item_points(item: Item, value: float) -> float:
    """Points an item contributes: fraction × max for a subtask, value × (negative) max for a
    penalty, 0 for a heading. Computed exactly, so 0.3 × 10 is 3.0."""
    return float(_item_points_exact(item, value))


def review_total(checklist: Checklist, items: Mapping[str, float], max_score: float) -> float:
    """Total of a review: item points plus penalties, floored at 0, capped at max_score.

    ``items`` is normally the output of normalize_review_items; an absent item counts as 0.
    The sum is exact and the result is rounded half up to 2 decimals.
    """
    if not _is_number(max_score) or not math.isfinite(max_score) or max_score < 0:
        raise ValueError(f"max_score must be a finite number >= 0, not {max_score!r}.")
    total = sum((_item_points_exact(item, items.get(item.id, 0))
                 for item in checklist.scored_items), Fraction(0))
    total = min(max(total, Fraction(0)), _exact(max_score))
    hundredths = (total * 100 + Fraction(1, 2)).__floor__()
    return float(Fraction(hundredths, 100))


# --------------------------------------------------------------------------- command line


def _check_file(path: str) -> tuple[bool, str]:
    """(valid, the line to print) for one checklist file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        # The reason is the system's own words (strerror).
        return False, Text(N_("%(path)s: cannot read the file: %(reason)s"),
                           {"path": path, "reason": exc.strerror or str(exc)}).render()
    try:
        checklist = parse_checklist(data)
    except ChecklistError as exc:
        return False, Text(N_("%(path)s: %(problem)s"), {"path": path, "problem": exc.text()}).render()
    return True, plural_text("%(path)s: %(n)s item, %(points)s points", "%(path)s: %(n)s items, %(points)s points",
                             len(checklist.items),
                             {"path": path, "points": points_text(checklist.max_total)}).render()


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the environment, as gettext reads it: the first of LANGUAGE, LC_ALL,
    LC_MESSAGES and LANG that is set ("ru_RU.UTF-8" → "ru"; "C", "POSIX" or another → English).
    LANGUAGE may list several ("ru:en"): the first one counts."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return i18n.language_code(value.split(":")[0].split(".")[0].split("@")[0])
    return i18n.DEFAULT_LANGUAGE


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its "usage:" in the current language (argparse's own catalog is not ours)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, gettext("usage: ") if prefix is None else prefix)


class _ArgumentParser(argparse.ArgumentParser):
    """argparse with its headings and error line in the current language."""

    def __init__(self, **kwargs) -> None:
        super().__init__(add_help=False, formatter_class=_HelpFormatter, **kwargs)
        self._positionals.title = gettext("positional arguments")
        self._optionals.title = gettext("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=gettext("show this help message and exit"))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        # `message` is argparse's own (English) sentence.
        self.exit(2, gettext("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def main(argv: list[str] | None = None) -> int:
    """Check rs checklist files (JSON or YAML): 0 when all are valid, 1 otherwise. The messages
    are in the language of the environment (`environment_language`)."""
    with i18n.using(environment_language()):
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    parser = _ArgumentParser(
        prog="python -m crosscheck_xblock.checklist",
        description=gettext("Check rs checklist files (JSON or YAML) as the block would import them. "
                            "Prints each file's item count and the sum of its subtask maxima, or its "
                            "first problem; exits 1 when any file is invalid."))
    parser.add_argument("files", nargs="+", metavar=gettext("FILE"), help=gettext("checklist files to check"))
    args = parser.parse_args(argv)
    all_valid = True
    for path in args.files:
        valid, line = _check_file(path)
        # One report on stdout, in the order of the files; the exit status says whether all passed.
        print(line, file=sys.stdout)
        all_valid = all_valid and valid
    return 0 if all_valid else 1


if __name__ == "__main__":
    raise SystemExit(main())
