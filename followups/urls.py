from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("", views.worklist, name="index"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback"),
    path("callbacks/<int:pk>/visit/", views.home_visit_plan, name="visit_plan"),
    path("callbacks/<int:pk>/visit/done/", views.home_visit_done, name="visit_done"),
    path("callbacks/<int:pk>/visit/photos/<int:photo_pk>/", views.home_visit_photo, name="visit_photo"),
    path("register/", views.callback_register, name="register"),
    path("sales/import/", views.sales_import, name="sales_import"),
    path("sales/import/<int:pk>/", views.import_progress, name="import_progress"),
    path("sales/import/<int:pk>/status/", views.import_status, name="import_status"),
]
