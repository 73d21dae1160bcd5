"""Fixtures of the browser tests: a real workbench server and a headless Chromium.

The server is `workbench/manage.py runserver` in a subprocess of its own, on a free port, with a
fresh SQLite database in a temporary directory (migrated and loaded with the demo first). It owns
its database: these tests only talk HTTP to it, so they use none of pytest-django's db fixtures.

Chromium is Debian's /usr/bin/chromium (Playwright cannot download browsers here). Without it the
tests are skipped, unless the environment variable CI is set: then they fail, so a CI run cannot
pass without running them.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "workbench" / "manage.py"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CROSSCHECK_CHROMIUM", "/usr/bin/chromium")  # Debian's package
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60  # seconds
DEFAULT_TIMEOUT_MS = 15_000  # Playwright's wait for a selector / response


# The files that use the workbench's own scenarios (the demo, the empty task, the demo under
# review) and change them as they go: they run in one process, in file order, with one server
# (pytest-xdist --dist loadgroup). Every other file has a test scenario of its own and is a group
# by itself (its tests keep their order: some build on the one before).
SHARED_SCENARIO_FILES = {"test_analytics.py", "test_analytics_reviewer_rating.py", "test_edges.py", "test_flow.py",
                         "test_grade_items.py", "test_language.py", "test_studio_accessibility.py",
                         "test_studio_editor.py", "test_tables.py"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (`-m "not browser"` leaves them out), in the
    xdist group of its file (see SHARED_SCENARIO_FILES)."""
    here = Path(__file__).resolve().parent
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if here in path.parents:
            item.add_marker(pytest.mark.browser)
            group = "shared-scenarios" if path.name in SHARED_SCENARIO_FILES else path.stem
            item.add_marker(pytest.mark.xdist_group(name=group))


def _skip_or_fail(reason: str):
    """Skip on a developer machine; fail on CI, where a missing browser must not go unnoticed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


class Workbench:
    """A running workbench server: its base URL, and the files it writes."""

    def __init__(self, base_url: str, var_dir: Path, log_path: Path):
        self.base_url = base_url
        self.var_dir = var_dir
        self.log_path = log_path

    def url(self, path: str) -> str:
        return self.base_url + path

    def scenario(self, number: int, student: str) -> str:
        """The page of workbench scenario `crosscheck.<number>` as `student` sees it."""
        return self.url(f"/scenario/crosscheck.{number}/?student={student}")


def manage(args, env, log):
    """Run one manage.py command to completion, its output appended to the server log."""
    result = subprocess.run([sys.executable, str(MANAGE), *args], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT, timeout=120, check=False)
    if result.returncode != 0:
        log.flush()
        pytest.fail(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{_tail(Path(log.name))}",
                    pytrace=False)


def _wait_until_up(proc: subprocess.Popen, url: str, log_path: Path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"The workbench server exited ({proc.returncode}):\n{_tail(log_path)}",
                        pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"The workbench server did not answer {url} within {SERVER_START_TIMEOUT} s:\n"
                f"{_tail(log_path)}", pytrace=False)


def _stop(proc: subprocess.Popen):
    """Stop the server and anything it started: its whole process group."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium binary; skips (or, on CI, fails) the browser tests when it is missing."""
    if not os.path.exists(CHROMIUM):
        _skip_or_fail(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("the playwright package is missing: pip install -r requirements/test.txt")
    return CHROMIUM


@contextlib.contextmanager
def serve_workbench(var_dir: Path, extra_env: dict | None = None, after_migrate=None):
    """A workbench server on a free port with a fresh SQLite database in `var_dir` holding the
    demo; `extra_env` for the server and its commands, `after_migrate(env, log)` to run more
    commands before it starts. Yields the Workbench; stops the server (its process group) after."""
    log_path = var_dir / "server.out"
    env = {key: value for key, value in os.environ.items()
           # CROSSCHECK_DB=mariadb would override WORKBENCH_DATABASES; these tests own their SQLite DB.
           if key not in ("CROSSCHECK_DB", "DJANGO_SETTINGS_MODULE")}
    env.update({
        # A write waits up to 30 s for SQLite's lock (Python's default is 5 s): with the other
        # browser process busy on the same 2 cores, an autosave and a submit can queue that long,
        # and a lock given up on answers 409 busy.
        "WORKBENCH_DATABASES": json.dumps({"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": str(var_dir / "workbench.db"),
            "OPTIONS": {"timeout": 30}}}),
        "CROSSCHECK_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
        "CROSSCHECK_TEST_SCENARIOS": "1",  # adds scenarios crosscheck.3 on, for tests of their own
        **(extra_env or {}),
    })
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env.setdefault("CROSSCHECK_LMS_ROOT_URL", base_url)
    with open(log_path, "a", encoding="utf-8") as log:
        manage(["migrate", "--run-syncdb", "-v", "0"], env, log)
        manage(["crosscheck_demo"], env, log)
        if after_migrate is not None:
            after_migrate(env, log, base_url)
        proc = subprocess.Popen(
            [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)  # its own process group, so the whole group can be stopped
    try:
        _wait_until_up(proc, base_url + "/gradebook/", log_path)
        yield Workbench(base_url, var_dir, log_path)
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def workbench(tmp_path_factory, chromium_path):
    """A workbench server with a fresh database holding the demo (12 submitted works).

    It asks for chromium_path only so that no server is started when the tests will be skipped.
    """
    with serve_workbench(tmp_path_factory.mktemp("workbench")) as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Debian Chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (cookies, storage) per test, its browser asking for English."""
    yield from _context(browser, "en-US")


@pytest.fixture
def context_ru(browser):
    """A fresh browser context whose browser asks for Russian (Accept-Language, navigator.language)."""
    yield from _context(browser, "ru-RU")


def _context(browser, locale: str):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root, for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Impacts the audits fail on (axe-core's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture
def audit(artifacts):
    """audit(page, name): run axe-core (axe-playwright-python's bundled copy) on the page as it
    is now; fail on any serious or critical violation, with axe's report, which is also saved
    to test-artifacts/axe/<name>.txt."""
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    folder = artifacts / "axe"
    folder.mkdir(exist_ok=True)

    def run(page, name: str):
        results = axe.run(page)
        failing = [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]
        report = "\n".join(
            f"{v['impact']}: {v['id']} ({v['help']}): " + "; ".join(
                node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                for node in v["nodes"][:8])
            for v in results.response["violations"]) or "no violations"
        (folder / f"{name}.txt").write_text(report + "\n")
        assert not failing, f"axe found serious or critical violations on {name}:\n{report}"
        return results

    return run
