from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("weekly/", views.weekly, name="weekly"),
    path("rollup/", views.rollup_view, name="rollup"),
    path("appraisal/", views.appraisal_view, name="appraisal"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:pk>/", views.archive_download, name="archive_download"),
    path("exports/<int:pk>/", views.export_page, name="export"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
