"""Upstream edx-submissions migration 0003_ensure_ascii, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0003_ensure_ascii").Migration
