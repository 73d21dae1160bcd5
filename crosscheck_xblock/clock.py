"""The current time, in one replaceable place so tests can move the clock."""
from datetime import datetime, timezone


def now() -> datetime:
    """Aware UTC now."""
    return datetime.now(timezone.utc)
