"""Refreshing the task rows from the published course (the publish hook of Studio).

The settings copy of a task is refreshed from the published block only: when the block is
viewed in the LMS (which renders published content) and when the course is published. Studio
and its preview never write it, so draft settings cannot start, grade or change a live task.
"""
import logging

from . import compat, services
from .checklist import ChecklistError

log = logging.getLogger(__name__)


def sync_published_course(course_key: str) -> int:
    """Refresh the settings copy of every published cross-check block of a course; how many."""
    synced = 0
    for block in compat.published_blocks(course_key):
        try:
            config = block.task_config()
        except ChecklistError as err:
            log.warning("crosscheck: %s has an invalid checklist, not synced: %s", compat.usage_key(block), err)
            continue
        services.sync_task(compat.usage_key(block), compat.course_id(block), config)
        synced += 1
    return synced
