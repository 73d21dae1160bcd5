"""`make workbench` installs requirements/workbench.txt only, so every package the block and the
workbench import must be pinned there (the tests install more, and would not notice one missing:
a fresh clone's `make workbench` failed on `edx_django_utils`, which only test.txt pinned)."""
import ast
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What runs under `make workbench`: the package and the workbench project (not tests, benches).
SOURCES = [ROOT / "crosscheck_xblock", ROOT / "workbench"]
OWN = {"crosscheck_xblock", "cc_workbench", "cc_settings", "cc_urls", "cc_celery", "cc_wsgi",
       "cc_bench_settings", "manage"}
# edx-platform's own modules, imported lazily where the block runs inside the LMS (compat.py).
PLATFORM = {"common", "lms", "cms", "openedx", "xmodule"}


def pinned(path: Path) -> set[str]:
    """The distribution names a pip-compile'd requirements file pins, normalised."""
    names = set()
    for line in path.read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if found:
            names.add(normalised(found.group(1)))
    return names


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> dict[str, str]:
    """{top-level module: a file importing it} for every absolute import in SOURCES."""
    found = {}
    for source in SOURCES:
        for path in source.rglob("*.py"):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_pinned_for_the_workbench() -> None:
    workbench = pinned(ROOT / "requirements" / "workbench.txt")
    providers = metadata.packages_distributions()
    missing = []
    for module, where in sorted(imported_modules().items()):
        if module in OWN | PLATFORM or module in sys.stdlib_module_names or module == "__future__":
            continue
        dists = {normalised(d) for d in providers.get(module, [])}
        assert dists, f"{module} (imported in {where}) is not installed at all"
        if not dists & workbench:
            missing.append(f"{module} (imported in {where}; from {', '.join(sorted(dists))})")
    assert not missing, "not pinned in requirements/workbench.txt: " + "; ".join(missing)


def test_the_check_sees_a_package_only_the_tests_pin() -> None:
    """The check itself can fail: pytest is imported by the tests, pinned in test.txt only."""
    providers = metadata.packages_distributions()
    assert {normalised(d) for d in providers["pytest"]} & pinned(ROOT / "requirements" / "test.txt")
    assert not {normalised(d) for d in providers["pytest"]} & pinned(ROOT / "requirements" / "workbench.txt")
