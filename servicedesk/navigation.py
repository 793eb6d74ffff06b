"""The sections of the desk: who may open each (403 otherwise) and the navigation bar.

Each app declares its section in its `ready()` (`register_section`). Who may open it is not a
second list kept by hand: it is every role the app's own models and services name in their
role declarations (transition tables, `... = (Role.X, Role.Y)` tuples, the ones the services
enforce) plus the roles the app names as readers only (head office reads every mall). A role a
service lets act can therefore always reach the pages to do it, and a role no declaration of the
app names never sees the section.
"""

import importlib
import pkgutil
import types
from dataclasses import dataclass

from .roles import Role


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    roles: tuple
    summary: str
    # A shorter label for the navbar where the full one is long in English (issue 15: the English
    # navbar stays on one line at 1366 px); the page headings keep the full label.
    nav_label: str = ""
    order: int = 0
    # Where the navbar is already full for the senior roles: only these roles get the section in
    # the navbar; the others reach it from the home page's list of sections. Empty: every role.
    navbar_roles: tuple = ()


_SECTIONS = {}


def register_section(key, label, url_name, *, roles, summary, nav_label="", order, navbar_roles=()):
    roles = set(roles)
    _SECTIONS[key] = Section(
        key, label, url_name, tuple(r for r in Role if r in roles), summary, nav_label, order, tuple(navbar_roles)
    )


def section_roles(*packages, readers=()):
    """The roles of a section: those the packages' declarations let act, and `readers`. The API
    client, a program named where it may register a case, never opens a desk page."""
    return (roles_declared_in(*packages) - {Role.API_CLIENT}) | set(readers)


def sections():
    """Every registered section in navbar order."""
    return sorted(_SECTIONS.values(), key=lambda section: section.order)


def section(key):
    return _SECTIONS[key]


def roles_declared_in(*packages):
    """Every Role named in a module-level declaration of these packages (and their submodules):
    tuples, sets and dicts of roles, tables whose values hold them, dataclass rows."""
    found = set()
    for package in packages:
        for module in _modules(package):
            for value in vars(module).values():
                if not isinstance(value, types.ModuleType | type) and not callable(value):
                    _collect(value, found, depth=0)
    return found


def _modules(name):
    module = importlib.import_module(name)
    yield module
    for info in pkgutil.walk_packages(getattr(module, "__path__", ()), name + "."):
        yield importlib.import_module(info.name)


def _collect(value, found, depth):
    if depth > 6:
        return
    if isinstance(value, Role):
        found.add(value)
    elif isinstance(value, str):
        return
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found, depth + 1)
            _collect(item, found, depth + 1)
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            _collect(item, found, depth + 1)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _collect(getattr(value, name), found, depth + 1)


def sections_for(roles, is_superuser=False):
    if is_superuser:
        return sections()
    return [section for section in sections() if set(section.roles) & set(roles)]


def navbar_sections(sections, roles):
    return [section for section in sections if not section.navbar_roles or set(section.navbar_roles) & set(roles)]


def require_section(user, key):
    """Refuse (403) a user whose roles do not use this section of the desk."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from .access import all_roles

    found = section(key)
    if not (user.is_superuser or set(found.roles) & all_roles(user)):
        raise PermissionDenied(_("Your role does not use this section."))
    return found
