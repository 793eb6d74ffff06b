"""What the API reads and writes. Output serializers take records loaded with their relations
(select_related) so a read costs a fixed number of queries."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from complaints.models import Category, Demand
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.phones import mask_phone

from .models import EventType, Platform, Scope

MAX_SALES = 5000


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code, e.g. not_found, token_revoked, scope_missing, invalid.")
    message = serializers.CharField(help_text="In the caller's language (Accept-Language).")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Messages per field; nested fields by dotted path ("sales.3", "attachments.0.name").',
    )


def _mobile(serializer, value):
    client = serializer.context.get("client")
    if client is not None and client.has_scope(Scope.PII_READ):
        return value
    return mask_phone(value)


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField()
    mobile = serializers.SerializerMethodField(help_text="Masked (138****5678) unless the client has pii:read.")

    def get_mobile(self, customer) -> str:
        return _mobile(self, customer.mobile)


class MerchantRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = serializers.CharField()


class ComplaintSerializer(serializers.Serializer):
    number = serializers.CharField()
    mall = serializers.CharField(source="mall.code")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    category = serializers.CharField()
    demand = serializers.CharField()
    received_at = serializers.DateTimeField()
    customer = CustomerSerializer()
    merchant = MerchantRefSerializer(allow_null=True)
    booth = serializers.CharField(source="booth.number", allow_null=True, default=None)
    goods = serializers.CharField()
    facts = serializers.CharField()
    assigned_at = serializers.DateTimeField(allow_null=True)
    forwarded_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    path = serializers.SerializerMethodField()

    def get_path(self, complaint) -> str:
        from .urls_helpers import resource_path

        return resource_path("complaint", complaint.number)


class ReturnSerializer(serializers.Serializer):
    number = serializers.CharField()
    mall = serializers.CharField(source="mall.code")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    requested_on = serializers.DateField()
    customer = CustomerSerializer()
    merchant = MerchantRefSerializer()
    goods = serializers.CharField()
    voucher_number = serializers.CharField()
    refund_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    refunded_at = serializers.DateTimeField(allow_null=True)


class CompensationSerializer(serializers.Serializer):
    number = serializers.CharField()
    mall = serializers.CharField(source="mall.code")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    complaint = serializers.CharField(source="complaint.number")
    merchant = MerchantRefSerializer()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_at = serializers.DateTimeField(allow_null=True)
    recovered_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class MerchantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mall = serializers.CharField(source="mall.code")
    brand = serializers.CharField()
    company_name = serializers.CharField()
    credit_code = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    mobile = serializers.SerializerMethodField()
    contract_start = serializers.DateField(allow_null=True)
    contract_end = serializers.DateField(allow_null=True)
    exit_notice_date = serializers.DateField(allow_null=True)
    planned_exit_date = serializers.DateField(allow_null=True)
    exited_on = serializers.DateField(allow_null=True)
    after_sales_agent = serializers.CharField()
    after_sales_phone = serializers.CharField()

    def get_mobile(self, merchant) -> str:
        return _mobile(self, merchant.mobile)


def feed_serializer(item_serializer, name):
    return type(
        f"{name}Feed",
        (serializers.Serializer,),
        {
            "results": item_serializer(many=True),
            "next_cursor": serializers.CharField(help_text="Pass as ?since= to get what changed after this page."),
            "has_more": serializers.BooleanField(),
        },
    )


# --- Sales -----------------------------------------------------------------------------------


class SaleRowSerializer(serializers.Serializer):
    """Documented shape of one sale; the values are checked by the import's own rules."""

    order_number = serializers.CharField(max_length=40)
    paid_at = serializers.CharField(help_text="2026-11-20 14:30:00 or an ISO 8601 time; Asia/Shanghai when naive.")
    customer_name = serializers.CharField(max_length=50)
    mobile = serializers.CharField(max_length=20)
    merchant_or_booth = serializers.CharField(max_length=100, help_text="Booth number (A-101) or brand.")
    goods = serializers.CharField(max_length=100)
    model = serializers.CharField(max_length=100, required=False, allow_blank=True)
    quantity = serializers.IntegerField(required=False, min_value=1, max_value=100000)
    amount = serializers.CharField(help_text="Yuan, two decimals: 3999.00")
    delivery_date = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    warranty_months = serializers.IntegerField(required=False, min_value=0, max_value=120)


