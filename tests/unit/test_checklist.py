"""Checklist model, rs JSON/YAML import and export, and review arithmetic."""

import json

import pytest

from crosscheck_xblock.checklist import (
    Checklist,
    ChecklistError,
    Item,
    ReviewError,
    cached_checklist_from_rs,
    checklist_from_rs,
    dump_rs_json,
    item_points,
    normalize_review_items,
    parse_checklist,
    review_total,
)

SAMPLE = {
    "taskName": "Portfolio",
    "github": "https://example.org/task.md",
    "criteria": [
        {"type": "title", "title": "Layout"},
        {"type": "subtask", "text": "Header <b>matches</b> the design\nat 1440px", "max": 10},
        {"type": "sub-title", "title": "Extras"},
        {"type": "subtask", "text": "Burger menu", "max": 5.5},
        {"type": "subtask", "text": "Optional bonus", "max": 0},
        {"type": "penalty", "text": "Uses jQuery", "max": -20},
    ],
}

YAML_SAMPLE = """\
taskName: Portfolio
github: https://example.org/task.md
criteria:
  - type: title
    title: Layout
  - type: subtask
    text: "Header <b>matches</b> the design\\nat 1440px"
    max: 10
  - type: sub-title
    title: Extras
  - type: subtask
    text: Burger menu
    max: 5.5
  - type: subtask
    text: Optional bonus
    max: 0
  - type: penalty
    text: Uses jQuery
    max: -20
"""


@pytest.fixture
def sample() -> Checklist:
    return parse_checklist(json.dumps(SAMPLE))


def with_criteria(*criteria: dict) -> str:
    return json.dumps({"taskName": "T", "criteria": list(criteria)})


# --------------------------------------------------------------------------- parsing


def test_json_sample_parses_into_items(sample: Checklist) -> None:
    assert sample.task_name == "Portfolio"
    assert sample.github == "https://example.org/task.md"
    assert [i.type for i in sample.items] == ["title", "subtask", "subtitle", "subtask", "subtask",
                                              "penalty"]
    assert [i.id for i in sample.items] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert sample.items[0] == Item("c1", "title", "Layout", 0)
    # Newlines and inline HTML are kept as written (sanitizing happens when rendering).
    assert sample.items[1].text == "Header <b>matches</b> the design\nat 1440px"
    assert [i.max for i in sample.items] == [0, 10, 0, 5.5, 0, -20]
    assert [i.id for i in sample.scored_items] == ["c2", "c4", "c5", "c6"]
    assert sample.max_total == 15.5


def test_yaml_gives_the_same_checklist_as_json(sample: Checklist) -> None:
    assert parse_checklist(YAML_SAMPLE) == sample


def test_bytes_with_bom_are_accepted(sample: Checklist) -> None:
    assert parse_checklist(b"\xef\xbb\xbf" + json.dumps(SAMPLE).encode()) == sample


def test_integral_max_stays_int_for_json() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 5.0}))
    assert type(checklist.items[0].max) is int
    assert '"max": 5' in json.dumps(checklist.to_public())
    assert checklist.max_total == 5 and type(checklist.max_total) is int


def test_max_total_is_exact() -> None:
    checklist = parse_checklist(with_criteria(*[{"type": "subtask", "text": "a", "max": 0.1}] * 3))
    assert checklist.max_total == 0.3


def test_zero_max_allowed_for_subtask_and_penalty() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 0},
                                              {"type": "penalty", "text": "b", "max": 0}))
    assert [i.max for i in checklist.items] == [0, 0]


def test_blank_title_is_kept_as_a_separator() -> None:
    # Real rs checklists use empty titles between groups of items.
    checklist = parse_checklist(with_criteria({"type": "title", "title": " "},
                                              {"type": "subtask", "text": "a", "max": 1}))
    assert checklist.items[0].text == " "


