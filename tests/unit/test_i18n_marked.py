"""Every text a person reads is marked for translation (issue 10), checked by reading the code.

- JS (static/js): a string literal that reads as words ("Submit the review", "Points for") is
  the first argument of `t(…)` or an argument of `nt(…)`, which `make translations` extracts.
- Templates: text between tags and the values of `aria-label`, `title`, `placeholder` and `alt`
  are `{% trans "…" %}` marks.
- Python: a literal that reads as a sentence, in the modules whose text reaches people, sits
  inside `gettext`, `ngettext`, `N_`, `_` (Django's lazy gettext), `Text` or `plural_text`.
Code-only strings (CSS classes, selectors, codes, log lines, programmer errors) do not read as
words by these rules, or carry an `i18n: code` comment on their line.
"""
import ast
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_javascript

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "crosscheck_xblock"
JS_FILES = sorted((PACKAGE / "static" / "js").glob("*.js"))
TEMPLATES = sorted((PACKAGE / "templates").glob("*.html"))
IGNORE = "i18n: code"
WORDS = re.compile(r"[A-Za-z][a-z']+[,:]? +[A-Za-z(][a-z)']*")
MARKERS = {"gettext", "ngettext", "N_", "_", "Text", "plural_text", "t", "nt"}


def js_literals(source: str):
    """(line, text, quote) of every string literal of a JS source, skipping comments and regexes."""
    i, line, n = 0, 1, len(source)
    last = ""  # the last significant character, to tell a regex from a division
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            line += source.count("\n", i, end)
            i = end + 2
            continue
        if c in "\"'`":
            j, start = i + 1, line
            while j < n and source[j] != c:
                if source[j] == "\\":
                    j += 1
                elif source[j] == "\n":
                    line += 1
                j += 1
            yield start, source[i + 1:j], c
            i, last = j + 1, c
            continue
        if c == "/" and last in "(,=:[!&|?{};+" :
            j = i + 1
            while j < n and source[j] not in "/\n":
                j += 2 if source[j] == "\\" else 1
            i, last = j + 1, "/"
            continue
        if not c.isspace():
            last = c
        i += 1


def reads_as_words(text: str) -> bool:
    """True for text meant for people: two words in a row, not a class list or selector."""
    if not WORDS.search(text) or text.startswith((".", "#", "[")):
        return False
    tokens = text.split()
    return not all(re.fullmatch(r"[a-z0-9_-]+", token) and ("-" in token or "_" in token) for token in tokens)


def unmarked_js(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    marked = set()
    for _line, _func, message, _comments in extract_javascript(
            io.BytesIO(source.encode()), {"t": None, "nt": (1, 2)}, [], {}):
        marked.update(message if isinstance(message, tuple) else (message,))
    lines = source.splitlines()
    found = []
    for line, text, _quote in js_literals(source):
        if reads_as_words(text) and text not in marked and IGNORE not in lines[line - 1]:
            found.append(f"{path.name}:{line}: {text!r}")
    return found


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_js_texts_are_marked(path):
    assert unmarked_js(path) == []


def test_the_js_check_finds_an_unmarked_text(tmp_path):
    sample = tmp_path / "sample.js"
    sample.write_text('var a = t("Submit the review");\nel("p", {text: "Points for this item"});\n'
                      'var cls = "cc-item cc-open"; var re = /a "b c"/; // "a comment here"\n'
                      'n = nt("%(n)s work", "%(n)s works", 2);\n')
    assert unmarked_js(sample) == ["sample.js:2: 'Points for this item'"]


class _TemplateText(HTMLParser):
    ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.found = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and not value.startswith("{%"):
                self.found.append(f"{tag}[{name}]: {value!r}")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        text = re.sub(r"\{%.*?%\}|\{#.*?#\}|<!--.*?-->", "", data, flags=re.S).strip()
        if text and not self.skip and re.search(r"[A-Za-z]{2}", text):
            self.found.append(repr(text))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_texts_are_marked(path):
    parser = _TemplateText()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.found == []


# ---------------------------------------------------------------- Python

# Modules whose strings never reach a person (the simulation's tables, the plumbing).
PYTHON_EXEMPT = {"migrations", "scoring/simulation.py", "settings", "apps.py", "signals.py", "tasks.py"}
# Calls whose string arguments are for developers and operators, not learners or staff.
CODE_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "ValueError", "TypeError",
              "KeyError", "RuntimeError", "AssertionError", "NotImplementedError", "ImproperlyConfigured",
              "ImportError", "LookupError", "AttributeError", "CommandError", "add_argument", "getenv", "get"}


