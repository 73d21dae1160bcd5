"""The Celery app of the integration tests' worker process: the workbench's app plus test hooks.

The hooks are set through the environment by the test that starts the worker, and live here,
not in the package (production code always uses the real clock):

- CROSSCHECK_TEST_CLOCK_FILE: `crosscheck_xblock.clock.now` reads the time (ISO 8601) from
  this file, so the test moves the worker's clock by writing it;
- CROSSCHECK_TEST_SCORE_BATCH: `gradebook.SCORE_BATCH_SIZE` (gradebook writes per transaction);
- CROSSCHECK_TEST_SCORE_CHUNK: the setting CROSSCHECK_SCORE_CHUNK (grades per `write_scores` task);
- CROSSCHECK_TEST_SET_SCORE_DELAY: seconds every edx-submissions `set_score` sleeps first, so a
  test can kill the worker in the middle of the grading.

Run as `celery -A tests.integration.worker_app worker --pool=solo` from the repository root
with `workbench` on PYTHONPATH.
"""
import os
import time
from datetime import datetime
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")
from cc_celery import app  # noqa: F401

django.setup()

from submissions import api as submissions_api  # noqa: E402

from crosscheck_xblock import clock  # noqa: E402
from crosscheck_xblock.services import gradebook  # noqa: E402

if os.environ.get("CROSSCHECK_TEST_CLOCK_FILE"):
    _clock_file = Path(os.environ["CROSSCHECK_TEST_CLOCK_FILE"])

    def _file_now() -> datetime:
        return datetime.fromisoformat(_clock_file.read_text().strip())

    clock.now = _file_now

if os.environ.get("CROSSCHECK_TEST_SCORE_BATCH"):
    gradebook.SCORE_BATCH_SIZE = int(os.environ["CROSSCHECK_TEST_SCORE_BATCH"])

if os.environ.get("CROSSCHECK_TEST_SCORE_CHUNK"):
    from django.conf import settings

    settings.CROSSCHECK_SCORE_CHUNK = int(os.environ["CROSSCHECK_TEST_SCORE_CHUNK"])

if os.environ.get("CROSSCHECK_TEST_SET_SCORE_DELAY"):
    _delay = float(os.environ["CROSSCHECK_TEST_SET_SCORE_DELAY"])
    _real_set_score = submissions_api.set_score

    def _slow_set_score(*args, **kwargs):
        time.sleep(_delay)
        return _real_set_score(*args, **kwargs)

    submissions_api.set_score = _slow_set_score