def test_item_lookup(sample: Checklist) -> None:
    assert sample.item("c4").text == "Burger menu"
    assert sample.position("c4") == 4
    with pytest.raises(KeyError):
        sample.item("nope")


def test_to_public(sample: Checklist) -> None:
    public = sample.to_public()
    assert public["task_name"] == "Portfolio"
    assert public["max_score"] == 15.5
    assert public["external_link"] == "" and public["information"] == ""
    assert public["items"][2] == {"id": "c3", "type": "subtitle", "text": "Extras", "max": 0}
    assert public["items"][5] == {"id": "c6", "type": "penalty", "text": "Uses jQuery", "max": -20}


def test_external_link_only_checklist() -> None:
    raw = {"taskName": "Singolo", "github": "https://example.org/g",
           "externalLink": "https://example.org/form"}
    checklist = parse_checklist(json.dumps(raw))
    assert checklist.items == ()
    assert checklist.external_link == "https://example.org/form"
    assert checklist.max_total == 0
    assert checklist.to_rs() == raw
    assert parse_checklist(dump_rs_json(checklist)) == checklist


def test_missing_task_name_is_empty() -> None:
    assert parse_checklist('{"criteria": []}').task_name == ""


def test_explicit_and_implicit_ids() -> None:
    checklist = parse_checklist(with_criteria(
        {"type": "title", "title": "A"},
        {"type": "subtask", "id": "header_ok", "text": "a", "max": 1},
        {"type": "subtask", "text": "b", "max": 1},
    ))
    assert [i.id for i in checklist.items] == ["c1", "header_ok", "c3"]
    criteria = checklist.to_rs()["criteria"]
    # Only the id that was in the source is written back.
    assert [("id" in c) for c in criteria] == [False, True, False]
    assert criteria[1]["id"] == "header_ok"


def test_id_built_in_code_survives_export() -> None:
    checklist = Checklist("T", (Item("x7", "subtask", "a", 1),))
    assert checklist.to_rs()["criteria"][0]["id"] == "x7"
    assert parse_checklist(dump_rs_json(checklist)).items[0].id == "x7"


def test_round_trip(sample: Checklist) -> None:
    exported = dump_rs_json(sample)
    again = parse_checklist(exported)
    assert again == sample
    assert again.to_rs() == sample.to_rs()
    assert json.loads(exported)["criteria"] == SAMPLE["criteria"]
    assert dump_rs_json(again) == exported


def test_dump_keeps_non_ascii_readable() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "Вёрстка", "max": 1}))
    assert "Вёрстка" in dump_rs_json(checklist)
    assert dump_rs_json(checklist).startswith('{\n  "taskName"')


def test_checklist_from_rs_accepts_a_dict(sample: Checklist) -> None:
    assert checklist_from_rs(SAMPLE) == sample


def test_checklist_rejects_duplicate_ids_when_built_in_code() -> None:
    with pytest.raises(ValueError):
        Checklist("T", (Item("a", "subtask", "x", 1), Item("a", "subtask", "y", 1)))


# --------------------------------------------------------------------------- errors

GOOD = {"type": "subtask", "text": "Good item", "max": 1}

