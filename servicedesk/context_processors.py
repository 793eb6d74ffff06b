from .access import all_roles, reads_all_malls, roles_in
from .customer_records import shortcuts_for
from .middleware import switcher_rows
from .navigation import navbar_sections, sections_for
from .notifications import unread_count
from .roles import Role

# A role's place in Role's declaration: the order the home page lists the user's roles in.
_ROLE_ORDER = {role: index for index, role in enumerate(Role)}


def desk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mall = getattr(request, "mall", None)
    everywhere = all_roles(user)
    roles = roles_in(user, mall) if mall else everywhere
    sections = sections_for(everywhere, user.is_superuser)
    return {
        "current_mall": mall,
        "reads_all_malls": reads_all_malls(user),
        "unread_notifications": unread_count(user),
        "current_roles": sorted(roles, key=_ROLE_ORDER.__getitem__),
        "nav_sections": navbar_sections(sections, everywhere),
        # The phone search in the navbar, for the roles that look customers up.
        "can_find_customers": any(section.key == "customers" for section in sections),
        "desk_shortcuts": shortcuts_for(user, mall),
        # (pk, code, name) rows, not Mall objects: head office switches among every mall of the
        # chain, read lazily when the switcher is drawn; a mall's staff's come from their
        # memberships (issue #22).
        "switchable_malls": switcher_rows(user),
    }
