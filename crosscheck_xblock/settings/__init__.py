"""Django settings the plugin app adds to the LMS and Studio (edx-django-utils plugin settings)."""