def _python_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not any(relative == item or relative.startswith(item + "/") for item in PYTHON_EXEMPT):
            yield path


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def reads_as_sentence(text: str) -> bool:
    """A sentence or a label for people: words, starting with a capital or ending in . : ?"""
    text = text.strip()
    return bool(WORDS.search(text)) and (text[:1].isupper() or text.endswith((".", ":", "?")))


def unmarked_python(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    skip = _docstrings(tree)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (_call_name(node) in MARKERS or _call_name(node) in CODE_CALLS):
            for inner in ast.walk(node):
                allowed.add(id(inner))
        if isinstance(node, ast.Dict):  # keys of JSON answers and lookups are code
            for key in node.keys:
                if key is not None:
                    allowed.add(id(key))
    found = []
    for node in ast.walk(tree):
        texts = []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts = [node.value]
        elif isinstance(node, ast.JoinedStr):
            texts = ["".join(v.value for v in node.values if isinstance(v, ast.Constant))]
            for value in node.values:
                allowed.add(id(value))
        if id(node) in skip or id(node) in allowed or not texts:
            continue
        if reads_as_sentence(texts[0]) and IGNORE not in lines[node.lineno - 1]:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {texts[0][:70]!r}")
    return found




@pytest.mark.parametrize("path", list(_python_files()), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_python_texts_are_marked(path):
    assert unmarked_python(path) == []


def msgid_tables() -> tuple[set[str], set[str]]:
    """Module-level names bound to a table of msgids ({key: N_("…"), …}), and to one msgid."""
    names, constants = set(), set()
    for path in _python_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) and node.value is not None else []
            if not targets or not all(isinstance(t, ast.Name) for t in targets):
                continue
            value = node.value
            values = value.values if isinstance(value, ast.Dict) else [value]
            if values and all(isinstance(v, ast.Call) and _call_name(v) == "N_" for v in values):
                (names if isinstance(value, ast.Dict) else constants).update(target.id for target in targets)
    return names, constants


def untranslated_lookups(path: Path, tables: set[str], constants: set[str]) -> list[str]:
    """Uses of a msgid table or constant (`POLICIES[name]`, `BUSY`) that no gettext/Text wraps
    (iterating a table, `.items()`, is left to the reader: its texts go through gettext there)."""
    source = path.read_text(encoding="utf-8")
    tree, lines = ast.parse(source), source.splitlines()
    wrapped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in MARKERS:
            wrapped.update(id(inner) for inner in ast.walk(node))
    subscripted = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            name = getattr(node.value, "id", None) or getattr(node.value, "attr", None)
            if name in tables and id(node) not in wrapped and IGNORE not in lines[node.lineno - 1]:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}[…] shown without gettext")
        elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if (name in constants and id(node) not in wrapped and id(node) not in subscripted
                    and IGNORE not in lines[node.lineno - 1]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name} shown without gettext")
    return found


def test_msgid_tables_are_translated_where_they_are_read():
    tables, constants = msgid_tables()
    assert {"POLICIES", "WARNING_RULES", "PHASE_TEXT", "CHOICE_LABELS"} <= tables
    assert {"BUSY", "PREVIEW_REFUSAL", "LATE_CHANGE_WARNING"} <= constants
    found = [line for path in _python_files() for line in untranslated_lookups(path, tables, constants)]
    assert found == []
