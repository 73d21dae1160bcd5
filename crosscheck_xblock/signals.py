"""Receivers of platform signals, connected by the plugin app (apps.py).

- The LMS's account retirement (USER_RETIRE_LMS_MISC, USER_RETIRE_LMS_CRITICAL; edx-django-utils
  connects them from `plugin_app["signals_config"]`): forget the retired user's username.
- Studio's course_published (connected in `CrossCheckConfig.ready` where a modulestore exists):
  refresh the settings copy of the course's published cross-check blocks, on a Celery worker.
"""
import logging

from . import services

log = logging.getLogger(__name__)


def forget_retired_user(sender, user=None, **kwargs):  # noqa: ARG001 - the signal's signature
    """The LMS retires `user`: clear their username from the block's tables."""
    username = getattr(user, "username", "") or ""
    cleared = services.forget_username(username)
    log.info("crosscheck: forgot a retired user's username in %s rows", cleared)


def course_published(sender, course_key=None, **kwargs):  # noqa: ARG001 - the signal's signature
    """A course was published in Studio: sync its cross-check blocks' settings (after the publish
    transaction, on a worker, as edx-platform's own receivers do)."""
    from . import tasks  # noqa: PLC0415 - tasks imports Celery, which apps.ready has set up

    if course_key is not None:
        tasks.sync_published_course.delay(str(course_key))
