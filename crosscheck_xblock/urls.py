"""The plugin's URLs in the LMS, under `/crosscheck/` (apps.py `plugin_app["url_config"]`, namespace
`crosscheck`). A plain list of paths: other pages of the plugin are added here the same way."""
from django.urls import path

from . import views

urlpatterns = [
    path("courses/<str:course_id>/", views.course_overview, name="course_overview"),
    path("telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
    # A staff export's signed, short-lived download link (staff_export redirects here; downloads.py).
    path("exports/<str:token>/", views.export_download, name="export_download"),
]
