"""State machines as tables: (state, action) -> (new state, who may), one dialect for every app.

Each app's models declare its machine as a `Transitions` table over its `Status` and `Action`
`TextChoices`. Every service that moves a record goes through `lock_and_check` (or, where the
service must look at the locked row before the table, `lock` then `check`): the row is re-read
under a row lock and the move is checked against the table and the actor's role. A move not in
the table is refused with `TransitionRefused`, whatever the caller; a role the table does not
name gets `PermissionDenied`. Pages list what a user may do with `allowed_actions`, from the same
table, so a button is shown exactly when the service would accept it (state and role; the
further rules a service checks on the record are not repeated here).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import require_role
from .roles import MERCHANT_PARTY


class _Customer:
    """The customer acting through their case link (the token, checked by the caller, is the
    authority): the one actor that is not a user with roles. A named marker, so that a
    forgotten actor (None) is an error and never passes as the customer."""

    def __repr__(self):
        return "CUSTOMER"


CUSTOMER = _Customer()


class TransitionRefused(ValidationError):
    """The action is not in the table for the record's current state (the one refusal of every
    state machine; views turn it into a message like any ValidationError)."""


class Transitions(dict):
    """`{(state, action): (new state, roles)}` with the choices its states and actions come from.

    `None` as the state is the moment the record is created. The new state is one state; where
    the record decides the end (an approval that is the last signature or not, a deduction that
    covers all, part or none of the amount), it is the tuple of the states the service may pick,
    and `pick` checks the service's choice against it. `refused` words the refusal when the
    generic one reads badly for this machine (it gets `action` and `state`, also as `status`);
    `before` names the `None` state in it.
    """

    def __init__(self, moves, *, states, actions, refused=None, before=None):
        super().__init__(moves)
        self.states = states
        self.actions = actions
        self.refused = refused
        self.before = before
        for state, action in self:
            if not isinstance(action, actions):
                raise TypeError(f"{action!r} is not one of {actions.__name__}")
            if state is not None and state not in states.values:
                raise TypeError(f"{state!r} is not one of {states.__name__}")

    def derive(self, moves):
        """Another table over the same states and actions (e.g. the same moves by other roles)."""
        return Transitions(moves, states=self.states, actions=self.actions, refused=self.refused, before=self.before)

    def roles_for(self, action):
        """Every role that may take `action` from some state (the state is checked by the service)."""
        return {role for (_state, name), (_new, roles) in self.items() if name == action for role in roles}

    def label_of(self, state):
        if state:
            return self.states(state).label
        return self.before or gettext_lazy("not yet created")


def refusal(table, state, action):
    name = table.actions(action).label if action in table.actions.values else action
    label = table.label_of(state)
    words = {"action": name, "state": label, "status": label}
    if table.refused is not None:
        return TransitionRefused(table.refused % words, code="transition_refused")
    return TransitionRefused(
        _("“%(action)s” is not possible while the record is “%(state)s”.") % words, code="transition_refused"
    )


def check(table, *, state, action, actor, mall, merchant_party=False):
    """The new state for `action` from `state`, after checking who acts.

    Staff need one of the table's roles in `mall`. `merchant_party=True`: the caller has checked
    that the actor is the merchant's own user and the record is its merchant's
    (merchants.accounts.merchants_own); the table must then name MERCHANT_PARTY. `actor=CUSTOMER`:
    the customer through their case link, whose token the caller has checked; only the state is
    checked. There is no default: `actor=None` is a caller's mistake (TypeError), not the customer."""
    if actor is None:
        raise TypeError("name who acts: a user, or servicedesk.workflow.CUSTOMER for the customer's link")
    try:
        new_state, roles = table[(state, action)]
    except KeyError:
        raise refusal(table, state, action) from None
    if merchant_party:
        if MERCHANT_PARTY not in roles:
            raise PermissionDenied(_("The merchant cannot do this."))
    elif actor is not CUSTOMER:
        require_role(actor, mall, *roles)
    return new_state


def lock(record, *related):
    """Re-read `record` under a lock on its own row only (not the mall or other joined rows, and
    not a key lock: no key changes), so the state we act on is the state that is saved."""
    queryset = type(record)._default_manager.select_for_update(of=("self",), no_key=True)
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=record.pk)


def lock_and_check(record, table, action, actor, *, related=("mall",), merchant_party=False):
    """Lock the row, then check the move against the table and the actor: (fresh row, new state).

    The caller's copy may be stale (a colleague may have moved the record since the page was
    drawn); the table is checked against the locked row. `table` may be a callable that picks
    the table by the row (the chain's articles and a mall's have different editors);
    `merchant_party` may be a callable `(actor, row)` that says whether the actor is the row's
    merchant's own user (merchants.accounts.merchants_own), asked of the locked row."""
    fresh = lock(record, *related)
    if callable(table) and not isinstance(table, Transitions):
        table = table(fresh)
    if callable(merchant_party):
        merchant_party = merchant_party(actor, fresh)
    new_state = check(
        table,
        state=fresh.status,
        action=action,
        actor=actor,
        mall=getattr(fresh, "mall_id", None),
        merchant_party=merchant_party,
    )
    return fresh, new_state


def pick(outcome, new_state):
    """The state the service chose must be one the table allows for the move (a bug otherwise)."""
    allowed = new_state if isinstance(new_state, tuple) else (new_state,)
    if outcome not in allowed:
        raise RuntimeError(f"{outcome} is not an outcome the transition table allows: {allowed}")
    return outcome


def allowed_actions(table, state, roles=None):
    """The actions the table allows from `state`, in the order of the Action choices; with
    `roles` (the user's roles in the record's mall), only those one of the roles may take."""
    held = None if roles is None else set(roles)
    return [
        action
        for action in table.actions
        if (state, action) in table and (held is None or held & set(table[(state, action)][1]))
    ]
