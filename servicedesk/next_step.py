"""Who must act next on a case: one line on its page (task, roles, people), so a reader without
the button sees why nothing happens and whom to ask. The apps say what each state waits for."""

from dataclasses import dataclass, field

from .notifications import staff_of
from .roles import Role


@dataclass
class NextStep:
    task: str
    roles: list = field(default_factory=list)  # labels
    people: list = field(default_factory=list)  # names
    party: str = ""  # someone outside the staff: the merchant, the customer


def next_step(task, mall, roles=(), *, people=None, exclude=(), party=""):
    """`people` given (e.g. the assignee) names them; otherwise every active holder of `roles` in
    `mall`, minus `exclude` (the registrar who may not approve ...)."""
    if people is None:
        excluded = {user.pk for user in exclude if user is not None}
        holders = staff_of(mall, *roles).order_by("first_name", "username") if roles else []
        people = [user for user in holders if user.pk not in excluded]
    return NextStep(
        task=str(task),
        roles=[str(Role(role).label) for role in roles],
        people=[str(person) for person in people if person is not None],
        party=str(party),
    )
