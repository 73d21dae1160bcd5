"""The workbench's Celery app. The LMS has its own; the block's tasks are `shared_task`s and run
on whichever app the process made.

By default tasks run eagerly, in the calling process (settings: CELERY_TASK_ALWAYS_EAGER), so the
workbench needs no broker. With CROSSCHECK_CELERY_BROKER set (e.g. redis://127.0.0.1:6379/0) tasks
go to that broker and a worker runs them:

    CROSSCHECK_CELERY_BROKER=redis://127.0.0.1:6379/0 \\
        .venv/bin/celery --workdir workbench -A cc_celery worker --pool=solo
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")

app = Celery("crosscheck_workbench")
# New-style lower-case names under the CELERY_ prefix (the LMS uses the old upper-case names).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.set_default()
