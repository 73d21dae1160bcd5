"""The workbench's settings as a production server would run them (make bench-load): DEBUG off, so
that Django neither keeps every query of a request in memory nor renders debug pages."""
from cc_settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
