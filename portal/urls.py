from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("<str:token>/", views.case, name="case"),
    path("<str:token>/photos/<int:pk>/", views.photo, name="photo"),
]
