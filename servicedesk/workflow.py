"""State machines as tables: (state, action) -> (new state, roles who may).

Services call `transition_for` before changing a record's status; a move not in the table, or
by a role the table does not name, is refused with a message whatever the caller.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .access import roles_in
from .roles import MERCHANT_PARTY, Role
from .texts import join_names


class TransitionRefused(ValidationError):
    """The action is not allowed from the record's current state."""


def transition_for(table, *, state, action, actor, mall, labels=None, state_label=None, merchant_party=False):
    """The new state for `action` from `state`, after checking the actor's role in `mall`.

    `merchant_party=True`: the caller has checked that the actor is the merchant's own user and
    the record is its merchant's (merchants.accounts.require_merchant_of); the table must then name
    MERCHANT_PARTY for this move."""
    try:
        new_state, roles = table[(state, action)]
    except KeyError:
        name = (labels or {}).get(action, action)
        raise TransitionRefused(
            _("“%(action)s” is not possible while the record is “%(state)s”.")
            % {"action": name, "state": state_label or state},
            code="transition_refused",
        ) from None
    if merchant_party:
        if MERCHANT_PARTY not in roles:
            raise PermissionDenied(_("The merchant cannot do this."))
        return new_state
    if not (set(roles) & roles_in(actor, mall)):
        names = join_names(Role(role).label for role in roles if role in Role.values)
        raise PermissionDenied(_("Only %(roles)s may do this.") % {"roles": names})
    return new_state
