"""The current time, in one replaceable place so tests can move the clock."""
from datetime import UTC, datetime


def now() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)
