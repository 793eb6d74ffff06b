"""The roles of DESIGN.md.

A role is held per mall through `StaffMembership`. What a role may do is declared once, where it
is enforced: the apps' transition tables and role tuples, which the services check
(`servicedesk.access.require_role`). The sections a role may open are derived from the same
declarations (`servicedesk.navigation`); the Django admin is the administrator's alone
(`servicedesk.admin_access`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    COMPLAINT_OFFICER = "complaint_officer", _("Complaint officer")
    PRICE_TAG_OFFICER = "price_tag_officer", _("Price-tag officer")
    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    HEAD_OFFICE = "head_office", _("Head office")
    ADMIN = "admin", _("Administrator")
    DRIVER = "driver", _("Driver")
    # An outside system's own user (api.ApiClient): never signs in to the desk; registers the
    # complaints its platform refers and nothing else a person does.
    API_CLIENT = "api_client", _("API client")


# The merchant's own user (merchants.MerchantUser, the portal at /merchant/): not a role held in a
# mall. A transition table names it where the merchant may act on its own records; the service
# then checks that the record belongs to the user's merchant (404 otherwise).
MERCHANT_PARTY = "merchant_party"

# Roles that are held for the whole chain rather than for one mall.
CHAIN_ROLES = frozenset({Role.HEAD_OFFICE, Role.ADMIN})

# Roles that record customers and phone them, and so see a customer's whole mobile number (logged
# each time, servicedesk.phone_access); head office, the price-tag officer, the merchant's users
# and the API see it masked.
FULL_PHONE_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.CLERK, Role.SUPERVISOR, Role.MANAGER)
