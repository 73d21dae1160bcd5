"""The workbench's own pages: its index (xblock-sdk's, plus the course overview's links) and the
stand-in gradebook page, what the LMS would show course staff after grading."""
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from workbench.scenarios import get_scenarios

from crosscheck_xblock import services

from .demo import LEARNERS
from .models import GradebookEntry
from .services import link_query

# Whose course overview the index links to (any ?student=NAME works).
OVERVIEW_USERS = (*LEARNERS[:3], "staff")


def index(request):
    """xblock-sdk's index (the scenarios, without the excluded sample blocks) and links to the
    plugin's course overview page of the workbench's one course, as a few of the demo's users."""
    scenarios = [(name, scenario.description) for name, scenario in sorted(get_scenarios().items())
                 if name.split(".")[0] not in settings.EXCLUDED_XBLOCKS]
    page = reverse("crosscheck:course_overview", args=[settings.CROSSCHECK_FALLBACK_COURSE_ID])
    links = [(name, page + link_query(name)) for name in OVERVIEW_USERS]
    return render(request, "cc_workbench/index.html", {"scenarios": scenarios, "overview_links": links})


def gradebook(request):  # noqa: ARG001 - a Django view
    """An HTML table of every score received through score_set, newest first."""
    entries = list(GradebookEntry.objects.all()[:1000])
    names = services.usernames([entry.anonymous_user_id for entry in entries])
    rows = "".join(
        f"<tr><td>{escape(names.get(e.anonymous_user_id) or e.anonymous_user_id)}</td>"
        f"<td>{escape(e.item_id)}</td><td>{e.points_earned} / {e.points_possible}</td>"
        f"<td>{e.created_at:%Y-%m-%d %H:%M:%S}</td></tr>"
        for e in entries)
    return HttpResponse(
        "<!doctype html><html lang='en'><title>Gradebook</title><h1>Gradebook (scores received via score_set)</h1>"
        "<table border=1 cellpadding=4><tr><th>Learner</th><th>Block</th><th>Score</th><th>Received</th></tr>"
        f"{rows}</table><p><a href='/'>Back to the workbench</a></p></html>")
