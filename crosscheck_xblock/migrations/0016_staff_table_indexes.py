"""Indexes for the staff table's sorts by reviews received and reviews done (issue 15)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("crosscheck_xblock", "0015_scores_queued_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["work", "submitted_at"], name="crosscheck_assign_received"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["reviewer", "extra", "submitted_at"], name="crosscheck_assign_done"),
        ),
    ]
