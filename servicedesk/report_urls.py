from django.urls import path

from .views import section_index

app_name = "reports"
urlpatterns = [
    path("", section_index("reports", "reports/index.html"), name="index"),
]
