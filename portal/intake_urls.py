from django.urls import path

from . import intake_views as views

app_name = "intake"
urlpatterns = [
    path("<str:mall_code>/", views.start, name="start"),
    path("<str:mall_code>/code/", views.code, name="code"),
    path("<str:mall_code>/complaint/", views.complaint, name="complaint"),
    path("<str:mall_code>/return/", views.return_request, name="return"),
]
