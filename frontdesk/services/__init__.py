"""Every write of the front desk app. Views, tasks and other apps call these."""

from .broadcast import (
    announcement_add,
    default_scripts,
    flag_missed_broadcasts,
    play_tick,
    programme_draw_up,
    programme_generate_default,
    programmes_draw_up,
    script_create,
    script_revise,
    slot_add,
    slot_approve,
    slot_retire,
)
from .desk import (
    enquiry_mark_converted,
    enquiry_record,
    flag_unconfirmed_handovers,
    handover_confirm,
    handover_record,
)
from .duty import desk_log_sign, log_is_signed, matter_finish, matter_record
from .incidents import flag_overdue_incidents, incident_close, incident_follow_up, incident_record
from .roster import roster_draw_up, roster_publish, roster_set_duties
from .supervision import spot_check_record

__all__ = [
    "announcement_add",
    "default_scripts",
    "desk_log_sign",
    "enquiry_mark_converted",
    "enquiry_record",
    "flag_missed_broadcasts",
    "flag_overdue_incidents",
    "flag_unconfirmed_handovers",
    "handover_confirm",
    "handover_record",
    "incident_close",
    "incident_follow_up",
    "incident_record",
    "log_is_signed",
    "matter_finish",
    "matter_record",
    "play_tick",
    "programme_draw_up",
    "programme_generate_default",
    "programmes_draw_up",
    "roster_draw_up",
    "roster_publish",
    "roster_set_duties",
    "script_create",
    "script_revise",
    "slot_add",
    "slot_approve",
    "slot_retire",
    "spot_check_record",
]
