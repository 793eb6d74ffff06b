from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .errors import not_found

app_name = "api"

REF = "<str:reference>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.Me.as_view(), name="me"),
    path("complaints/", views.ComplaintFeed.as_view(), name="complaint-list"),
    path("complaints/" + REF, views.ComplaintDetail.as_view(), name="complaint-detail"),
    path("returns/", views.ReturnFeed.as_view(), name="return-list"),
    path("returns/" + REF, views.ReturnDetail.as_view(), name="return-detail"),
    path("compensations/", views.CompensationFeed.as_view(), name="compensation-list"),
    path("compensations/" + REF, views.CompensationDetail.as_view(), name="compensation-detail"),
    path("merchants/", views.MerchantFeed.as_view(), name="merchant-list"),
    path("merchants/" + REF, views.MerchantDetail.as_view(), name="merchant-detail"),
    path("sales/", views.SalesPush.as_view(), name="sales"),
    path("referrals/", views.ReferralCollection.as_view(), name="referral-list"),
    path("referrals/" + REF, views.ReferralDetail.as_view(), name="referral-detail"),
    path("webhooks/", views.WebhookCollection.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", views.WebhookDetail.as_view(), name="webhook-detail"),
    re_path(r"^.*$", not_found),
]
