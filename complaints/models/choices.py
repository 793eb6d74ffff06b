"""The words of DOMAIN.md §2: states, actions, channels, categories, demands, results."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicedesk.satisfaction import Satisfaction


class Status(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("complaint status", "Registered")
    ASSIGNED = "assigned", _("Assigned")
    WITH_MERCHANT = "with_merchant", _("With merchant")
    PROPOSED = "proposed", _("Resolution proposed")
    RESOLVED = "resolved", _("Resolved")
    CALLED_BACK = "called_back", _("Called back")
    CLOSED = "closed", _("Closed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ESCALATED = "escalated", _("Escalated to advance compensation")
    EXTERNAL = "external", _("Referred outside")


# Where the complaint is still being worked by the desk (clocks run, shows in worklists).
OPEN_STATES = frozenset(
    {Status.REGISTERED, Status.ASSIGNED, Status.WITH_MERCHANT, Status.PROPOSED, Status.RESOLVED, Status.EXTERNAL}
)
# A complaint in one of these states has ended; nothing more happens to it here.
FINAL_STATES = frozenset({Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.ESCALATED})


class Action(models.TextChoices):
    REGISTER = "register", _("Register")
    ACKNOWLEDGE = "acknowledge", _("Record first contact")
    IDENTIFY_MERCHANT = "identify_merchant", _("Record the merchant")
    ASSIGN = "assign", _("Assign")
    TAKE = "take", _("Take it on")
    FORWARD = "forward", _("Forward to merchant")
    MERCHANT_REPLY = "merchant_reply", _("Record merchant's reply")
    PROPOSE = "propose", _("Propose resolution")
    RESOLVE = "resolve", _("Customer agrees: resolve")
    REJECT_PROPOSAL = "reject_proposal", _("Customer disagrees")
    NOT_ACCEPT = "not_accept", _("Do not accept")
    WITHDRAW = "withdraw", _("Customer withdraws")
    PAUSE = "pause", _("Pause clock (quality test)")
    RESUME = "resume", _("Resume clock")
    ESCALATE = "escalate", _("Escalate to advance compensation")
    REFER = "refer", _("Refer outside")
    CALL_BACK = "call_back", _("Record callback")
    CALLBACK_FAILED = "callback_failed", _("Callback not reached")
    REOPEN = "reopen", _("Reopen")
    CLOSE = "close", _("Close")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter / e-mail")
    ONLINE = "online", _("Online")
    HOTLINE_12315 = "12315", _("12315 hotline")
    HOTLINE_12345 = "12345", _("12345 hotline")
    CONSUMER_COUNCIL = "council", _("Consumer council")
    MEDIA = "media", _("Media")
    HEAD_OFFICE = "head_office", _("Referred by head office")


# The customer is in front of us or on the line: first contact happens at intake.
FACE_TO_FACE_CHANNELS = frozenset({Channel.WALK_IN, Channel.PHONE})
# The regulator's referral carries its own reply deadline (DOMAIN.md §1).
REFERRAL_CHANNELS = frozenset({Channel.HOTLINE_12315, Channel.HOTLINE_12345})


class Category(models.TextChoices):
    QUALITY = "Q", _("Q Product quality")
    EMISSIONS = "E", _("E Emissions / formaldehyde")
    DELIVERY = "D", _("D Delivery")
    INSTALLATION = "I", _("I Installation")
    REPAIR = "S", _("S After-sales repair")
    PRICE = "P", _("P Price / price tag")
    FALSE_CLAIMS = "M", _("M False claims")
    CONTRACT = "C", _("C Contract")
    CUSTOM = "X", _("X Custom goods not as ordered")
    RETURNS = "R", _("R Return or exchange refused")
    ATTITUDE = "A", _("A Service attitude")
    OUTSIDE_CASHIER = "K", _("K Paid outside the unified cashier")
    MERCHANT_GONE = "G", _("G Merchant gone")
    FACILITIES = "F", _("F Facilities / safety")
    OTHER = "O", _("O Other")


class Demand(models.TextChoices):
    REPAIR = "repair", _("Repair")
    EXCHANGE = "exchange", _("Exchange")
    RETURN = "return", _("Return")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    OTHER = "other", _("Other")


# The customer's address is needed when someone must go to the customer's home: to deliver,
# install, repair, measure or test there (these categories), or to repair on site, collect the
# goods or bring a replacement (these demands). Asked at intake when the customer is at the desk
# or on the line; for letters, platforms and referrals the officer records it at first contact.
ADDRESS_CATEGORIES = frozenset({"D", "I", "S", "X", "E"})
ADDRESS_DEMANDS = frozenset({"repair", "exchange", "return"})


def needs_address(channel, category, demand):
    """Whether intake must have the customer's address (see ADDRESS_CATEGORIES above)."""
    return channel in FACE_TO_FACE_CHANNELS and (category in ADDRESS_CATEGORIES or demand in ADDRESS_DEMANDS)


class Result(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    EXCHANGED = "exchanged", _("Exchanged")
    RETURNED = "returned", _("Returned")
    COMPENSATED = "compensated", _("Compensated")
    EXPLAINED = "explained", _("Explained")


class NotAcceptedReason(models.TextChoices):
    NOT_BOUGHT_HERE = "not_bought_here", _("Not bought in this mall")
    TOO_OLD = "too_old", _("Known to the customer more than 3 years ago")
    SETTLED = "settled", _("Already settled elsewhere")
    NOT_HOUSEHOLD = "not_household", _("Not for household use")
    MATERIAL_MISSING = "material_missing", _("Material missing")


# What the customer said on the callback: the desk's one set of words (servicedesk.satisfaction).
CallbackResponse = Satisfaction


class ExternalBody(models.TextChoices):
    HOTLINE_12315 = "12315", _("12315 / market regulator")
    CONSUMER_COUNCIL = "council", _("Consumer council")
    COURT = "court", _("Court")
    OTHER = "other", _("Other body")


class MerchantReply(models.TextChoices):
    AGREES = "agrees", _("Agrees to handle it")
    PARTLY = "partly", _("Agrees in part")
    REFUSES = "refuses", _("Refuses")


class MerchantRemedy(models.TextChoices):
    """What a merchant proposes instead of the customer's demand (the merchant portal's answer)."""

    REPAIR = "repair", _("Repair")
    EXCHANGE = "exchange", _("Exchange")
    RETURN = "return", _("Return")
    AMOUNT = "amount", _("Pay an amount")
    EXPLANATION = "explanation", _("Explanation only")
