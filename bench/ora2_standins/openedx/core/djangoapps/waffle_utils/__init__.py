"""The one edx-platform class edx-ora2's student view imports at run time (make bench-ora2 only).

ora2 asks `CourseWaffleFlag(name).is_enabled(course_key)` for each of its feature flags when the
block has a `location` (the workbench patches one in). The LMS's flag first looks for a course
override, then falls back to the waffle flag; no course here has an override, so this stand-in is
that fallback: edx-toggles' WaffleFlag (django-waffle's flag, cached per request).
"""
from edx_toggles.toggles import WaffleFlag


class CourseWaffleFlag(WaffleFlag):
    """edx-platform's CourseWaffleFlag without course overrides."""

    def is_enabled(self, course_key=None):  # noqa: ARG002 - the LMS's signature
        """The waffle flag's state, whatever the course."""
        return super().is_enabled()
