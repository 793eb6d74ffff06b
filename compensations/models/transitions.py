"""The compensation's state machine as a table you can read: (state, action) -> (new state, who may).

`None` as the state is the moment of proposal. Where an action can end in more than one state,
the new state is the tuple of them and the service picks by the record (servicedesk.workflow.pick):
an approval leaves the case `proposed` until the last tier of its chain has signed; the deduction
at payout ends in `recovered`, `partly_recovered` or `recovering` by how much of the amount the
deposit covered.
Which approver may sign a given step is narrowed further by the tier (see policy.TIER_ROLES).
"""

from servicedesk.roles import Role
from servicedesk.workflow import Transitions

from .choices import Action as A
from .choices import Status as S

PROPOSERS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
APPROVERS = (Role.MANAGER, Role.HEAD_OFFICE)
# The clerk pays out at the cashier's desk; the manager may do it in a small mall.
PAYERS = (Role.CLERK, Role.MANAGER)
WRITERS_OFF = (Role.MANAGER,)
CLOSERS = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER)

_RECOVERY = (S.RECOVERED, S.PARTLY_RECOVERED, S.RECOVERING)

TRANSITIONS = Transitions(
    {
        (None, A.PROPOSE): (S.PROPOSED, PROPOSERS),
        (S.PROPOSED, A.APPROVE): ((S.PROPOSED, S.APPROVED), APPROVERS),
        (S.PROPOSED, A.REJECT): (S.REJECTED, APPROVERS),
        # Nothing is paid before the final approval: there is no (PROPOSED, PAY).
        (S.APPROVED, A.PAY): (S.PAID, PAYERS),
        # Part of the payout, in the same transaction: the deposit is taken at once.
        (S.PAID, A.DEDUCT): (_RECOVERY, PAYERS),
        (S.RECOVERING, A.RECORD_RECOVERY): (_RECOVERY, PAYERS),
        (S.PARTLY_RECOVERED, A.RECORD_RECOVERY): (_RECOVERY, PAYERS),
        (S.RECOVERING, A.WRITE_OFF): (S.WRITTEN_OFF, WRITERS_OFF),
        (S.PARTLY_RECOVERED, A.WRITE_OFF): (S.WRITTEN_OFF, WRITERS_OFF),
        (S.RECOVERED, A.CLOSE): (S.CLOSED, CLOSERS),
        (S.WRITTEN_OFF, A.CLOSE): (S.CLOSED, CLOSERS),
    },
    states=S,
    actions=A,
)
