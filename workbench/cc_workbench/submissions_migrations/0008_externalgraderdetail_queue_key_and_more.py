"""Upstream edx-submissions migration 0008_externalgraderdetail_queue_key_and_more, unchanged."""
from importlib import import_module

Migration = import_module("submissions.migrations.0008_externalgraderdetail_queue_key_and_more").Migration
