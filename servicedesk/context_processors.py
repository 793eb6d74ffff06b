from .access import all_roles, reads_all_malls, roles_in
from .customer_records import shortcuts_for
from .middleware import switcher_rows
from .models import Notification
from .navigation import navbar_sections, sections_for


def desk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mall = getattr(request, "mall", None)
    roles = roles_in(user, mall) if mall else all_roles(user)
    sections = sections_for(all_roles(user), user.is_superuser)
    return {
        "current_mall": mall,
        "reads_all_malls": reads_all_malls(user),
        "unread_notifications": Notification.objects.for_recipient(user).unread().count(),
        "current_roles": sorted(roles, key=lambda role: list(type(role)).index(role)),
        "nav_sections": navbar_sections(sections, all_roles(user)),
        # The phone search in the navbar, for the roles that look customers up.
        "can_find_customers": any(section.key == "customers" for section in sections),
        "desk_shortcuts": shortcuts_for(user, mall),
        # (pk, code, name) rows, not Mall objects: head office switches among every mall of the
        # chain, read lazily when the switcher is drawn; a mall's staff's come from their
        # memberships (issue #22).
        "switchable_malls": switcher_rows(user),
    }
