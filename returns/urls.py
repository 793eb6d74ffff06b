from django.urls import path

from servicedesk.views import section_index

app_name = "returns"
urlpatterns = [
    path("", section_index("returns", "returns/index.html"), name="index"),
]
