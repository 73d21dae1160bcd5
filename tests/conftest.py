"""Shared test setup: service availability rules and the controllable clock.

A test that needs a server (MariaDB, Redis, Chromium) skips with a reason only when the server is
absent and CI is unset; under CI=true a missing server fails the run.
"""
import os
import socket
from datetime import UTC

import pytest


def service_missing(what: str) -> None:
    """Skip (developer machine) or fail (CI) because `what` is not available."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not available, and CI requires it", pytrace=False)
    pytest.skip(f"{what} is not available (set CI=true to make this a failure)")


def port_open(host: str, port: int) -> bool:
    """True when something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _mariadb_available():
    """Under CROSSCHECK_DB=mariadb, make sure the server is there before Django tries it."""
    if os.environ.get("CROSSCHECK_DB") == "mariadb":
        host = os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1")
        port = int(os.environ.get("CROSSCHECK_DB_PORT", "3306"))
        if not port_open(host, port):
            service_missing(f"MariaDB on {host}:{port}")


class Clock:
    """A clock the test moves by hand (patched into crosscheck_xblock.clock.now)."""

    def __init__(self, start):
        self.current = start

    def __call__(self):
        return self.current

    def advance(self, **delta):
        """Move the clock forward by a timedelta(**delta)."""
        from datetime import timedelta
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """The current time under test control, starting at 2026-03-02 10:00 UTC."""
    from datetime import datetime

    from crosscheck_xblock import clock as clock_module
    fake = Clock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    monkeypatch.setattr(clock_module, "now", fake)
    return fake
