from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="index"),
    path("new/", views.return_new, name="new"),
    path("eligibility/", views.eligibility_preview, name="eligibility"),
    path("summary/", views.return_summary, name="summary"),
    path("<int:pk>/", views.return_detail, name="detail"),
    path("<int:pk>/slip/", views.return_slip, name="slip"),
    path("<int:pk>/slip.pdf", views.return_slip_pdf, name="slip_pdf"),
    path("<int:pk>/photos/<int:photo_pk>/", views.return_photo, name="photo"),
    path("<int:pk>/<slug:action>/", views.return_action, name="action"),
]
