"""`guarded`: no Django exception leaves the public service functions.

Each public service function is wrapped: a row that vanished becomes `NotFound`, a unique
constraint hit by a racing request becomes `Conflict`, a value the database cannot store becomes
`BadRequest`, and a lock the database gave up waiting for becomes `Conflict` ("busy"). The
transaction the error happened in has been rolled back by then, so nothing half-written stays.
Anything else (a database that is down) is a server error and is left alone.
"""
import functools
import logging

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DataError, IntegrityError, OperationalError

from ..errors import BadRequest, Conflict, CrossCheckError, NotFound
from ..i18n import gettext

log = logging.getLogger(__name__)

# MySQL/MariaDB error numbers of a lock the server gave up waiting for; SQLite's own words.
_LOCK_ERRORS = {1205, 1213}
# MariaDB's CHECK constraint (its JSON columns check JSON_VALID): a value, not a race.
_CHECK_FAILED = 4025


def _is_lock_error(err: OperationalError) -> bool:
    code = err.args[0] if err.args else None
    return code in _LOCK_ERRORS or "database is locked" in str(err)


def guarded(func):
    """Wrap a public service function so that only CrossCheckError (or a real outage) leaves it."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CrossCheckError:
            raise
        except ObjectDoesNotExist as err:
            raise NotFound(gettext("What this request names does not exist (any more)."), "not_found") from err
        except IntegrityError as err:
            if err.args and err.args[0] == _CHECK_FAILED:
                raise BadRequest(gettext("A value in the request cannot be stored (not valid text)."),
                                 "bad_value") from err
            log.info("crosscheck %s: integrity error, answered as a conflict: %s", func.__name__, err)
            raise Conflict(gettext("Something changed at the same moment; reload the page and try again."),
                           "concurrent_change") from err
        except (DataError, ValidationError) as err:
            log.info("crosscheck %s: data error, answered as a bad request: %s", func.__name__, err)
            raise BadRequest(gettext("A value in the request cannot be stored (too long, or not valid text)."),
                             "bad_value") from err
        except OperationalError as err:
            if not _is_lock_error(err):
                raise
            raise Conflict(gettext("The cross-check is busy right now; try again in a moment."), "busy") from err

    wrapper.guarded = True
    return wrapper
