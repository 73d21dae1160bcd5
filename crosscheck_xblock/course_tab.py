"""The course tab "Cross-checks" in the LMS: a link to the course overview page (views.py).

Registered under the entry point `openedx.course_tab`, the platform's plugin mechanism for course
tabs (edx-platform `openedx/core/lib/course_tabs.py`, CourseTabPluginManager). It is a *dynamic*
tab (`is_dynamic`): the LMS adds it to each learner's tab list when `is_enabled` says so
(lms/djangoapps/courseware/tabs.py, `_get_dynamic_tabs`), so no course needs editing and no tab is
stored in the course; the learning MFE shows it with the course's other tabs and opens its URL.
It shows for learners enrolled in the course (and its staff) when the course has a cross-check.

Only the platform imports this module (xmodule exists only there); nothing else in the package does.
"""
from xmodule.tabs import CourseTab

from . import compat, i18n, services
from .i18n import N_


class CrossCheckCourseTab(CourseTab):
    """The "Cross-checks" tab: the learner's cross-checks of the course, newest first (S4)."""

    type = "crosscheck"
    title = N_("Cross-checks")
    priority = 65  # after the platform's own tabs (Progress 40, Dates 50, Discussion 60)
    view_name = "crosscheck:course_overview"
    is_dynamic = True
    is_default = False
    is_hideable = False
    is_movable = False

    def __init__(self, tab_dict):
        super().__init__(tab_dict)
        # The LMS's catalogs do not hold this package's texts: the tab names itself in the
        # request's language from the package's own catalog.
        language = i18n.language_code(compat.current_language())
        self.name = self.title = i18n.catalog(language).gettext(type(self).title)

    @classmethod
    def is_enabled(cls, course, user=None):
        """Shown to enrolled learners and course staff of a course that has a cross-check."""
        if user is not None and not compat.may_see_course(user, course.id):
            return False
        return services.course_has_tasks(str(course.id))
