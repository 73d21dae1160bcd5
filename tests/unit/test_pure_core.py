"""The domain core stays importable without Django, XBlock, Celery or Telegram.

It may word its sentences (i18n: stdlib gettext, Babel's CLDR data for numbers and dates),
and i18n itself is held to the same rule."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = "crosscheck_xblock"
PACKAGE_DIR = Path(__file__).resolve().parents[2] / PACKAGE
PURE_NAMES = ["checklist", "distribution", "extras", "extras_simulation", "links", "schedule", "errors", "clock",
              "i18n", "pseudonyms"]
PURE_FILES = sorted([*(PACKAGE_DIR / f"{name}.py" for name in PURE_NAMES),
                     *(PACKAGE_DIR / "scoring").glob("*.py")])
PURE_MODULES = {*(f"{PACKAGE}.{name}" for name in PURE_NAMES), f"{PACKAGE}.scoring",
                *(f"{PACKAGE}.scoring.{path.stem}" for path in (PACKAGE_DIR / "scoring").glob("*.py")
                  if path.stem != "__init__")}
FORBIDDEN = {"django", "xblock", "celery", "telegram", "web_fragments"}
ALLOWED_THIRD_PARTY = {"yaml", "numpy", "babel"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, package: str) -> list[str]:
    """Absolute names of every module imported anywhere in source (relative ones resolved
    against package, the package the file belongs to)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if node.module:
                names.append(target)
            else:
                # "from .. import x" imports the submodule x (the package itself is always loaded).
                names.extend(f"{target}.{alias.name}" for alias in node.names)
    return names


def violations(source: str, package: str) -> list[str]:
    """Imports in source that the pure core must not have."""
    found = []
    for name in imported_modules(source, package):
        top = name.split(".")[0]
        if top in FORBIDDEN:
            found.append(name)
        elif top == PACKAGE:
            if name not in PURE_MODULES:
                found.append(name)
        elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
            found.append(name)
    return found


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def test_pure_files_exist() -> None:
    assert all(path.is_file() for path in PURE_FILES)
    assert {module_name(p) for p in PURE_FILES} >= PURE_MODULES


@pytest.mark.parametrize("path", PURE_FILES, ids=module_name)
def test_pure_core_imports_only_stdlib_yaml_numpy(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert violations(source, package_of(path)) == []


def test_checker_catches_forbidden_imports() -> None:
    source = (
        "import os, json\n"
        "import django.db\n"
        "from xblock.core import XBlock\n"
        "def f():\n"
        "    import celery\n"
        "    from telegram import Bot\n"
        "    from web_fragments.fragment import Fragment\n"
        "from ..models import Review\n"
        "from .. import tasks\n"
        "from .policies import apply_policy\n"
        "from .. import checklist\n"
        "import requests\n"
    )
    found = violations(source, f"{PACKAGE}.scoring")
    assert sorted(found) == sorted(["django.db", "xblock.core", "celery", "telegram",
                                    "web_fragments.fragment", f"{PACKAGE}.models",
                                    f"{PACKAGE}.tasks", "requests"])
