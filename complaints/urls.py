from django.urls import path

from .views import handling, intake, registers, staff

app_name = "complaints"
urlpatterns = [
    path("", registers.complaint_register_view, name="index"),
    path("mine/", registers.my_work, name="my_work"),
    path("new/", intake.complaint_intake, name="intake"),
    path("customer-lookup/", intake.customer_lookup, name="customer_lookup"),
    path("register/print/", registers.complaint_register_print, name="register_print"),
    path("register/export.xlsx", registers.complaint_register_export, name="register_export"),
    path("merchant/<int:merchant_pk>/", registers.merchant_complaints, name="merchant"),
    path("<int:pk>/", handling.complaint_detail, name="detail"),
    path("<int:pk>/do/<str:action>/", handling.complaint_act, name="act"),
    path("<int:pk>/log/", handling.complaint_log_add, name="log"),
    path("<int:pk>/customer-messages/", handling.customer_message_add, name="customer_message"),
    path("<int:pk>/customer-photos/<int:message_pk>/", handling.customer_photo, name="customer_photo"),
    path("<int:pk>/slip/", handling.intake_slip, name="slip"),
    path("<int:pk>/slip.pdf", handling.intake_slip_pdf, name="slip_pdf"),
    path("<int:pk>/form/", handling.complaint_form_print, name="form_print"),
    path("<int:pk>/forward-notice/", handling.forward_notice_print, name="forward_notice"),
    path("<int:pk>/attachments/<int:attachment_pk>/", handling.attachment_download, name="attachment"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("staff/print/", staff.staff_register_print, name="staff_print"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/sign-off/", staff.staff_sign_off, name="staff_sign_off"),
]
