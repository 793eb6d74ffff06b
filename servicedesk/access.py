"""Who may see and do what, per mall. Every queryset, service and view asks these functions.

The user's memberships are read once per request and cached on the user object, so a page
that asks many times costs one query.
"""

from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import router
from django.utils.translation import gettext as _

from .fixedsql import FixedQuery
from .roles import Role
from .texts import join_names

_CACHE_ATTR = "_servicedesk_memberships"
_MALLS_ATTR = "_servicedesk_member_malls"


def memberships(user):
    """The user's active memberships as (mall_id, role) pairs; chain roles have mall_id None."""
    if not user or not user.is_authenticated:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        # The malls come in the same statement: every page of a mall's staff needs its current
        # mall and the navbar's list of the user's malls, which were two more queries (issue 22).
        # A statement compiled once per process (servicedesk/fixedsql.py): building and compiling
        # the join on every request cost more Python than any other part of a page's start.
        alias, rows = _membership_rows(user.pk)
        cached = tuple((mall_id, role) for mall_id, role, *_mall in rows)
        setattr(user, _MALLS_ATTR, {row[0]: _mall(alias, row[2:]) for row in rows if row[0] is not None})
        setattr(user, _CACHE_ATTR, cached)
    return cached


@cache
def _memberships_statement():
    from .models import Mall, StaffMembership

    # No ordering: the model's (mall code, username) ordering joined two tables for nothing.
    columns = ("mall_id", "role", *(f"mall__{field.attname}" for field in Mall._meta.concrete_fields))
    return FixedQuery(
        StaffMembership,
        lambda user_id: (
            StaffMembership.objects.filter(user_id=user_id).filter(is_active=True).order_by().values_list(*columns)
        ),
        ("user_id",),
    )


def _membership_rows(user_id):
    from .models import StaffMembership

    alias = router.db_for_read(StaffMembership)
    return alias, _memberships_statement().rows(user_id, using=alias)


def _mall(alias, values):
    from .models import Mall

    return Mall.from_db(alias, [field.attname for field in Mall._meta.concrete_fields], values)


def member_malls(user):
    """The malls of the user's active memberships, {mall id: Mall}, read with the memberships
    (no query of its own). Chain roles have none."""
    if not memberships(user):
        return {}
    return getattr(user, _MALLS_ATTR, {})


def forget_memberships(user):
    """Drop the per-request cache after memberships change."""
    for attr in (_CACHE_ATTR, _MALLS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def chain_roles(user):
    return {Role(role) for mall_id, role in memberships(user) if mall_id is None}


def reads_all_malls(user):
    return bool(user and user.is_authenticated and (user.is_superuser or chain_roles(user)))


def visible_mall_ids(user):
    """None means every mall (head office, admin); otherwise the set of the user's mall ids."""
    if reads_all_malls(user):
        return None
    return {mall_id for mall_id, _role in memberships(user) if mall_id is not None}


def roles_in(user, mall):
    """The roles the user holds in this mall, chain-wide roles included."""
    mall_id = getattr(mall, "pk", mall)
    return {Role(role) for m_id, role in memberships(user) if m_id is None or m_id == mall_id}


def has_role(user, mall, *roles):
    return bool(roles_in(user, mall) & set(roles))


def require_role(user, mall, *roles):
    """Refuse the action unless the user holds one of `roles` in `mall` (or chain-wide).

    Head office reads every mall but changes none: a service grants it write access only by
    naming Role.HEAD_OFFICE among `roles`.
    """
    if not has_role(user, mall, *roles):
        names = join_names(Role(role).label for role in roles if role in Role.values)
        raise PermissionDenied(_("Only %(roles)s may do this.") % {"roles": names})


def all_roles(user):
    return {Role(role) for _mall_id, role in memberships(user)}


def working_mall(request, *roles):
    """The mall the user works in now (the navbar's choice), if they hold one of `roles` there;
    else 403."""
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *roles):
        raise PermissionDenied(_("Choose a mall where your role may do this."))
    return mall