ITEM_ERRORS = [
    ({"type": "bonus", "text": "What is this", "max": 1}, "unknown type"),
    ({"text": "No type at all", "max": 1}, "unknown type"),
    ({"type": "subtask", "text": "No max here"}, 'missing "max"'),
    ({"type": "penalty", "text": "No max here"}, 'missing "max"'),
    ({"type": "subtask", "text": "String max", "max": "5"}, "must be a number"),
    ({"type": "subtask", "text": "Bool max", "max": True}, "must be a number"),
    ({"type": "penalty", "text": "List max", "max": [1]}, "must be a number"),
    ({"type": "subtask", "text": "Huge max", "max": 1e999}, "finite"),
    ({"type": "penalty", "text": "Positive penalty", "max": 5}, "negative"),
    ({"type": "subtask", "text": "Negative subtask", "max": -5}, "positive"),
    ({"type": "subtask", "text": "   \n ", "max": 1}, "text is empty"),
    ({"type": "penalty", "text": "", "max": -1}, "text is empty"),
    ({"type": "subtask", "max": 1}, "text is empty"),
    ({"type": "title"}, '"title" field'),
    ({"type": "sub-title", "title": None}, '"title" field'),
    ({"type": "title", "title": 5}, '"title" field'),
    ({"type": "subtask", "id": "has space", "text": "Bad id", "max": 1}, "is not valid"),
    ({"type": "subtask", "id": "x" * 41, "text": "Long id", "max": 1}, "is not valid"),
    ({"type": "subtask", "id": "c1", "text": "Taken id", "max": 1}, "already used by item 1"),
    ("just a string", "must be a mapping"),
]


@pytest.mark.parametrize(("bad", "fragment"), ITEM_ERRORS)
def test_item_errors_name_the_position(bad: object, fragment: str) -> None:
    with pytest.raises(ChecklistError) as info:
        parse_checklist(with_criteria(GOOD, GOOD, bad))
    error = info.value
    assert error.position == 3
    assert str(error).startswith("item 3")
    assert fragment in error.problem
    assert fragment in str(error)


def test_error_message_quotes_an_excerpt() -> None:
    long_text = "Penalty for something very long that goes on and on and on"
    with pytest.raises(ChecklistError) as info:
        parse_checklist(with_criteria({"type": "penalty", "text": long_text, "max": 3}))
    error = info.value
    assert error.item_text.endswith("…") and len(error.item_text) <= 41
    assert str(error) == f"item 1 (“{error.item_text}”): {error.problem}"


FILE_ERRORS = [
    ("[1, 2]", "must be a mapping"),
    ("", "must be a mapping"),
    ("just words", "must be a mapping"),
    ('{"criteria": [', "not valid JSON"),
    ("criteria: [\n", "neither valid JSON nor valid YAML"),
    ('{"taskName": 5, "criteria": []}', '"taskName" must be text'),
    ('{"taskName": "T"}', 'no "criteria"'),
    ('{"taskName": "T", "criteria": {"a": 1}}', "must be a list"),
    ('{"taskName": "T", "criteria": [], "github": 1}', '"github" must be text'),
]


@pytest.mark.parametrize(("text", "fragment"), FILE_ERRORS)
def test_file_errors(text: str, fragment: str) -> None:
    with pytest.raises(ChecklistError) as info:
        parse_checklist(text)
    assert info.value.position is None
    assert fragment in str(info.value)


def test_non_utf8_bytes() -> None:
    with pytest.raises(ChecklistError, match="UTF-8"):
        parse_checklist(b'{"taskName": "\xff"}')


def test_size_limit_is_checked_first() -> None:
    # Not even valid JSON: the size is what must be reported.
    with pytest.raises(ChecklistError, match="1 MB"):
        parse_checklist(b"{" * 1_000_001)
    with pytest.raises(ChecklistError, match="1 MB"):
        parse_checklist("я" * 500_001)  # 1,000,002 bytes in UTF-8


def test_just_under_the_size_limit_is_fine() -> None:
    head = '{"taskName": "T", "criteria": [{"type": "subtask", "text": "a", "max": 1}]}'
    text = head + " " * (1_000_000 - len(head))
    assert len(text.encode()) == 1_000_000
    assert len(parse_checklist(text).items) == 1


def test_500_criteria_allowed_501_rejected() -> None:
    item = {"type": "subtask", "text": "a", "max": 1}
    assert len(parse_checklist(with_criteria(*[item] * 500)).items) == 500
    with pytest.raises(ChecklistError, match="501 criteria"):
        parse_checklist(with_criteria(*[item] * 501))


# --------------------------------------------------------------------------- reviews


