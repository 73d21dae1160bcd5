"""xblock-sdk's URLs, the plugin's pages as the LMS includes them, the index with their links, and the
stand-in gradebook page."""
from django.urls import path, re_path
from edx_django_utils.plugins import get_plugin_url_patterns
from workbench.urls import urlpatterns as workbench_urlpatterns

from cc_workbench.phone import phone
from cc_workbench.views import gradebook, index

# The plugin's URLs (crosscheck_xblock/urls.py under /crosscheck/, namespace "crosscheck") come in
# through edx-django-utils from the app's plugin_app, exactly as the LMS's urls.py adds them.
urlpatterns = [re_path(r"^$", index, name="crosscheck_index"),
               path("gradebook/", gradebook, name="crosscheck_gradebook"),
               # The workbench demo's stand-in phones (Telegram chats; issue 14).
               path("phone/", phone, name="crosscheck_phone"),
               path("phone/<str:bot>", phone, name="crosscheck_phone_link"),
               *get_plugin_url_patterns("lms.djangoapp"), *workbench_urlpatterns]
