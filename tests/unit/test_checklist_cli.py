"""`python -m crosscheck_xblock.checklist FILE…`: a report line per file, exit 1 when one is invalid."""
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from crosscheck_xblock import checklist, i18n
from crosscheck_xblock.checklist import environment_language, main

REPO = Path(__file__).resolve().parents[2]
CHECKLIST_DIR = REPO.parent / "shared" / "checklists"

GOOD_JSON = {"taskName": "Good", "criteria": [
    {"type": "title", "title": "Part one"},
    {"type": "subtask", "text": "First", "max": 60},
    {"type": "subtask", "text": "Second", "max": 40.5},
    {"type": "penalty", "text": "Late", "max": -20},
]}
GOOD_YAML = """taskName: Good too
criteria:
  - type: sub-title
    title: Only part
  - type: subtask
    text: The one thing
    max: 10
"""


LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment(lang: str = "C.UTF-8") -> dict:
    """This process's environment with only LANG saying the language (English by default, so the
    tests read the same whatever language the machine runs in)."""
    env = {name: value for name, value in os.environ.items() if name not in LANGUAGE_VARIABLES}
    return {**env, "LANG": lang, "COLUMNS": "200"}  # wide: argparse wraps no help line


def run(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    """Run the checker as users do, in a fresh interpreter, with LANG=`lang`."""
    return subprocess.run([sys.executable, "-m", "crosscheck_xblock.checklist", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False, env=environment(lang))


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    """In-process calls of `main` read os.environ: English unless a test says otherwise."""
    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def files(tmp_path):
    """write(name, text or bytes) → the path of a new file in a temporary folder."""
    def write(name, content):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)
    return write


def test_valid_files_print_items_and_points(files):
    good_json = files("good.json", json.dumps(GOOD_JSON))
    good_yaml = files("good.yaml", GOOD_YAML)
    result = run(good_json, good_yaml)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [f"{good_json}: 4 items, 100.5 points",
                                          f"{good_yaml}: 2 items, 10 points"]


def test_an_invalid_item_names_its_position_and_fails(files):
    good = files("good.json", json.dumps(GOOD_JSON))
    bad = files("bad.json", json.dumps({"taskName": "Bad", "criteria": [
        {"type": "subtask", "text": "Fine", "max": 5},
        {"type": "penalty", "text": "Positive penalty", "max": 5}]}))
    result = run(bad, good)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{bad}: item 2 (“Positive penalty”): a penalty must have a negative (or zero) "
                        '"max", not 5.')
    assert lines[1] == f"{good}: 4 items, 100.5 points"  # the other files are still checked


@pytest.mark.parametrize("name, content, words", [
    ("broken.json", '{"taskName": "x", "criteria": [', "is not valid JSON"),
    ("broken.yaml", "taskName: [unclosed\n  - x: : y", "neither valid JSON nor valid YAML"),
    ("list.yaml", "- a\n- b\n", "must be a mapping"),
    ("latin1.json", '{"taskName": "caf\xe9", "criteria": []}'.encode("latin-1"), "not UTF-8"),
    ("huge.json", json.dumps({"taskName": "x" * 1_000_001, "criteria": []}), "the limit is 1 MB"),
    ("many.json", json.dumps({"taskName": "x", "criteria": [
        {"type": "subtask", "text": f"n{i}", "max": 1} for i in range(501)]}), "at most 500 are allowed"),
])
def test_file_level_problems(files, name, content, words):
    path = files(name, content)
    result = run(path)
    assert result.returncode == 1
    line, = result.stdout.splitlines()
    assert line.startswith(f"{path}: ") and words in line
    assert " item " not in line


def test_a_missing_file_is_reported(tmp_path):
    missing = str(tmp_path / "missing.json")
    result = run(missing)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{missing}: cannot read the file: No such file or directory"


def test_no_files_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "usage: python -m crosscheck_xblock.checklist" in result.stderr