def full_marks(checklist: Checklist) -> dict[str, float]:
    return {i.id: (1.0 if i.type == "subtask" else 0.0) for i in checklist.scored_items}


def test_normalize_returns_floats_in_checklist_order(sample: Checklist) -> None:
    given = {"c6": 1, "c5": 0, "c4": 0.5, "c2": 1}
    result = normalize_review_items(sample, given)
    assert list(result) == ["c2", "c4", "c5", "c6"]
    assert result == {"c2": 1.0, "c4": 0.5, "c5": 0.0, "c6": 1.0}
    assert all(type(v) is float for v in result.values())


REVIEW_ERRORS = [
    ({"c1": 1}, "unknown_item", "c1"),  # a title takes no score
    ({"zzz": 1}, "unknown_item", "zzz"),
    ({"c2": 1, "c4": 1, "c5": 1}, "missing_item", "Item 6 (“Uses jQuery”)"),
    ({"c2": 1.1, "c4": 1, "c5": 1, "c6": 0}, "bad_value", "Item 2"),
    ({"c2": -0.1, "c4": 1, "c5": 1, "c6": 0}, "bad_value", "Item 2"),
    ({"c2": True, "c4": 1, "c5": 1, "c6": 0}, "bad_value", "Item 2"),
    ({"c2": "1", "c4": 1, "c5": 1, "c6": 0}, "bad_value", "Item 2"),
    ({"c2": float("nan"), "c4": 1, "c5": 1, "c6": 0}, "bad_value", "Item 2"),
    ({"c2": 1, "c4": float("inf"), "c5": 1, "c6": 0}, "bad_value", "Item 4"),
    ({"c2": 1, "c4": 1, "c5": 1, "c6": 0.5}, "bad_value", "Item 6"),
    ({"c2": 1, "c4": 1, "c5": 1, "c6": -1}, "bad_value", "Item 6"),
    ({"c2": 1, "c4": 1, "c5": 1, "c6": None}, "bad_value", "Item 6"),
]


@pytest.mark.parametrize(("items", "code", "fragment"), REVIEW_ERRORS)
def test_normalize_errors(sample: Checklist, items: dict, code: str, fragment: str) -> None:
    with pytest.raises(ReviewError) as info:
        normalize_review_items(sample, items)
    assert info.value.code == code
    assert fragment in str(info.value)


def test_item_points(sample: Checklist) -> None:
    assert item_points(sample.item("c2"), 0.3) == 3.0
    assert item_points(sample.item("c4"), 0.5) == 2.75
    assert item_points(sample.item("c6"), 1) == -20.0
    assert item_points(sample.item("c6"), 0) == 0.0
    assert item_points(sample.item("c1"), 1) == 0.0


def test_review_total_partial_fractions(sample: Checklist) -> None:
    items = {"c2": 0.7, "c4": 0.4, "c5": 1, "c6": 0}
    assert review_total(sample, items, max_score=100) == 9.2  # 7 + 2.2


def test_review_total_penalty_subtracts() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 10},
                                              {"type": "penalty", "text": "p", "max": -3}))
    assert review_total(checklist, {"c1": 1, "c2": 0}, max_score=10) == 10.0
    assert review_total(checklist, {"c1": 1, "c2": 1}, max_score=10) == 7.0
    assert review_total(checklist, {"c1": 0.6, "c2": 1}, max_score=10) == 3.0


def test_review_total_floors_at_zero() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 10},
                                              {"type": "penalty", "text": "p", "max": -30}))
    assert review_total(checklist, {"c1": 1, "c2": 1}, max_score=10) == 0.0
    assert review_total(checklist, {"c1": 0.5, "c2": 0}, max_score=10) == 5.0


