from django.urls import path

from . import views

app_name = "frontdesk"
urlpatterns = [
    path("", views.index, name="index"),
    path("broadcast/", views.broadcast_day, name="broadcast"),
    path("broadcast/plays/<int:pk>/tick/", views.play_tick, name="play_tick"),
    path("broadcast/announce/", views.announcement_add, name="announce"),
    path("broadcast/programme/", views.programme, name="programme"),
    path("broadcast/programme/generate/", views.programme_generate, name="programme_generate"),
    path("broadcast/slots/new/", views.slot_add, name="slot_new"),
    path("broadcast/slots/<int:pk>/approve/", views.slot_approve, name="slot_approve"),
    path("broadcast/slots/<int:pk>/retire/", views.slot_retire, name="slot_retire"),
    path("broadcast/scripts/", views.script_list, name="scripts"),
    path("broadcast/scripts/new/", views.script_edit, name="script_new"),
    path("broadcast/scripts/<int:pk>/", views.script_edit, name="script"),
    path("broadcast/print/", views.print_programme, name="print_programme"),
    path("intake-poster/", views.intake_poster, name="intake_poster"),
    path("handovers/", views.handover_list, name="handovers"),
    path("handovers/new/", views.handover_new, name="handover_new"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover"),
    path("log/print/", views.print_desk_log, name="print_desk_log"),
    path("log/sign/", views.log_sign, name="log_sign"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/finish/", views.matter_finish, name="matter_finish"),
    path("roster/", views.roster_list, name="rosters"),
    path("roster/<int:pk>/", views.roster_detail, name="roster"),
    path("roster/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("roster/<int:pk>/print/", views.roster_print, name="roster_print"),
    path("enquiries/", views.enquiry_list, name="enquiries"),
    path("enquiries/<int:pk>/convert/<slug:kind>/", views.enquiry_convert, name="enquiry_convert"),
    path("spot-checks/", views.spot_check_list, name="spot_checks"),
    path("spot-checks/new/", views.spot_check_new, name="spot_check_new"),
    path("spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check"),
]
