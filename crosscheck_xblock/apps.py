"""Django app config; `plugin_app` makes the LMS and Studio install the app, run its migrations,
add its settings defaults, include its URLs (the LMS) and connect its signal receivers
(edx-django-utils plugins)."""
from django.apps import AppConfig
from django.conf import settings

_RETIREMENT = "openedx.core.djangoapps.user_api.accounts.signals"
_SETTINGS = {"common": {"relative_path": "settings.common"}}


class CrossCheckConfig(AppConfig):
    """The crosscheck_xblock Django app (models: tasks, works, assignments, reviews, grades)."""

    name = "crosscheck_xblock"
    verbose_name = "Cross-check XBlock"
    default_auto_field = "django.db.models.BigAutoField"

    # Registered under lms.djangoapp / cms.djangoapp (setup.py): edx-platform adds the app to
    # INSTALLED_APPS, calls settings/common.py's plugin_settings, includes urls.py in the LMS's
    # URLs and connects the receivers below (tests/services/test_platform.py loads it the same way).
    plugin_app = {
        "settings_config": {"lms.djangoapp": _SETTINGS, "cms.djangoapp": _SETTINGS},
        # The plugin's pages in the LMS (urls.py), e.g. /crosscheck/courses/<course id>/.
        "url_config": {"lms.djangoapp": {"namespace": "crosscheck", "regex": "^crosscheck/", "relative_path": "urls"}},
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [
                    {"receiver_func_name": "forget_retired_user",
                     "signal_path": f"{_RETIREMENT}.USER_RETIRE_LMS_MISC"},
                    {"receiver_func_name": "forget_retired_user",
                     "signal_path": f"{_RETIREMENT}.USER_RETIRE_LMS_CRITICAL",
                     "dispatch_uid": "crosscheck_xblock.signals.forget_retired_user.critical"},
                ],
            },
        },
    }

    def ready(self):
        # Importing the tasks registers them with whatever Celery app this process runs: the LMS's
        # workers load every installed app, so they know our tasks with no Celery configuration.
        from . import compat, signals, tasks  # noqa: PLC0415 - apps must be loaded first

        # Studio sends course_published; the settings copy follows the published blocks.
        compat.connect_course_published(signals.course_published)
        if getattr(settings, "CROSSCHECK_SWEEP_ON_WORKER_START", False):
            from celery.signals import worker_ready  # noqa: PLC0415

            worker_ready.connect(tasks.start_sweep_if_stale, weak=False,
                                 dispatch_uid="crosscheck_xblock.start_sweep_if_stale")
