from django.urls import path

from . import views

app_name = "merchantportal"
urlpatterns = [
    path("", views.home, name="home"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/files/<int:attachment_pk>/", views.complaint_file, name="complaint_file"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
