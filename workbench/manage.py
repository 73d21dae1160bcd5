#!/usr/bin/env python
"""Run the XBlock workbench with crosscheck-xblock's settings (see README)."""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    # This folder holds our settings module and the cc_workbench app; it has no __init__.py, so
    # the name `workbench` keeps meaning xblock-sdk's package.
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
