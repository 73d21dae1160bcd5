"""Upstream edx-submissions migration 0005_CreateTeamModel, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0005_CreateTeamModel").Migration
