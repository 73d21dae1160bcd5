"""The workbench's stand-ins for LMS parts: the user service, a gradebook, the demo loader."""
from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """Connects the gradebook to edx-submissions' score_set signal, as the LMS grades app does."""

    name = "cc_workbench"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import gradebook  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
