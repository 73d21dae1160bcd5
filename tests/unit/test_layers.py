"""The shape of the code, checked by reading it (AST), so that it stays the shape the README shows.

- Only `crosscheck_xblock/services/` imports the models (and the migrations, which are Django's).
- No module reaches into another module's private names (`module._name`, `from m import _name`).
- Refusals are raised with a class by meaning, never the base class, and one error code always
  comes with one status (the class that carries it).
"""
import ast
from pathlib import Path

import pytest

from crosscheck_xblock import errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "crosscheck_xblock"
MODELS = "crosscheck_xblock.models"
# Everything that is code of the project; tests may read tables and patch internals.
CHECKED = [path for tree in (PACKAGE, ROOT / "workbench", ROOT / "bench") for path in sorted(tree.rglob("*.py"))]
ERROR_STATUS = {cls.__name__: cls.status for cls in errors.ERROR_CLASSES}
# Studio's helper that builds a BadRequest naming a field (studio._refused).
ERROR_STATUS["_refused"] = errors.BadRequest.status


def module_name(path: Path) -> str:
    """The dotted name a file is imported as (workbench files are top-level: it is on sys.path)."""
    base = ROOT / "workbench" if ROOT / "workbench" in path.parents else ROOT
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def resolve(node: ast.ImportFrom, package: str) -> str:
    """The absolute module an ImportFrom reads from."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[:len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def imported_modules(tree: ast.AST, package: str) -> set[str]:
    """Every module a file imports, absolute (`from pkg import mod` counts pkg.mod too)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = resolve(node, package)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def models_importers() -> list[str]:
    offenders = []
    for path in CHECKED:
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("crosscheck_xblock/services/", "crosscheck_xblock/migrations/")):
            continue
        if relative == "crosscheck_xblock/models.py" or relative.startswith("bench/"):
            # bench/ seeds 10,000 works straight into the tables, as a data import would.
            continue
        if MODELS in imported_modules(ast.parse(path.read_text()), package_of(path)):
            offenders.append(relative)
    return offenders


def test_only_the_services_import_the_models():
    assert models_importers() == []


def private_uses(source: str, package: str = "x") -> list[str]:
    """`module._name` where `module` is a name a module was imported as, and
    `from module import _name`, in one file (sorted). Class attributes such as Django's
    documented `Model._meta` are not module privates."""
    tree = ast.parse(source)
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {resolve(node, package)} import {alias.name}")
                bound = alias.asname or alias.name
                if bound[:1].islower():  # may be a module (from . import api); CapWords are classes
                    modules.add(bound)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return sorted(found)


def test_no_module_uses_another_modules_private_names():
    offenders = {path.relative_to(ROOT).as_posix(): uses for path in CHECKED
                 if (uses := private_uses(path.read_text(), package_of(path)))}
    assert offenders == {}


def test_the_private_use_check_catches_both_forms():
    source = ("from . import api\nfrom .scoring import _secret\nimport os\n"
              "api._max_score(task)\nos._exit\nself._own\napi.public\nobj.__class__\n")
    assert private_uses(source, "crosscheck_xblock") == [
        "api._max_score", "from crosscheck_xblock.scoring import _secret", "os._exit"]


def raised_codes(path: Path) -> list[tuple[str, str, int]]:
    """(class, code, line) of every error built with a literal code: `Class(message, "code")`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in ERROR_STATUS and name != "CrossCheckError":
            continue
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            found.append((name, node.args[1].value, node.lineno))
    return found


def every_raise() -> list[tuple[str, str, str]]:
    return [(path.relative_to(ROOT).as_posix(), name, code)
            for path in sorted(PACKAGE.rglob("*.py")) for name, code, _ in raised_codes(path)]


def test_refusals_use_a_class_by_meaning():
    assert [row for row in every_raise() if row[1] == "CrossCheckError"] == []


def test_one_code_has_one_status_everywhere():
    statuses: dict[str, set[int]] = {}
    for _path, name, code in every_raise():
        statuses.setdefault(code, set()).add(ERROR_STATUS[name])
    assert len(statuses) > 40  # the check sees the refusals (there are more than 40 codes)
    assert {code: found for code, found in statuses.items() if len(found) > 1} == {}


@pytest.mark.parametrize("code, status", [("no_submission", 409), ("staff_only", 403), ("bad_json", 400),
                                          ("unsupported_media_type", 415), ("preview", 403),
                                          ("masquerade", 403), ("too_large", 413), ("not_graded", 409)])
def test_codes_keep_the_status_the_readme_documents(code, status):
    assert {ERROR_STATUS[name] for _path, name, found in every_raise() if found == code} == {status}


def test_the_models_check_sees_relative_and_absolute_imports():
    for source, package in [("from ..models import Work", "crosscheck_xblock.x"),
                            ("from .models import Work", "crosscheck_xblock"),
                            ("from crosscheck_xblock import models", "cc_workbench"),
                            ("import crosscheck_xblock.models", "cc_workbench")]:
        assert MODELS in imported_modules(ast.parse(source), package), source
    assert MODELS not in imported_modules(ast.parse("from .models import Entry"), "cc_workbench")
