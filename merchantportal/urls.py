from django.urls import path

from . import views

app_name = "merchantportal"
urlpatterns = [
    path("", views.home, name="home"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/files/<int:attachment_pk>/", views.complaint_file, name="complaint_file"),
    path("returns/", views.return_list, name="returns"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/photos/<int:photo_pk>/", views.return_photo, name="return_photo"),
    path("exchanges/", views.exchange_list, name="exchanges"),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange"),
    path("price-tags/", views.price_tag_list, name="price_tags"),
    path("price-tags/<int:pk>/", views.price_tag_detail, name="price_tag"),
    path("price-tags/<int:pk>/photos/<int:photo_pk>/", views.price_tag_photo, name="price_tag_photo"),
    path("deposit/", views.deposit, name="deposit"),
    path("exit/", views.exit_checklist, name="exit"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
