from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import two_factor_views, views

admin.site.site_header = "客服中心管理后台"
admin.site.site_title = "servicedesk"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/two-factor/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", two_factor_views.two_factor_verify_view, name="two_factor_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("status/", views.status_page, name="status"),
    path("switch-mall/", views.switch_mall, name="switch_mall"),
    path("customers/", include("servicedesk.customer_urls")),
    path("notifications/", include("servicedesk.notification_urls")),
    path("complaints/", include("complaints.urls")),
    path("compensations/", include("compensations.urls")),
    path("returns/", include("returns.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("merchants/", include("merchants.urls")),
    path("followups/", include("followups.urls")),
    path("frontdesk/", include("frontdesk.urls")),
    path("drivers/", include("drivers.urls")),
    path("reports/", include("reports.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("c/", include("portal.urls")),
    path("merchant/", include("merchantportal.urls")),
    path("m/", include("portal.intake_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "servicedesk.errors.bad_request"
handler403 = "servicedesk.errors.permission_denied"
handler404 = "servicedesk.errors.page_not_found"
handler500 = "servicedesk.errors.server_error"
