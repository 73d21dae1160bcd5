"""The plugin's Django views in the LMS: pages outside any block (see urls.py).

Each is thin like a handler: who asks (compat), one service call, the page. Data travels into the
page as an escaped JSON script element and is put into it with textContent (overview.js), so
nothing a course author or learner wrote can run as markup.
"""
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from . import clock, compat, i18n, pages, services
from .errors import CrossCheckError
from .handlers import json_script_tag


@require_safe
def course_overview(request, course_id: str):
    """`/crosscheck/courses/<course id>/`: the signed-in learner's cross-checks of the course, newest
    first (S4). Not signed in: 403 with a link to sign in; not enrolled: 403; no such course: 404."""
    language = i18n.language_code(compat.current_language())
    with i18n.active(i18n.catalog(language), language):
        init = {"language": language}
        status, viewer = 200, None
        try:
            viewer = compat.course_viewer(request, course_id)
            student_id = viewer.student_id if viewer is not None else None
            init["overview"] = services.course_overview(
                course_id, student_id, clock.now(),
                unit_url=lambda usage_key: compat.unit_url(usage_key, course_id, viewer))
        except CrossCheckError as err:
            status = err.status
            init.update(error=err.message, code=err.code,
                        login_url=compat.login_url(request) if err.code == "not_signed_in" else None)
        body = pages.course_page(json_script_tag(init, "cc-init"), compat.course_home_url(course_id, viewer))
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"  # the learner's own rows
    return response