def test_main_can_be_called_in_process(files, capsys):
    path = files("good.yaml", GOOD_YAML)
    assert main([path]) == 0
    assert capsys.readouterr().out == f"{path}: 2 items, 10 points\n"


def test_every_real_checklist_passes():
    """The rs checklists next to the repository: all valid, and the points are their subtask sums."""
    if not CHECKLIST_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"Real checklists not found at {CHECKLIST_DIR} (CI is set).")
        pytest.skip(f"Real checklists not found at {CHECKLIST_DIR}; put them there to run this test.")
    paths = sorted(CHECKLIST_DIR.glob("*.json"))
    assert paths, f"No *.json files in {CHECKLIST_DIR}."
    result = run(*map(str, paths))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    for path, line in zip(paths, lines):
        raw = json.loads(path.read_bytes())
        criteria = raw.get("criteria") or []
        points = sum((Fraction(str(c["max"])) for c in criteria if c["type"] == "subtask"), Fraction(0))
        count, total = line.removeprefix(f"{path}: ").split(", ")
        assert count == f"{len(criteria)} item{'' if len(criteria) == 1 else 's'}", line
        assert Fraction(total.removesuffix(" points")) == points, line


# ---------------------------------------------------------------- the environment's language

@pytest.mark.parametrize("env, language", [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ru_RU"}, "ru"),
    ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
    ({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),  # the first one set decides
    ({"LANGUAGE": "ru:en", "LC_ALL": "en_US.UTF-8"}, "ru"),  # a list: its first language
    ({"LANGUAGE": "", "LANG": "ru_RU.UTF-8"}, "ru"),  # empty is unset
    ({"LANG": "de_DE.UTF-8"}, "en"),  # no catalog: English
    ({"LANG": "POSIX"}, "en"),
    ({}, "en"),
])
def test_the_environment_names_the_language(env, language):
    assert environment_language(env) == language


def test_main_works_in_the_language_of_the_environment(files, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    seen = []
    real = checklist._check_file
    monkeypatch.setattr(checklist, "_check_file", lambda path: (seen.append(i18n.language()), real(path))[1])
    assert main([files("good.yaml", GOOD_YAML)]) == 0
    assert seen == ["ru"]
    assert i18n.language() == "en"  # only for the length of the call
    capsys.readouterr()


def test_the_cli_speaks_russian_under_a_russian_locale(files):
    """Each line is the Russian catalog's wording (English until the catalog has it), with the
    Russian decimal comma (CLDR's, so it shows whatever the catalog holds)."""
    good = files("good.json", json.dumps(GOOD_JSON))
    bad = files("bad.json", json.dumps({"taskName": "Bad", "criteria": [
        {"type": "penalty", "text": "Positive penalty", "max": 5}]}))
    result = run(good, bad, lang="ru_RU.UTF-8")
    assert result.returncode == 1, result.stdout + result.stderr
    russian = i18n.catalog("ru")
    items = russian.ngettext("%(path)s: %(n)s item, %(points)s points", "%(path)s: %(n)s items, %(points)s points", 4)
    where = russian.gettext("item %(position)s (“%(excerpt)s”)") % {"position": "1", "excerpt": "Positive penalty"}
    problem = russian.gettext('a penalty must have a negative (or zero) "max", not %(max)s.') % {"max": "5"}
    assert result.stdout.splitlines() == [
        items % {"path": good, "n": "4", "points": "100,5"},
        russian.gettext("%(path)s: %(problem)s") % {
            "path": bad, "problem": russian.gettext("%(where)s: %(problem)s") % {"where": where, "problem": problem}},
    ]
    usage = run("--help", lang="ru_RU.UTF-8")
    assert usage.returncode == 0
    assert usage.stdout.startswith(russian.gettext("usage: ") + "python -m crosscheck_xblock.checklist")
    assert russian.gettext("checklist files to check") in usage.stdout
