from django.urls import path

from . import views

app_name = "drivers"
urlpatterns = [
    path("", views.run_list, name="index"),
    path("new/", views.run_new, name="new"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/sheet/", views.run_sheet, name="sheet"),
    path("today/", views.today, name="today"),
    path("stops/<int:pk>/done/", views.stop_done, name="stop_done"),
    path("stops/<int:pk>/photo/", views.stop_photo, name="stop_photo"),
    path("stops/<int:pk>/cancel/", views.stop_cancel, name="stop_cancel"),
]
