"""The workbench's stand-ins for LMS parts: the user service, a gradebook, the demo loader."""
from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """Connects the gradebook to edx-submissions' score_set signal, as the LMS grades app does,
    makes the workbench's Celery app (cc_celery.py) and installs the runtime that keeps the
    block's `due` field (runtime.py)."""

    name = "cc_workbench"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the apps are loaded: they import models and the workbench's views.
        import cc_celery  # noqa: F401, PLC0415 - makes the Celery app

        from . import gradebook  # noqa: F401, PLC0415 - connects the receiver
        from .runtime import install  # noqa: PLC0415
        install()
