"""Checklist model, the rs-app checklist format (JSON, or YAML by hand) and review arithmetic.

Pure domain code: standard library and PyYAML only, so it can be tested and reused without
Django or XBlock.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import yaml

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


def _describe(position: int | None, text: str) -> str:
    if position is None:
        return ""
    excerpt = _excerpt(text)
    return f"item {position} (“{excerpt}”)" if excerpt else f"item {position}"


class ChecklistError(ValueError):
    """A checklist file that cannot be used, with the item it concerns (if any)."""

    def __init__(self, problem: str, position: int | None = None, item_text: str = "") -> None:
        self.problem = problem
        self.position = position
        self.item_text = _excerpt(item_text) if item_text else ""
        super().__init__(str(self))

    def __str__(self) -> str:
        where = _describe(self.position, self.item_text)
        return f"{where}: {self.problem}" if where else self.problem


class ReviewError(ValueError):
    """Submitted review scores that do not fit the checklist.

    ``code`` is one of "unknown_item", "missing_item", "bad_value"; ``item_id`` names the item.
    """

    def __init__(self, code: str, message: str, item_id: str = "") -> None:
        self.code = code
        self.item_id = item_id
        super().__init__(message)


# --------------------------------------------------------------------------- parsing


def parse_checklist(text: str | bytes) -> Checklist:
    """Parse an rs checklist given as JSON, or the same structure written as YAML.

    The size limit (1 MB) is checked before anything else so a huge upload costs nothing.
    Raises ChecklistError with a message meant for course staff.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise ChecklistError(
            f"The file is {size:,} bytes; the limit is 1 MB ({MAX_FILE_BYTES:,} bytes).")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ChecklistError("The file is not UTF-8 text.") from exc
    text = text.removeprefix("\ufeff")
    return checklist_from_rs(_load_json_or_yaml(text))


