from django.urls import path

from servicedesk.views import section_index

app_name = "followups"
urlpatterns = [
    path("", section_index("followups", "followups/index.html"), name="index"),
]
