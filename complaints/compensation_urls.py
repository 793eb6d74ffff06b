from django.urls import path

from servicedesk.views import section_index

app_name = "compensations"
urlpatterns = [
    path("", section_index("compensations", "compensations/index.html"), name="index"),
]
