"""Receives score_set like the LMS grades app does, and records it in the stand-in gradebook."""
from django.dispatch import receiver
from submissions.models import score_set

from .models import GradebookEntry


@receiver(score_set)
def record_score(sender, points_earned, points_possible, anonymous_user_id, course_id, item_id,  # noqa: ARG001
                 created_at, **kwargs):  # noqa: ARG001 - score_set's signature
    """Store the delivered score."""
    GradebookEntry.objects.create(
        anonymous_user_id=anonymous_user_id, course_id=course_id, item_id=item_id,
        points_earned=points_earned, points_possible=points_possible, created_at=created_at)
