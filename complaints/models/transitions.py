"""The complaint's state machine as a table you can read: (state, action) -> (new state, who may).

`None` as the state is the moment of registration. An action not in the table is refused,
whoever asks (servicedesk.workflow.lock_and_check). Rules that need the record (a reason, a
callback, the 30-day reopening window) are checked by the service of that action.
"""

from django.utils.translation import gettext_lazy as _

from servicedesk.roles import MERCHANT_PARTY, Role
from servicedesk.workflow import Transitions

from .choices import Action as A
from .choices import Status as S
from .staff import StaffAction
from .staff import StaffComplaintStatus as SS

DESK = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER)
# Supervisors handle complaints themselves too (escalations, small malls), so whatever an
# officer may do a supervisor may do.
OFFICER = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
SUPERVISOR = (Role.SUPERVISOR,)

_WORKING = (S.ASSIGNED, S.WITH_MERCHANT, S.PROPOSED)

TRANSITIONS = Transitions(
    {
        # API clients register the 12315/12345 referrals their platform sends (api.services).
        (None, A.REGISTER): (S.REGISTERED, (*DESK, Role.API_CLIENT)),
        **{(s, A.ACKNOWLEDGE): (s, OFFICER) for s in (S.REGISTERED, S.ASSIGNED, S.WITH_MERCHANT)},
        # The customer did not know the merchant at intake; the officer finds out who it was.
        **{(s, A.IDENTIFY_MERCHANT): (s, OFFICER) for s in (S.REGISTERED, *_WORKING)},
        (S.REGISTERED, A.ASSIGN): (S.ASSIGNED, SUPERVISOR),
        # Re-assigning keeps the complaint where it is.
        **{(s, A.ASSIGN): (s, SUPERVISOR) for s in _WORKING},
        (S.REGISTERED, A.TAKE): (S.ASSIGNED, (Role.COMPLAINT_OFFICER,)),
        (S.ASSIGNED, A.FORWARD): (S.WITH_MERCHANT, OFFICER),
        # The officer records what the merchant said, or the merchant answers in its portal.
        (S.WITH_MERCHANT, A.MERCHANT_REPLY): (S.WITH_MERCHANT, (*OFFICER, MERCHANT_PARTY)),
        (S.ASSIGNED, A.PROPOSE): (S.PROPOSED, OFFICER),
        (S.WITH_MERCHANT, A.PROPOSE): (S.PROPOSED, OFFICER),
        (S.PROPOSED, A.RESOLVE): (S.RESOLVED, OFFICER),
        (S.PROPOSED, A.REJECT_PROPOSAL): (S.ASSIGNED, OFFICER),
        # A referral outside ends with the outcome the regulator or court reached.
        (S.EXTERNAL, A.RESOLVE): (S.RESOLVED, OFFICER),
        (S.REGISTERED, A.NOT_ACCEPT): (S.NOT_ACCEPTED, SUPERVISOR),
        (S.ASSIGNED, A.NOT_ACCEPT): (S.NOT_ACCEPTED, SUPERVISOR),
        **{(s, A.WITHDRAW): (S.WITHDRAWN, OFFICER) for s in (S.REGISTERED, *_WORKING, S.EXTERNAL)},
        **{(s, A.PAUSE): (s, OFFICER) for s in _WORKING},
        **{(s, A.RESUME): (s, OFFICER) for s in _WORKING},
        **{(s, A.ESCALATE): (S.ESCALATED, OFFICER) for s in _WORKING},
        **{(s, A.REFER): (S.EXTERNAL, OFFICER) for s in (S.REGISTERED, *_WORKING)},
        (S.RESOLVED, A.CALL_BACK): (S.CALLED_BACK, OFFICER),
        (S.RESOLVED, A.CALLBACK_FAILED): (S.RESOLVED, OFFICER),
        # An unsatisfied callback within 30 days of resolution goes back to the assignee.
        (S.CALLED_BACK, A.REOPEN): (S.ASSIGNED, OFFICER),
        (S.CALLED_BACK, A.CLOSE): (S.CLOSED, SUPERVISOR),
        # Only after three failed callback attempts (checked by the service).
        (S.RESOLVED, A.CLOSE): (S.CLOSED, SUPERVISOR),
    },
    states=S,
    actions=A,
    refused=_("“%(action)s” is not possible while the complaint is “%(status)s”."),
    before=_("not yet registered"),
)

# 顾客电话投诉员工登记表: the call is taken, the handler records the action and answer, the
# manager signs off.
STAFF_TAKERS = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
STAFF_HANDLERS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
STAFF_TRANSITIONS = Transitions(
    {
        (None, StaffAction.REGISTER): (SS.OPEN, STAFF_TAKERS),
        (SS.OPEN, StaffAction.ANSWER): (SS.ANSWERED, STAFF_HANDLERS),
        (SS.ANSWERED, StaffAction.SIGN_OFF): (SS.SIGNED_OFF, (Role.MANAGER,)),
    },
    states=SS,
    actions=StaffAction,
)