def test_review_total_caps_at_max_score(sample: Checklist) -> None:
    assert review_total(sample, full_marks(sample), max_score=12) == 12.0
    # The penalty is taken from the raw total (24 - 5), then the cap applies.
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 30},
                                              {"type": "penalty", "text": "p", "max": -5}))
    assert review_total(checklist, {"c1": 1, "c2": 1}, max_score=20) == 20.0
    assert review_total(checklist, {"c1": 0.8, "c2": 1}, max_score=20) == 19.0


@pytest.mark.parametrize("tenths", range(11))
def test_tenth_steps_are_exact(tenths: int) -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 10},
                                              {"type": "subtask", "text": "b", "max": 0.7}))
    fraction = tenths / 10
    total = review_total(checklist, {"c1": fraction, "c2": fraction}, max_score=100)
    assert total == round(tenths + tenths * 0.07, 2)
    assert item_points(checklist.items[0], fraction) == float(tenths)


def test_review_total_rounds_to_hundredths() -> None:
    checklist = parse_checklist(with_criteria({"type": "subtask", "text": "a", "max": 1}))
    assert review_total(checklist, {"c1": 1 / 3}, max_score=1) == 0.33
    assert review_total(checklist, {"c1": 0.005}, max_score=1) == 0.01  # half up


def test_review_total_rejects_bad_max_score(sample: Checklist) -> None:
    with pytest.raises(ValueError):
        review_total(sample, full_marks(sample), max_score=float("nan"))


@pytest.mark.parametrize("text, words", [
    ("[" * 100_000, "nested too deeply"),
    ("- " * 3000 + "x", "nested too deeply"),
    ('{"taskName": "T", "criteria": [{"type": "subtask", "text": "t", "max": 1' + "0" * 5000 + "}]}",
     "number too long"),
    ("taskName: T\ncriteria:\n  - type: subtask\n    text: t\n    max: 1" + "0" * 5000, "number too long"),
    ('{"taskName": "T", "criteria": [{"type": "subtask", "text": "\\ud800", "max": 1}]}', "not valid Unicode"),
    ("taskName: T\ncriteria: &c\n  - *c", "YAML aliases"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "YAML aliases"),
])
def test_hostile_checklist_files_are_refused_at_once(text, words):
    """What a fuzz of the Studio editor found: each was a server error (or, for the alias that
    holds itself, a hang); now each is a ChecklistError saying what is wrong."""
    with pytest.raises(ChecklistError, match=words):
        parse_checklist(text)


def test_points_in_messages_are_exact_of_any_size_in_the_readers_decimal_sign() -> None:
    from crosscheck_xblock import i18n
    from crosscheck_xblock.checklist import points_text
    with pytest.raises(ChecklistError, match=f"not 1{'0' * 40}\\.$"):
        parse_checklist(with_criteria({"type": "penalty", "text": "Huge", "max": 10**40}))
    assert points_text(10**400) == "1" + "0" * 400
    assert points_text(100.5) == "100.5" and points_text(12.125) == "12.125"
    with i18n.using("ru"):
        assert points_text(100.5) == "100,5"


def test_parsed_once_per_text_and_still_refusing_bad_ones():
    """Each request parses the block's checklist: the same text gives the same (frozen) checklist,
    built once; an invalid one is refused every time, never remembered as valid."""
    text = json.dumps(SAMPLE)
    assert parse_checklist(text) is parse_checklist(text) == checklist_from_rs(SAMPLE)
    rs = parse_checklist(text).to_rs()
    assert cached_checklist_from_rs(rs) is cached_checklist_from_rs(json.loads(json.dumps(rs)))
    assert cached_checklist_from_rs(rs) == checklist_from_rs(rs)
    broken = {**SAMPLE, "criteria": [{"type": "subtask", "text": "", "max": 10}]}
    for _ in range(2):
        with pytest.raises(ChecklistError):
            parse_checklist(json.dumps(broken))
        with pytest.raises(ChecklistError):
            cached_checklist_from_rs(broken)
    with pytest.raises(ChecklistError):
        cached_checklist_from_rs(["not", "a", "mapping"])
