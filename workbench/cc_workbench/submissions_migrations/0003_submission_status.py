"""Upstream edx-submissions migration 0003_submission_status, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0003_submission_status").Migration
