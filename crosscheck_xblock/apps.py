"""Django app config; `plugin_app` makes the LMS and Studio install the app and run its migrations."""
from django.apps import AppConfig


class CrossCheckConfig(AppConfig):
    """The crosscheck_xblock Django app (models: tasks, works, assignments, reviews, grades)."""

    name = "crosscheck_xblock"
    verbose_name = "Cross-check XBlock"
    default_auto_field = "django.db.models.BigAutoField"

    # edx-django-utils plugin API: registering under lms.djangoapp / cms.djangoapp (setup.py) adds
    # the app to INSTALLED_APPS; nothing else (urls, settings) needs plugging in yet.
    plugin_app = {}
