"""The stand-in gradebook page: what the LMS would show course staff after grading."""
from django.http import HttpResponse
from django.utils.html import escape

from crosscheck_xblock import services

from .models import GradebookEntry


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
