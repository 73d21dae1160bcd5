"""Upstream edx-submissions migration 0001_initial, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0001_initial").Migration
