"""The roles of DESIGN.md and what each may do with Django's model permissions.

A role is held per mall through `StaffMembership`; each role is also a Django group (created by
migration 0002) so that model permissions and the admin follow the same table.
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
    # Drives the mall's van: sees only the runs planned for them and marks each stop on a phone.
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

# Model permissions per role: "app_label.model": actions. Read access to records is always
# further narrowed to the user's malls by the `for_user` querysets.
_MERCHANT_FILES = (
    "merchants.merchant",
    "merchants.booth",
    "merchants.boothtenancy",
    "merchants.merchantdocument",
)
_MONEY = ("merchants.depositentry", "merchants.receivable")
_INSPECTIONS = ("merchants.pricetaginspection", "merchants.pricetagfailure", "merchants.inspectionphoto")
_RETURNS = ("returns.returnrequest",)
_BROADCAST = ("frontdesk.broadcastscript", "frontdesk.broadcastslot", "frontdesk.broadcastplay")
_DESK_LOG = (
    "frontdesk.handover",
    "frontdesk.enquiry",
    "frontdesk.dutymatter",
    "frontdesk.handovermatter",
    "frontdesk.desklogsignature",
)
_SPOT_CHECKS = ("frontdesk.spotcheck", "frontdesk.spotcheckitem")
_ROSTER = ("frontdesk.dutyroster", "frontdesk.rosterentry")
_INCIDENTS = ("frontdesk.deskincident", "frontdesk.incidentnote")
_COMPENSATION = "compensations.compensation"
_COMPENSATION_ROWS = (
    "compensations.compensationapproval",
    "compensations.compensationevidence",
    "compensations.compensationrecovery",
)
_SALES = ("followups.sale", "followups.salesimport")
_KNOWLEDGE = ("knowledge.article", "knowledge.articleuse", "knowledge.category", "knowledge.warrantypolicy")
_CALLBACK_WORK = ("followups.callback", "followups.homevisit")
_CALLBACK_LOGS = ("followups.callbackattempt", "followups.homevisitphoto")
_CALLBACKS = (*_CALLBACK_WORK, *_CALLBACK_LOGS)
_RUNS = ("drivers.deliveryrun", "drivers.runstop")


def _grant(models, *actions):
    return dict.fromkeys(models, actions)


ROLE_PERMISSIONS = {
    Role.FRONT_DESK: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.articleuse": ("view", "add"),
        **_grant(_BROADCAST, "view", "add", "change"),
        **_grant(_DESK_LOG, "view", "add", "change"),
        **_grant(_SPOT_CHECKS, "view"),
        **_grant(_ROSTER, "view"),
        **_grant(_INCIDENTS, "view", "add", "change"),
        "servicedesk.customer": ("view", "add", "change"),
        "servicedesk.mall": ("view",),
        **_grant(_MERCHANT_FILES, "view"),
        **_grant(_RETURNS, "view", "add", "change"),
        "complaints.complaint": ("view", "add"),
        "complaints.handlingentry": ("view", "add"),
        "complaints.complaintattachment": ("view", "add"),
        "complaints.staffcomplaint": ("view", "add"),
        "followups.sale": ("view",),
    },
    Role.COMPLAINT_OFFICER: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.article": ("view", "add", "change"),
        "knowledge.articleuse": ("view", "add"),
        "servicedesk.customer": ("view", "add", "change"),
        "servicedesk.mall": ("view",),
        **_grant(_MERCHANT_FILES, "view"),
        **_grant(_INSPECTIONS, "view"),
        **_grant(_RETURNS, "view", "add", "change"),
        "complaints.complaint": ("view", "add", "change"),
        "complaints.handlingentry": ("view", "add"),
        "complaints.complaintattachment": ("view", "add"),
        "complaints.staffcomplaint": ("view", "add", "change"),
        _COMPENSATION: ("view", "add"),
        **_grant(_COMPENSATION_ROWS, "view"),
        "compensations.compensationevidence": ("view", "add"),
        **_grant(_SALES, "view"),
        **_grant(_CALLBACK_WORK, "view", "add", "change"),
        **_grant(_CALLBACK_LOGS, "view", "add"),
    },
    Role.PRICE_TAG_OFFICER: {
        **_grant(_KNOWLEDGE, "view"),
        "servicedesk.mall": ("view",),
        "merchants.merchant": ("view",),
        "merchants.booth": ("view",),
        **_grant(_INSPECTIONS, "view", "add", "change"),
    },
    Role.CLERK: {
        **_grant(_KNOWLEDGE, "view"),
        "servicedesk.customer": ("view", "add", "change"),
        "servicedesk.mall": ("view",),
        **_grant(_MERCHANT_FILES, "view", "add", "change"),
        **_grant(_MONEY, "view", "add"),
        **_grant(_INSPECTIONS, "view"),
        **_grant(_RETURNS, "view"),
        _COMPENSATION: ("view", "change"),
        **_grant(_COMPENSATION_ROWS, "view"),
        "compensations.compensationrecovery": ("view", "add"),
        "reports.reportarchive": ("view",),
        "reports.appraisalpolicy": ("view",),
        **_grant(_SALES, "view", "add", "change"),
        **_grant(_CALLBACKS, "view"),
        **_grant(_RUNS, "view", "add", "change"),
    },
    Role.SUPERVISOR: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.article": ("view", "add", "change"),
        "knowledge.articleuse": ("view", "add"),
        **_grant(_BROADCAST, "view", "add", "change"),
        **_grant(_DESK_LOG, "view", "add", "change"),
        **_grant(_SPOT_CHECKS, "view", "add"),
        **_grant(_ROSTER, "view", "add", "change"),
        **_grant(_INCIDENTS, "view", "add", "change"),
        "frontdesk.frontdeskpolicy": ("view",),
        "servicedesk.customer": ("view", "add", "change"),
        "servicedesk.mall": ("view",),
        "servicedesk.staffmembership": ("view",),
        **_grant(_MERCHANT_FILES, "view"),
        **_grant(_MONEY, "view"),
        **_grant(_INSPECTIONS, "view", "add", "change"),
        **_grant(_RETURNS, "view", "add", "change"),
        "complaints.complaint": ("view", "change"),
        "complaints.handlingentry": ("view", "add"),
        "complaints.complaintattachment": ("view", "add"),
        "complaints.staffcomplaint": ("view", "add", "change"),
        "complaints.complaintpolicy": ("view",),
        _COMPENSATION: ("view", "add", "change"),
        **_grant(_COMPENSATION_ROWS, "view"),
        "compensations.compensationevidence": ("view", "add"),
        "compensations.compensationpolicy": ("view",),
        "reports.reportarchive": ("view",),
        "reports.appraisalpolicy": ("view",),
        **_grant(_SALES, "view"),
        **_grant(_CALLBACK_WORK, "view", "add", "change"),
        **_grant(_CALLBACK_LOGS, "view", "add"),
        "followups.callbackpolicy": ("view",),
        **_grant(_RUNS, "view", "add", "change"),
    },
    Role.MANAGER: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.article": ("view", "add", "change"),
        "knowledge.articleuse": ("view", "add"),
        **_grant(_BROADCAST, "view", "add", "change"),
        **_grant(_DESK_LOG, "view"),
        **_grant(_SPOT_CHECKS, "view", "add"),
        **_grant(_ROSTER, "view", "add", "change"),
        **_grant(_INCIDENTS, "view", "add", "change"),
        "frontdesk.frontdeskpolicy": ("view",),
        "servicedesk.customer": ("view", "add", "change"),
        "servicedesk.mall": ("view",),
        "servicedesk.staffmembership": ("view",),
        **_grant(_MERCHANT_FILES, "view", "add", "change"),
        **_grant(_MONEY, "view", "add", "change"),
        **_grant(_INSPECTIONS, "view"),
        "merchants.merchantpolicy": ("view",),
        **_grant(_RETURNS, "view", "add", "change"),
        "returns.returnpolicy": ("view",),
        "complaints.complaint": ("view",),
        "complaints.handlingentry": ("view", "add"),
        "complaints.complaintattachment": ("view",),
        "complaints.staffcomplaint": ("view", "add", "change"),
        "complaints.complaintpolicy": ("view", "change"),
        _COMPENSATION: ("view", "change"),
        **_grant(_COMPENSATION_ROWS, "view"),
        "compensations.compensationapproval": ("view", "add"),
        "compensations.compensationrecovery": ("view", "add"),
        "compensations.compensationpolicy": ("view", "change"),
        "reports.reportarchive": ("view",),
        "reports.appraisalpolicy": ("view",),
        **_grant(_SALES, "view", "add"),
        **_grant(_CALLBACKS, "view"),
        "followups.callbackpolicy": ("view", "change"),
        **_grant(_RUNS, "view"),
    },
    Role.HEAD_OFFICE: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.article": ("view", "add", "change"),
        "knowledge.category": ("view", "add", "change"),
        **_grant((*_BROADCAST, *_DESK_LOG, *_SPOT_CHECKS, *_ROSTER, *_INCIDENTS), "view"),
        "frontdesk.frontdeskpolicy": ("view",),
        "servicedesk.customer": ("view",),
        "servicedesk.mall": ("view",),
        "servicedesk.staffmembership": ("view",),
        **_grant(_MERCHANT_FILES, "view"),
        **_grant(_MONEY, "view"),
        **_grant(_INSPECTIONS, "view"),
        "merchants.merchantpolicy": ("view",),
        **_grant(_RETURNS, "view"),
        "returns.returnpolicy": ("view",),
        "complaints.complaint": ("view",),
        "complaints.handlingentry": ("view",),
        "complaints.complaintattachment": ("view",),
        "complaints.staffcomplaint": ("view",),
        "complaints.complaintpolicy": ("view",),
        # Head office signs approvals through the service only (see compensations.services).
        _COMPENSATION: ("view",),
        **_grant(_COMPENSATION_ROWS, "view"),
        "compensations.compensationpolicy": ("view",),
        "reports.reportarchive": ("view",),
        "reports.appraisalpolicy": ("view",),
        **_grant(_SALES, "view"),
        **_grant(_CALLBACKS, "view"),
        "followups.callbackpolicy": ("view",),
        **_grant(_RUNS, "view"),
    },
    Role.ADMIN: {
        **_grant(_KNOWLEDGE, "view"),
        "knowledge.article": ("view", "add", "change"),
        "knowledge.category": ("view", "add", "change"),
        "knowledge.warrantypolicy": ("view", "add", "change"),
        "frontdesk.frontdeskpolicy": ("view", "add", "change"),
        "servicedesk.mall": ("view", "add", "change"),
        "servicedesk.staffmembership": ("view", "add", "change"),
        "servicedesk.customer": ("view",),
        **_grant(_MERCHANT_FILES, "view"),
        "merchants.merchantpolicy": ("view", "add", "change"),
        "django_celery_beat.periodictask": ("view", "add", "change"),
        "django_celery_beat.intervalschedule": ("view", "add", "change"),
        "django_celery_beat.crontabschedule": ("view", "add", "change"),
        "auth.user": ("view", "add", "change"),
        "returns.returnpolicy": ("view", "add", "change"),
        "complaints.complaintpolicy": ("view", "add", "change"),
        "compensations.compensationpolicy": ("view", "add", "change"),
        "reports.appraisalpolicy": ("view", "add", "change"),
        "followups.callbackpolicy": ("view", "add", "change"),
        "sms.smspolicy": ("view", "add", "change"),
        "sms.smsmessage": ("view",),
        "sms.smsoptout": ("view",),
        "portal.linkpolicy": ("view", "add", "change"),
        "api.apiclient": ("view", "add", "change"),
        "api.webhooksubscription": ("view", "change"),
        "api.webhookevent": ("view",),
        "api.webhookdelivery": ("view", "change"),
    },
    # Outside systems act through the API's scopes, never through the desk's pages or the admin.
    Role.API_CLIENT: {},
    Role.DRIVER: {
        "drivers.deliveryrun": ("view",),
        "drivers.runstop": ("view", "change"),
    },
}
