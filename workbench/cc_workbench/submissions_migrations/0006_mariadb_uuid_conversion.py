"""Stands in for edx-submissions' 0006 on MariaDB: a fresh database needs no conversion (see __init__)."""
from django.db import migrations


class Migration(migrations.Migration):
    """No-op with the upstream name and place in the graph, so 0007 and later still apply."""

    dependencies = [("submissions", "0005_CreateTeamModel")]
    operations = []
