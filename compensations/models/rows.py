"""The approvals inbox's rows as plain values, not model instances.

The inbox lists up to 200 cases waiting for a signature, 200 to pay and 200 owed by merchants.
As model instances with their mall, merchant, complaint, customer, proposer, receivable,
evidence and approvals that was ~1,400 objects a page, each made by `Model.__init__` over every
field of its model, and two prefetches the payment lists never showed (issue #22). These read
the columns each list shows, one query a list (the waiting list adds its evidence);
tests/compensations/test_inbox_rows.py renders them against the template they replaced.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .compensation import ZERO, CompensationApproval, CompensationEvidence


@dataclass(slots=True)
class EvidenceRow:
    pk: int
    original_name: str
    content_type: str

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


@dataclass(slots=True)
class WaitingRow:
    """A case waiting for the user's signature."""

    pk: int
    number: str
    mall_code: str
    merchant_brand: str
    waiting_since: datetime | None
    amount: Decimal
    complaint_pk: int
    complaint_number: str
    complaint_facts: str
    reason: str
    next_tier: str
    steps: int  # the length of the approval chain
    next_step: int  # 1-based: the signatures already given, plus one
    evidence: list[EvidenceRow]


@dataclass(slots=True)
class ToPayRow:
    pk: int
    number: str
    amount: Decimal
    payment_due_on: date | None
    merchant_brand: str


@dataclass(slots=True)
class OwingRow:
    pk: int
    number: str
    merchant_brand: str
    outstanding: Decimal  # Compensation.outstanding
    receivable_due_on: date | None  # None: no receivable
    status: str


@dataclass(slots=True)
class EscalatedRow:
    """An escalated complaint without a proposal."""

    pk: int
    number: str
    customer_name: str
    merchant_brand: str | None  # None: no merchant named


def waiting_rows(queryset):
    """The cases of `queryset` (filtered, ordered, sliced) as WaitingRows: two queries (the cases
    with their count of signatures, then their evidence), one when there is none."""
    signed = (
        CompensationApproval.objects.filter(compensation=OuterRef("pk"))
        .order_by()
        .values("compensation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    values = list(
        queryset.prefetch_related(None)
        .annotate(signed=Coalesce(Subquery(signed, output_field=IntegerField()), Value(0)))
        .values_list(
            "pk",
            "number",
            "mall__code",
            "merchant__brand",
            "waiting_since",
            "amount",
            "complaint_id",
            "complaint__number",
            "complaint__facts",
            "reason",
            "next_tier",
            "chain",
            "signed",
        )
    )
    evidence = {}
    if values:
        files = (
            CompensationEvidence.objects.filter(compensation_id__in=[v[0] for v in values])
            .order_by("pk")
            .values_list("compensation_id", "pk", "original_name", "content_type")
        )
        for compensation_id, pk, name, content_type in files:
            evidence.setdefault(compensation_id, []).append(EvidenceRow(pk, name, content_type))
    return [
        WaitingRow(
            pk=pk,
            number=number,
            mall_code=mall_code,
            merchant_brand=brand,
            waiting_since=waiting_since,
            amount=amount,
            complaint_pk=complaint_pk,
            complaint_number=complaint_number,
            complaint_facts=facts,
            reason=reason,
            next_tier=next_tier,
            steps=len(chain),
            next_step=signed + 1,
            evidence=evidence.get(pk, []),
        )
        for (
            pk,
            number,
            mall_code,
            brand,
            waiting_since,
            amount,
            complaint_pk,
            complaint_number,
            facts,
            reason,
            next_tier,
            chain,
            signed,
        ) in values
    ]


def to_pay_rows(queryset):
    """Approved cases to pay, one query."""
    return [
        ToPayRow(*values)
        for values in queryset.prefetch_related(None).values_list(
            "pk", "number", "amount", "payment_due_on", "merchant__brand"
        )
    ]


def owing_rows(queryset):
    """Cases the merchant still owes money on, one query."""
    return [
        OwingRow(
            pk=pk,
            number=number,
            merchant_brand=brand,
            outstanding=ZERO if paid_at is None else amount - recovered - written_off,
            receivable_due_on=due_on if receivable_id else None,
            status=status,
        )
        for pk, number, brand, paid_at, amount, recovered, written_off, receivable_id, due_on, status in (
            queryset.prefetch_related(None).values_list(
                "pk",
                "number",
                "merchant__brand",
                "paid_at",
                "amount",
                "recovered_amount",
                "written_off_amount",
                "receivable_id",
                "receivable__due_on",
                "status",
            )
        )
    ]


def escalated_rows(queryset):
    """Complaints (a Complaint queryset), one query."""
    return [
        EscalatedRow(pk, number, customer_name, brand if merchant_id else None)
        for pk, number, customer_name, merchant_id, brand in queryset.values_list(
            "pk", "number", "customer__name", "merchant_id", "merchant__brand"
        )
    ]
