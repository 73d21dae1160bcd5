"""Upstream edx-submissions migration 0007_merge_20251020_2045, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0007_merge_20251020_2045").Migration
