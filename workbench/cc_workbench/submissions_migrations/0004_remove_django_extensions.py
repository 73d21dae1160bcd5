"""Upstream edx-submissions migration 0004_remove_django_extensions, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0004_remove_django_extensions").Migration
