"""The stand-in gradebook: one row per score the LMS would have received."""
from django.db import models


class GradebookEntry(models.Model):
    """A score delivered by edx-submissions' score_set signal (what the LMS gradebook stores)."""

    anonymous_user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    item_id = models.CharField(max_length=255)
    points_earned = models.IntegerField()
    points_possible = models.IntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
