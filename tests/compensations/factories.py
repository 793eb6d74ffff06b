"""Set-ups for compensation tests: an escalated complaint with a merchant holding a deposit,
and helpers that walk a case through the real services."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from compensations.services import compensation_approve, compensation_pay, compensation_propose
from complaints.models import MerchantReply, Status
from merchants.services import deposit_collect
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import make_staff
from tests.merchants.factories import document_file, photo_file


def escalated_complaint(mall, *, deposit="10000.00", clerk=None, **overrides):
    """A complaint in `escalated` (the merchant refused), its merchant holding `deposit` yuan."""
    fields = {
        "mall": mall,
        "status": Status.ESCALATED,
        "merchant_reply": MerchantReply.REFUSES,
        "received_at": timezone.now() - timedelta(days=20),
        "purchase_amount": Decimal("68000.00"),
    }
    fields.update(overrides)
    complaint = ComplaintFactory(**fields)
    if deposit and Decimal(deposit) > 0:
        clerk = clerk or make_staff(Role.CLERK, mall)
        deposit_collect(merchant=complaint.merchant, amount=deposit, actor=clerk)
    return complaint


def proposal(amount="3000.00", **overrides):
    data = {
        "reason": "quality",
        "loss_price": Decimal("68000.00"),
        "loss_costs": Decimal("200.00"),
        "loss_penalties": Decimal("0.00"),
        "amount": amount,
        "merchant_position": "商户拒绝退货，称属人为损坏。",
        "paid_via_unified_cashier": True,
        "proposal_note": "商户明确拒绝，经检测属质量问题。",
    }
    data.update(overrides)
    return data


def propose(complaint, officer, amount="3000.00", **overrides):
    return compensation_propose(complaint=complaint, actor=officer, **proposal(amount, **overrides))


def approve_all(compensation, approvers):
    for approver in approvers:
        compensation = compensation_approve(compensation=compensation, actor=approver)
    return compensation


def pay(compensation, clerk, **overrides):
    data = {
        "paid_at": timezone.now(),
        "payment_method": "bank_transfer",
        "payment_reference": "TR20261126001",
        "receipt": document_file("receipt.pdf"),
        "claim_assigned": True,
    }
    data.update(overrides)
    return compensation_pay(compensation=compensation, actor=clerk, **data)


__all__ = ["approve_all", "escalated_complaint", "pay", "photo_file", "proposal", "propose"]
