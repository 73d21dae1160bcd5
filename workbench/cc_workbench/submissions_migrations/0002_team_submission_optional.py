"""Upstream edx-submissions migration 0002_team_submission_optional, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0002_team_submission_optional").Migration