def _load_json_or_yaml(text: str) -> Any:
    try:
        data = _load(json.loads, text, json.JSONDecodeError)
    except json.JSONDecodeError as json_exc:
        try:
            data = _load(yaml.safe_load, text, yaml.YAMLError)
        except yaml.YAMLError as yaml_exc:
            # Report the error of the format the author most likely meant.
            if text.lstrip().startswith(("{", "[")):
                raise ChecklistError(
                    f"The file is not valid JSON: {json_exc.msg} at line {json_exc.lineno}, "
                    f"column {json_exc.colno}.") from json_exc
            mark = getattr(yaml_exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(yaml_exc, "problem", None) or "syntax error"
            raise ChecklistError(
                f"The file is neither valid JSON nor valid YAML: {problem}{where}.") from yaml_exc
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
        raise ChecklistError("The file is nested too deeply to be a checklist.") from exc
    except ValueError as exc:
        raise ChecklistError("The file holds a number too long to be points.") from exc


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
            raise ChecklistError("The file holds far more values than a checklist has.")
        if isinstance(value, Mapping | list):
            if id(value) in seen:
                raise ChecklistError("The file repeats parts of itself with YAML aliases (& and *); write "
                                     "each item out in full.")
            seen.add(id(value))
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ChecklistError("The file holds text that is not valid Unicode.") from exc
        elif isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def checklist_from_rs(data: Mapping[str, Any]) -> Checklist:
    """Build a Checklist from an rs checklist dict (as loaded from JSON or YAML)."""
    if not isinstance(data, Mapping):
        raise ChecklistError(
            'The checklist must be a mapping with "taskName" and "criteria" at the top level.')
    _check_text(data)
    task_name = _top_text(data, "taskName")
    information = _top_text(data, "information")
    github = _top_text(data, "github")
    external_link = _top_text(data, "externalLink")

    if "criteria" not in data or data["criteria"] is None:
        if not external_link:
            raise ChecklistError('The checklist has no "criteria" list '
                                 '(that is only allowed when "externalLink" is given).')
        criteria: list[Any] = []
    else:
        criteria = data["criteria"]
        if not isinstance(criteria, list):
            raise ChecklistError('"criteria" must be a list of items.')
    if len(criteria) > MAX_CRITERIA:
        raise ChecklistError(
            f"The checklist has {len(criteria)} criteria; at most {MAX_CRITERIA} are allowed.")

    items: list[Item] = []
    used: dict[str, int] = {}
    for position, raw in enumerate(criteria, start=1):
        item = _parse_item(raw, position)
        if item.id in used:
            raise ChecklistError(
                f'the id "{item.id}" is already used by item {used[item.id]}.', position, item.text)
        used[item.id] = position
        items.append(item)
    return Checklist(task_name=task_name, items=tuple(items), information=information,
                     github=github, external_link=external_link)


def _top_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ChecklistError(f'"{key}" must be text.')
    return value


def _parse_item(raw: Any, position: int) -> Item:
    if not isinstance(raw, Mapping):
        raise ChecklistError('must be a mapping with "type" and its fields.', position)
    # Used for error messages before we know which field holds the text.
    hint = next((v for v in (raw.get("text"), raw.get("title")) if isinstance(v, str)), "")

    rs_type = raw.get("type")
    if not isinstance(rs_type, str) or rs_type not in _RS_TO_TYPE:
        problem = (f'unknown type "{rs_type}"' if isinstance(rs_type, str)
                   else 'unknown type: the "type" field is missing')
        raise ChecklistError(f"{problem} (expected title, sub-title, subtask or penalty).",
                             position, hint)
    item_type = _RS_TO_TYPE[rs_type]

    item_id, explicit = _parse_id(raw, position, hint)

    if item_type in _HEADING_TYPES:
        title = raw.get("title")
        # Blank titles are kept: real rs checklists use them as visual separators.
        if not isinstance(title, str):
            raise ChecklistError(f'a {rs_type} needs a "title" field with its text.',
                                 position, hint)
        return Item(id=item_id, type=item_type, text=title, max=0, id_explicit=explicit)

    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ChecklistError('the text is empty (a scored item needs a "text").', position, hint)
    maximum = _parse_max(raw, item_type, position, text)
    return Item(id=item_id, type=item_type, text=text, max=maximum, id_explicit=explicit)


def _parse_id(raw: Mapping[str, Any], position: int, hint: str) -> tuple[str, bool]:
    if "id" not in raw:
        return _default_id(position), False
    value = raw["id"]
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ChecklistError(f'the id {json.dumps(value, ensure_ascii=False, default=str)} is not '
                             'valid: use 1 to 40 letters, digits, "_" or "-".', position, hint)
    return value, True


def _parse_max(raw: Mapping[str, Any], item_type: str, position: int, text: str) -> Number:
    if "max" not in raw or raw["max"] is None:
        raise ChecklistError(f'missing "max" (a {item_type} needs its number of points).',
                             position, text)
    value = raw["max"]
    # bool is an int subclass, but "max: true" is certainly a mistake.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ChecklistError(
            f'"max" must be a number, not {json.dumps(value, ensure_ascii=False, default=str)}.',
            position, text)
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise ChecklistError('"max" must be a finite number.', position, text)
    maximum = _plain_number(value)
    if item_type == "penalty" and maximum > 0:
        raise ChecklistError(f'a penalty must have a negative (or zero) "max", not {maximum}.',
                             position, text)
    if item_type == "subtask" and maximum < 0:
        raise ChecklistError(f'a subtask must have a positive (or zero) "max", not {maximum}; '
                             'use a penalty item for deductions.', position, text)
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
            raise ReviewError("unknown_item",
                              f"There is no scored item {short_repr(key)} in this checklist.", str(key))
    result: dict[str, float] = {}
    for position, item in enumerate(checklist.items, start=1):
        if not item.scored:
            continue
        where = _describe(position, item.text)
        where = where[:1].upper() + where[1:]
        if item.id not in items:
            raise ReviewError("missing_item", f"{where} has no score.", item.id)
        value = items[item.id]
        number = _finite_float(value)
        if number is None:
            raise ReviewError("bad_value", f"{where}: the score must be a number, not "
                              f"{short_repr(value)}.", item.id)
        if item.type == "penalty" and number not in (0.0, 1.0):
            raise ReviewError("bad_value", f"{where}: a penalty is either applied (1) or not (0), "
                              f"not {short_repr(value)}.", item.id)
        if item.type == "subtask" and not 0.0 <= number <= 1.0:
            raise ReviewError("bad_value", f"{where}: the score must be a fraction from 0 to 1, "
                              f"not {short_repr(value)}.", item.id)
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
        return False, f"{path}: cannot read the file: {exc.strerror or exc}"
    try:
        checklist = parse_checklist(data)
    except ChecklistError as exc:
        return False, f"{path}: {exc}"
    count = len(checklist.items)
    return True, f"{path}: {count} item{'' if count == 1 else 's'}, {checklist.max_total} points"


def main(argv: list[str] | None = None) -> int:
    """Check rs checklist files (JSON or YAML): 0 when all are valid, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m crosscheck_xblock.checklist",
        description="Check rs checklist files (JSON or YAML) as the block would import them. "
                    "Prints each file's item count and the sum of its subtask maxima, or its "
                    "first problem; exits 1 when any file is invalid.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="checklist files to check")
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
