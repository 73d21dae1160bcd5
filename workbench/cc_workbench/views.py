"""The stand-in gradebook page: what the LMS would show course staff after grading."""
from django.http import HttpResponse
from django.utils.html import escape

from crosscheck_xblock.models import Work

from .models import GradebookEntry


def gradebook(request):
    """An HTML table of every score received through score_set, newest first."""
    names = dict(Work.objects.values_list("student_id", "username"))
    rows = "".join(
        f"<tr><td>{escape(names.get(e.anonymous_user_id) or e.anonymous_user_id)}</td>"
        f"<td>{escape(e.item_id)}</td><td>{e.points_earned} / {e.points_possible}</td>"
        f"<td>{e.created_at:%Y-%m-%d %H:%M:%S}</td></tr>"
        for e in GradebookEntry.objects.all()[:1000])
    return HttpResponse(
        "<!doctype html><title>Gradebook</title><h1>Gradebook (scores received via score_set)</h1>"
        "<table border=1 cellpadding=4><tr><th>Learner</th><th>Block</th><th>Score</th><th>Received</th></tr>"
        f"{rows}</table><p><a href='/'>Back to the workbench</a></p>")
