from django.urls import path

from .views import cases, registers

app_name = "compensations"
urlpatterns = [
    path("", registers.inbox, name="index"),
    path("register/", registers.compensation_register, name="register"),
    path("register/export.xlsx", registers.compensation_register_export, name="register_export"),
    path("new/<int:complaint_pk>/", cases.compensation_propose_view, name="propose"),
    path("<int:pk>/", cases.compensation_detail, name="detail"),
    path("<int:pk>/decide/", cases.compensation_decide_view, name="decide"),
    path("<int:pk>/pay/", cases.compensation_pay_view, name="pay"),
    path("<int:pk>/recovery/", cases.compensation_recovery_view, name="recovery"),
    path("<int:pk>/write-off/", cases.compensation_write_off_view, name="write_off"),
    path("<int:pk>/close/", cases.compensation_close_view, name="close"),
    path("<int:pk>/form/", cases.compensation_approval, name="compensation_approval"),
    path("<int:pk>/form.pdf", cases.compensation_approval_pdf, name="compensation_approval_pdf"),
    path("<int:pk>/receipt/", cases.receipt_download, name="receipt"),
    path("<int:pk>/customer-receipt/", cases.compensation_customer_receipt, name="customer_receipt"),
    path("<int:pk>/evidence/<int:evidence_pk>/", cases.evidence_download, name="evidence"),
]
