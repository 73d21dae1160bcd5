"""Django app config; `plugin_app` makes the LMS and Studio install the app and run its migrations."""
from django.apps import AppConfig
from django.conf import settings


class CrossCheckConfig(AppConfig):
    """The crosscheck_xblock Django app (models: tasks, works, assignments, reviews, grades)."""

    name = "crosscheck_xblock"
    verbose_name = "Cross-check XBlock"
    default_auto_field = "django.db.models.BigAutoField"

    # edx-django-utils plugin API: registering under lms.djangoapp / cms.djangoapp (setup.py) adds
    # the app to INSTALLED_APPS; nothing else (urls, settings) needs plugging in yet.
    plugin_app = {}

    def ready(self):
        # Importing the tasks registers them with whatever Celery app this process runs: the LMS's
        # workers load every installed app, so they know our tasks with no Celery configuration.
        from . import tasks  # pylint: disable=import-outside-toplevel
        if getattr(settings, "CROSSCHECK_SWEEP_ON_WORKER_START", False):
            from celery.signals import worker_ready  # pylint: disable=import-outside-toplevel
            worker_ready.connect(tasks.start_sweep_if_stale, weak=False,
                                 dispatch_uid="crosscheck_xblock.start_sweep_if_stale")
