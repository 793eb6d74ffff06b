from django.urls import path

from . import views

app_name = "merchants"
urlpatterns = [
    path("", views.merchant_list, name="index"),
    path("new/", views.merchant_register_view, name="register"),
    path("import/", views.roster_import, name="import"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_record_view, name="inspection_new"),
    path("inspections/<int:pk>/fixed/", views.inspection_fixed, name="inspection_fixed"),
    path("inspections/<int:pk>/notice/", views.inspection_notice, name="inspection_notice"),
    path("<int:pk>/", views.merchant_detail, name="detail"),
    path("<int:pk>/edit/", views.merchant_edit, name="edit"),
    path("<int:pk>/exit/", views.merchant_exit_view, name="exit"),
    path("<int:pk>/exit/confirm/", views.merchant_confirm_exit_view, name="confirm_exit"),
    path("<int:pk>/action/<slug:action>/", views.merchant_transition, name="transition"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_id>/", views.document_file, name="document_file"),
    path("<int:pk>/deposit/", views.deposit_entry_add, name="deposit_add"),
    path("<int:pk>/booths/", views.booth_add, name="booth_add"),
    path("<int:pk>/flag/clear/", views.merchant_flag_clear, name="flag_clear"),
    path("<int:pk>/users/", views.merchant_users, name="users"),
    path("<int:pk>/users/<int:account_pk>/deactivate/", views.merchant_user_deactivate, name="user_deactivate"),
    path("<int:pk>/print/", views.merchant_file, name="print_file"),
    path("<int:pk>/print/exit-checklist/", views.exit_checklist, name="print_exit_checklist"),
]
