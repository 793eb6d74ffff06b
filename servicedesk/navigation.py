"""The sections of the desk and which roles see them in the navigation bar."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Role

R = Role


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
    # Where the navbar is already full for the senior roles: only these roles get the section in
    # the navbar; the others reach it from the home page's list of sections. Empty: every role.
    navbar_roles: tuple = ()


SECTIONS = (
    Section(
        "customers",
        _("Customers"),
        "customers:list",
        (R.FRONT_DESK, R.COMPLAINT_OFFICER, R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Find a customer by mobile number; their details and history."),
    ),
    Section(
        "complaints",
        _("Complaints"),
        "complaints:index",
        (R.FRONT_DESK, R.COMPLAINT_OFFICER, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Register walk-in and phone complaints, work them with merchants, call customers back."),
    ),
    Section(
        "compensations",
        _("Advance compensation"),
        "compensations:index",
        (R.COMPLAINT_OFFICER, R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Propose, approve and pay advance compensation; recover it from the merchant's deposit."),
        pgettext_lazy("navbar", "Compensation"),
    ),
    Section(
        "returns",
        _("No-reason returns"),
        "returns:index",
        (R.FRONT_DESK, R.COMPLAINT_OFFICER, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("No-reason returns: eligibility, return slip, refund."),
        pgettext_lazy("navbar", "Returns"),
    ),
    Section(
        "merchants",
        _("Merchants"),
        "merchants:index",
        (R.FRONT_DESK, R.PRICE_TAG_OFFICER, R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE, R.COMPLAINT_OFFICER),
        _("Merchant files and booths, entry and exit, deposits, price-tag inspections."),
    ),
    Section(
        "followups",
        _("Callbacks"),
        "followups:index",
        (R.COMPLAINT_OFFICER, R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Sales imports, after-sale and warranty callbacks, home visits."),
    ),
    Section(
        "frontdesk",
        pgettext_lazy("desk section", "Front desk"),
        "frontdesk:index",
        (R.FRONT_DESK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Duty roster, handover, broadcast programme, enquiries, receptions and incidents, service spot checks."),
    ),
    Section(
        "drivers",
        _("Driver runs"),
        "drivers:index",
        (R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE, R.DRIVER),
        _("Pick-ups and home visits planned per day, stops in order; the driver marks them on a phone."),
        pgettext_lazy("navbar", "Runs"),
        navbar_roles=(R.CLERK, R.DRIVER),
    ),
    Section(
        "reports",
        _("Reports"),
        "reports:index",
        (R.CLERK, R.SUPERVISOR, R.MANAGER, R.HEAD_OFFICE),
        _("Weekly report and monthly appraisal for the mall and head office."),
    ),
    Section(
        "knowledge",
        _("Knowledge base"),
        "knowledge:index",
        tuple(Role),
        _("Rulings with their sources, canned replies (话术), and the remedy advisor."),
        pgettext_lazy("navbar", "Rulings"),
    ),
    Section(
        "status",
        _("System status"),
        "status",
        (R.ADMIN,),
        _("Database, task queue, worker and scheduler health."),
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def sections_for(roles, is_superuser=False):
    if is_superuser:
        return list(SECTIONS)
    return [section for section in SECTIONS if set(section.roles) & set(roles)]


def navbar_sections(sections, roles):
    return [section for section in sections if not section.navbar_roles or set(section.navbar_roles) & set(roles)]


def require_section(user, key):
    """Refuse (403) a user whose roles do not use this section of the desk."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from .access import all_roles

    section = SECTIONS_BY_KEY[key]
    if not (user.is_superuser or set(section.roles) & all_roles(user)):
        raise PermissionDenied(_("Your role does not use this section."))
    return section
