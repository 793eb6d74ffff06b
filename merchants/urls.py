from django.urls import path

from . import views

app_name = "merchants"
urlpatterns = [
    path("", views.merchant_list, name="index"),
]
