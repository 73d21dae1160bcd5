"""How staff-facing answers name learners. Learners never see these names.

A work keeps its author's username only until the LMS retires the account
(services/retirement.py clears it); after that staff see the anonymous id.
"""
from ..models import Work
from .guard import guarded


def staff_name(work: Work) -> str:
    """The learner's username for staff, else their anonymous id."""
    return name_of(work.username, work.student_id)


def name_of(username: str, student_id: str) -> str:
    """`staff_name` of a work read as columns (username, student_id), not as a model."""
    return username or student_id


@guarded
def usernames(student_ids: list[str]) -> dict[str, str]:
    """{anonymous id: username} of the learners with a work in any task (the workbench's stand-in
    gradebook page names learners with it; the LMS knows its users itself)."""
    return {student_id: username for student_id, username in
            Work.objects.filter(student_id__in=student_ids).exclude(username="")
            .values_list("student_id", "username")}
