"""Upstream edx-submissions migration 0002_auto_20151119_0913, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0002_auto_20151119_0913").Migration