class SalesPushSerializer(serializers.Serializer):
    mall = serializers.CharField(max_length=10, help_text="The mall's code, e.g. SH01.")
    all_or_nothing = serializers.BooleanField(
        default=False, help_text="true: if any row is rejected, nothing is saved (the results still say why)."
    )
    sales = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_SALES)

    class Meta:
        ref_name = "SalesPush"


class SalesPushDocSerializer(SalesPushSerializer):
    sales = SaleRowSerializer(many=True, help_text="1 to 5,000 sales.")


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in `sales`, from 0.")
    order_number = serializers.CharField()
    result = serializers.ChoiceField(choices=["created", "updated", "unchanged", "rejected", "superseded"])
    field = serializers.CharField(required=False)
    message = serializers.CharField(required=False)


class SalesPushResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField(help_text="The import run that recorded this batch.")
    saved = serializers.BooleanField(help_text="false only when all_or_nothing refused the batch.")
    counts = serializers.DictField(child=serializers.IntegerField())
    results = RowResultSerializer(many=True)


# --- Referrals -------------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    content_base64 = serializers.CharField(help_text="The file, base64; JPEG, PNG or PDF, at most 5 MB.")


class ReferralInSerializer(serializers.Serializer):
    mall = serializers.CharField(max_length=10)
    platform = serializers.ChoiceField(choices=Platform.choices)
    external_reference = serializers.CharField(max_length=64)
    received_at = serializers.DateTimeField(required=False)
    deadline_working_days = serializers.IntegerField(
        required=False, min_value=1, max_value=60, help_text="The platform's deadline; default the mall's (7)."
    )
    customer_name = serializers.CharField(max_length=50)
    customer_mobile = serializers.CharField(max_length=20)
    customer_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices)
    category_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    demand = serializers.ChoiceField(choices=Demand.choices)
    demand_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    facts = serializers.CharField(max_length=TEXT_MAX)
    goods = serializers.CharField(max_length=100, required=False, allow_blank=True)
    booth = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="Booth number, A-101.")
    voucher_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    purchase_date = serializers.DateField(required=False)
    purchase_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=AMOUNT_MAX, required=False
    )
    claimed_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=AMOUNT_MAX, required=False
    )
    attachments = AttachmentSerializer(many=True, required=False, max_length=5)


class OutcomeSerializer(serializers.Serializer):
    acceptance = serializers.ChoiceField(
        choices=["pending", "accepted", "not_accepted"],
        help_text="pending until the desk assigns it (accepted) or declines it (not_accepted).",
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_due_at = serializers.DateTimeField(
        allow_null=True, help_text="The referral deadline on the working-day calendar."
    )
    decided_in_time = serializers.BooleanField(allow_null=True)
    not_accepted_reason = serializers.CharField()
    mediation = serializers.ChoiceField(choices=["open", "resolved", "closed", "withdrawn", "referred", "escalated"])
    result = serializers.CharField(help_text="repaired, exchanged, returned, compensated, explained, or empty.")
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.CharField()
    external_reference = serializers.CharField()
    mall = serializers.CharField(source="mall.code")
    complaint = serializers.CharField(source="complaint.number")
    status = serializers.CharField(source="complaint.status")
    created = serializers.BooleanField(required=False, help_text="false when this reference was sent before.")
    outcome = OutcomeSerializer()


# --- Webhooks --------------------------------------------------------------------------------


class SubscriptionInSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), min_length=1)

    def validate_url(self, value):
        if not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError(_("Give an http or https address."))
        return value


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    secret = serializers.CharField(required=False, help_text="Only in the answer to the creation: keep it.")


class ClientSerializer(serializers.Serializer):
    name = serializers.CharField()
    malls = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())
    rate_per_minute = serializers.IntegerField()
