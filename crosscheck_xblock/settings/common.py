"""Settings defaults for the LMS and Studio, added by edx-django-utils' plugin machinery.

The LMS and Studio call `plugin_settings(settings)` while they load their settings (apps.py
names this module in `plugin_app`). An operator's own value (Tutor: a plugin patch of
`openedx-lms-common-settings`) is kept; only missing settings get their defaults.
"""

DEFAULTS = {
    # Seconds between two runs of the self-re-queuing sweep (crosscheck_xblock.tasks), 1…300.
    "CROSSCHECK_SWEEP_SECONDS": 60,
    # Start the sweep when a Celery worker starts and no sweep ran in the last three intervals.
    "CROSSCHECK_SWEEP_ON_WORKER_START": False,
    # Grades per Celery task `write_scores` when a finished grading is written to the gradebook.
    "CROSSCHECK_SCORE_CHUNK": 500,
    # Seconds after which the sweep queues again the chunks still unwritten (a killed worker's).
    "CROSSCHECK_SCORE_REQUEUE_SECONDS": 300,
    # Seconds a staff export's download link (/crosscheck/exports/<token>/) is good for (downloads.py).
    "CROSSCHECK_EXPORT_LINK_SECONDS": 300,
}


def plugin_settings(settings) -> None:
    """Give every setting the block reads a value, keeping what the site already set."""
    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
