from django.urls import path

from servicedesk.views import section_index

app_name = "complaints"
urlpatterns = [
    path("", section_index("complaints", "complaints/index.html"), name="index"),
]
