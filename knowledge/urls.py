from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="index"),
    path("new/", views.article_new, name="new"),
    path("replies/", views.reply_picker, name="replies"),
    path("advisor/", views.advisor, name="advisor"),
    path("advisor/panel/", views.advisor_panel, name="advisor_panel"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/cite/", views.article_cite, name="cite"),
    path("<int:pk>/<slug:action>/", views.article_action, name="action"),
]
