"""Settings of `make bench-ora2` only: the workbench's (cc_settings) plus edx-ora2's Django apps.

ora2 keeps its assessments, workflows and staff-grading locks in apps of its own, with their
migrations; it reads waffle switches and flags (django-waffle, edx-toggles) and the LMS's
FEATURES dict. Nothing here is used by the block or its tests.
"""
import importlib.util

from cc_settings import *  # noqa: F403
from cc_settings import INSTALLED_APPS, MIDDLEWARE

# Without ora2 (the bench run from another virtualenv) the workbench starts without its apps, and
# the bench reports the ora2 steps as failed (ModuleNotFoundError) and measures ours.
if importlib.util.find_spec("openassessment") is not None:
    INSTALLED_APPS = [*INSTALLED_APPS, "waffle", "simple_history", "openassessment", "openassessment.workflow",
                      "openassessment.assessment", "openassessment.staffgrader", "openassessment.fileupload"]
# ora2's feature toggles read FEATURES (the LMS has it); none is on, as on a default site.
FEATURES = {}
LMS_ROOT_URL = "http://127.0.0.1:8000"  # ora2 prints that it is undefined otherwise
# ora2's waffle flags are cached per request as in the LMS: edx-django-utils' request cache,
# emptied at each request, and crum's current request (without it the flags are read as from a
# Celery task, each time).
if importlib.util.find_spec("crum") is not None:
    MIDDLEWARE = ["edx_django_utils.cache.middleware.RequestCacheMiddleware", *MIDDLEWARE,
                  "crum.CurrentRequestUserMiddleware"]
