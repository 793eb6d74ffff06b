from django.urls import path

from . import views

app_name = "exchanges"
urlpatterns = [
    path("", views.exchange_list, name="index"),
    path("new/", views.exchange_new, name="new"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/slip/", views.exchange_slip, name="slip"),
    path("<int:pk>/slip.pdf", views.exchange_slip_pdf, name="slip_pdf"),
    path("<int:pk>/<slug:action>/", views.exchange_action, name="action"),
]
