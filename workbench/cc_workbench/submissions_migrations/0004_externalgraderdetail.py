"""Upstream edx-submissions migration 0004_externalgraderdetail, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0004_externalgraderdetail").Migration
