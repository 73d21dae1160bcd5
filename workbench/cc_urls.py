"""xblock-sdk's URLs plus the stand-in gradebook page."""
from django.urls import path
from workbench.urls import urlpatterns as workbench_urlpatterns

from cc_workbench.views import gradebook

urlpatterns = [path("gradebook/", gradebook, name="crosscheck_gradebook"), *workbench_urlpatterns]
