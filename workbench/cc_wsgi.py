"""The workbench as a WSGI application, for a real server such as gunicorn (make bench-load).

    gunicorn --pythonpath workbench --preload cc_wsgi:application

xblock-sdk keeps its scenarios (which usage id is which block) in memory, filled when a page
first lists them, so a fresh server process would answer 404 to a handler URL: this module loads
them at import. CROSSCHECK_EXTRA_SCENARIO='["name", "<crosscheck …/>"]' adds one more scenario,
named and described by `name`, whose usage id is then `<slug of name>.crosscheck.d0.u0` in every
process (the bench builds its task in it beforehand). Load it with gunicorn's --preload: the
scenarios are parsed once, in the master (parsing saves the blocks' fields), and the database
connection that used is closed before the workers fork.
"""
import json
import os
import sys
from pathlib import Path

# This folder holds the settings and the cc_workbench app (see manage.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cc_settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.db import connections  # noqa: E402
from workbench.scenarios import SCENARIOS, add_xml_scenario, get_scenarios  # noqa: E402

get_scenarios()
if os.environ.get("CROSSCHECK_EXTRA_SCENARIO"):
    _name, _xml = json.loads(os.environ["CROSSCHECK_EXTRA_SCENARIO"])
    if _name not in SCENARIOS:
        add_xml_scenario(_name, _name, _xml)
# Forked workers must not share the master's connection.
connections.close_all()
