"""Shared machinery of the rule tests: every role (and nobody) of a mall, and one attempt at a
service call that is rolled back whatever happens, so one record serves every role in turn.

The expectations themselves are never here: each test module writes its own table out by hand
from DOMAIN.md (strings, not the code's enums or tables), so breaking a rule in the code cannot
move the expectation with it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from servicedesk.roles import Role
from tests.factories import UserFactory, make_staff

# Every role of DESIGN.md, written out, plus "none": a signed-in user with no role in the mall.
ROLES = (
    "front_desk",
    "complaint_officer",
    "price_tag_officer",
    "clerk",
    "supervisor",
    "manager",
    "head_office",
    "admin",
)
EVERYONE = (*ROLES, "none")
# The roles that do things in a mall, held in another mall: never allowed on this mall's records.
ELSEWHERE = ("front_desk", "complaint_officer", "clerk", "supervisor", "manager")
OUTSIDERS = tuple(f"elsewhere-{role}" for role in ELSEWHERE)


def people(mall, other_mall=None, prefix="p"):
    """{role: user holding it in `mall`}, "none" with no role, and for isolation
    "elsewhere-<role>": the mall roles held in another mall (they may do nothing here)."""
    users = {role: make_staff(Role(role), mall, username=f"{prefix}-{role}") for role in ROLES}
    users["none"] = UserFactory(username=f"{prefix}-none")
    if other_mall is not None:
        for role in ELSEWHERE:
            users[f"elsewhere-{role}"] = make_staff(Role(role), other_mall, username=f"{prefix}-elsewhere-{role}")
    return users


class _Undo(Exception):
    def __init__(self, value):
        self.value = value


def attempt(call):
    """("done", result) | ("denied", message) | ("refused", message); the database is left as it
    was in every case (the call runs in a savepoint that is always rolled back)."""
    try:
        with transaction.atomic():
            result = call()
            if hasattr(result, "refresh_from_db") and getattr(result, "pk", None):
                result.refresh_from_db()
            raise _Undo(result)
    except _Undo as undo:
        return "done", undo.value
    except PermissionDenied as error:
        return "denied", str(error)
    except ValidationError as error:
        return "refused", " ".join(error.messages)


def expected_outcome(allowed, role):
    return "done" if role in allowed else "denied"
