"""The API's endpoints: thin - parse, check scope and mall, call a service, answer JSON."""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compensations.models import Compensation
from complaints.models import Complaint
from merchants.models import Merchant
from returns.models import ReturnRequest
from servicedesk.models import Mall

from . import serializers as s
from .auth import ClientRateThrottle, ClientTokenAuthentication, HasScope
from .errors import caller_language
from .feed import PAGE_MAX, BadCursor, changes_since
from .models import ChangeKind, Referral, Scope, WebhookSubscription
from .services import referral_complaints, referral_register, sales_push
from .webhooks import webhook_subscribe, webhook_unsubscribe

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Bad input: the fields say what."),
    401: OpenApiResponse(s.ErrorSerializer, description="No token, an unknown one, or a revoked one."),
    403: OpenApiResponse(s.ErrorSerializer, description="The client lacks the scope."),
    404: OpenApiResponse(s.ErrorSerializer, description="No such record among the client's malls."),
    429: OpenApiResponse(s.ErrorSerializer, description="Over the client's rate limit."),
}


def errors(*codes):
    return {code: ERRORS[code] for code in codes}


class ApiView(APIView):
    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    required_scope = None

    def dispatch(self, request, *args, **kwargs):
        language = caller_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    @property
    def client(self):
        return self.request.auth

    def mall_ids(self):
        return self.client.mall_ids()

    def mall_from(self, code):
        """The client's mall of this code; another mall is 'not found' like a missing one."""
        mall = Mall.objects.filter(code=str(code or "").strip().upper(), pk__in=self.mall_ids()).first()
        if mall is None:
            raise exceptions.ValidationError({"mall": [_("No mall with this code among this client's malls.")]})
        return mall

    def context(self):
        return {"client": self.client}


# --- Reads: one record by number, or what changed since a cursor -------------------------------


SINCE = OpenApiParameter(
    "since",
    OpenApiTypes.STR,
    description="The next_cursor of the previous page; leave out to read from the beginning.",
)
LIMIT = OpenApiParameter("limit", OpenApiTypes.INT, description="At most 500; default 100.")


class RecordView(ApiView):
    required_scope = Scope.CASES_READ
    kind = None
    serializer_class = None
    lookup = "number"

    def queryset(self):
        raise NotImplementedError

    def get(self, request, reference):
        filters = {"mall_id__in": self.mall_ids()}
        if self.lookup == "pk":
            if not reference.isdigit() or len(reference) > 18:
                raise exceptions.NotFound()
            filters["pk"] = int(reference)
        else:
            filters["number"] = reference
        record = self.queryset().filter(**filters).first()
        if record is None:
            raise exceptions.NotFound()
        return Response(self.serializer_class(record, context=self.context()).data)


class FeedView(ApiView):
    required_scope = Scope.CASES_READ
    kind = None
    serializer_class = None

    def queryset(self):
        raise NotImplementedError

    def page_params(self):
        try:
            limit = int(self.request.query_params.get("limit", 100))
        except ValueError:
            raise exceptions.ValidationError({"limit": [_("A whole number from 1 to 500.")]}) from None
        if not 1 <= limit <= PAGE_MAX:
            raise exceptions.ValidationError({"limit": [_("A whole number from 1 to 500.")]})
        return self.request.query_params.get("since", ""), limit

    def get(self, request):
        since, limit = self.page_params()
        try:
            changed, cursor, more = changes_since([self.kind], self.mall_ids(), since, limit)
        except BadCursor:
            raise exceptions.ValidationError({"since": [_("This cursor was not given by this API.")]}) from None
        ids = [object_id for _kind, object_id in changed]
        records = self.queryset().in_bulk(ids)
        results = [records[pk] for pk in ids if pk in records]
        data = self.serializer_class(results, many=True, context=self.context()).data
        return Response({"results": data, "next_cursor": cursor, "has_more": more})


def _complaints():
    return Complaint.objects.select_related("mall", "customer", "merchant", "booth")


def _returns():
    return ReturnRequest.objects.select_related("mall", "customer", "merchant")


def _compensations():
    return Compensation.objects.select_related("mall", "merchant", "complaint")


def _merchants():
    return Merchant.objects.select_related("mall")


def _record(kind, serializer, queryset, lookup="number", tag=None):
    parameter = OpenApiParameter(
        "reference",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description="The merchant's id" if lookup == "pk" else "The number people quote, e.g. TS-SH01-20261126-0007",
    )

    def read(self, request, reference):
        return RecordView.get(self, request, reference)

    def changes(self, request):
        return FeedView.get(self, request)

    read = extend_schema(
        operation_id=f"{kind}_read",
        tags=[tag or kind],
        parameters=[parameter],
        responses={200: serializer, **errors(401, 403, 404, 429)},
        summary=f"One {kind} (scope cases:read)",
    )(read)
    changes = extend_schema(
        operation_id=f"{kind}_changes",
        tags=[tag or kind],
        parameters=[SINCE, LIMIT],
        responses={200: s.feed_serializer(serializer, kind.title()), **errors(400, 401, 403, 429)},
        summary=f"{kind.title()}s changed since a cursor (scope cases:read)",
    )(changes)
    attrs = {"kind": kind, "serializer_class": serializer, "queryset": staticmethod(queryset)}
    view = type(f"{kind.title()}Detail", (RecordView,), {**attrs, "lookup": lookup, "get": read})
    feed = type(f"{kind.title()}Feed", (FeedView,), {**attrs, "get": changes})
    return view, feed


ComplaintDetail, ComplaintFeed = _record(ChangeKind.COMPLAINT, s.ComplaintSerializer, _complaints)
ReturnDetail, ReturnFeed = _record(ChangeKind.RETURN, s.ReturnSerializer, _returns)
CompensationDetail, CompensationFeed = _record(ChangeKind.COMPENSATION, s.CompensationSerializer, _compensations)
MerchantDetail, MerchantFeed = _record(ChangeKind.MERCHANT, s.MerchantSerializer, _merchants, lookup="pk")


class Me(ApiView):
    @extend_schema(operation_id="client_read", tags=["client"], responses={200: s.ClientSerializer, **errors(401, 429)})
    def get(self, request):
        """The calling client: its malls and scopes."""
        malls = list(Mall.objects.filter(pk__in=self.mall_ids()).order_by("code").values_list("code", flat=True))
        return Response(
            {
                "name": self.client.name,
                "malls": malls,
                "scopes": self.client.scopes,
                "rate_per_minute": self.client.rate_per_minute,
            }
        )


# --- Sales push --------------------------------------------------------------------------------


class SalesPush(ApiView):
    required_scope = Scope.SALES_WRITE

    @extend_schema(
        operation_id="sales_push",
        tags=["sales"],
        request=s.SalesPushDocSerializer,
        responses={200: s.SalesPushResultSerializer, **errors(400, 401, 403, 429)},
        summary="Push up to 5,000 sales (scope sales:write)",
    )
    def post(self, request):
        """The unified cashier's sales, checked by the rules of the file import. Valid rows are
        saved and rejected rows answered with the reason, unless all_or_nothing is true; the same
        (mall, order number) again changes nothing (`unchanged`)."""
        body = s.SalesPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mall = self.mall_from(body.validated_data["mall"])
        run, saved, results = sales_push(
            client=self.client,
            mall=mall,
            rows=body.validated_data["sales"],
            all_or_nothing=body.validated_data["all_or_nothing"],
        )
        counts = dict.fromkeys(("created", "updated", "unchanged", "rejected", "superseded"), 0)
        answer = []
        for result in results:
            counts[result.kind] += 1
            item = {"index": result.row, "order_number": result.order_number, "result": result.kind}
            if result.kind == "rejected":
                item["field"] = result.field
                item["message"] = str(result.message)
            answer.append(item)
        return Response({"batch": run.pk, "saved": saved, "counts": counts, "results": answer})


# --- Referrals ---------------------------------------------------------------------------------


def _referrals():
    return Referral.objects.select_related("mall", "complaint")


class ReferralCollection(ApiView):
    required_scope = Scope.REFERRALS_WRITE

    @extend_schema(
        operation_id="referral_create",
        tags=["referrals"],
        request=s.ReferralInSerializer,
        responses={
            201: s.ReferralSerializer,
            200: OpenApiResponse(s.ReferralSerializer, description="This reference was sent before."),
            **errors(400, 401, 403, 429),
        },
        summary="Register a 12315/12345 referral as a complaint (scope referrals:write)",
    )
    def post(self, request):
        body = s.ReferralInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mall = self.mall_from(body.validated_data["mall"])
        referral, created = referral_register(client=self.client, mall=mall, data=body.validated_data)
        referral = referral_complaints([_referrals().get(pk=referral.pk)])[0]
        referral.created = created
        return Response(
            s.ReferralSerializer(referral, context=self.context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="referral_changes",
        tags=["referrals"],
        parameters=[SINCE, LIMIT],
        responses={200: s.feed_serializer(s.ReferralSerializer, "Referral"), **errors(400, 401, 403, 429)},
        summary="Referrals whose complaint changed since a cursor: what the platform connector polls",
    )
    def get(self, request):
        since, limit = FeedView.page_params(self)
        try:
            changed, cursor, more = changes_since([ChangeKind.COMPLAINT], self.mall_ids(), since, limit)
        except BadCursor:
            raise exceptions.ValidationError({"since": [_("This cursor was not given by this API.")]}) from None
        complaint_ids = [object_id for _kind, object_id in changed]
        by_complaint = {
            r.complaint_id: r for r in _referrals().filter(complaint_id__in=complaint_ids, client=self.client)
        }
        results = referral_complaints([by_complaint[pk] for pk in complaint_ids if pk in by_complaint])
        data = s.ReferralSerializer(results, many=True, context=self.context()).data
        return Response({"results": data, "next_cursor": cursor, "has_more": more})


class ReferralDetail(ApiView):
    required_scope = Scope.REFERRALS_WRITE

    @extend_schema(
        operation_id="referral_read",
        tags=["referrals"],
        parameters=[OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: s.ReferralSerializer, **errors(401, 403, 404, 429)},
        summary="A referral's status and outcome, by the platform's reference",
    )
    def get(self, request, reference):
        referral = _referrals().filter(external_reference=reference, mall_id__in=self.mall_ids()).first()
        if referral is None:
            raise exceptions.NotFound()
        referral = referral_complaints([referral])[0]
        return Response(s.ReferralSerializer(referral, context=self.context()).data)


# --- Webhook subscriptions ---------------------------------------------------------------------


def _subscription_data(subscription, secret=None):
    data = {
        "id": subscription.pk,
        "url": subscription.url,
        "events": subscription.events,
        "is_active": subscription.is_active,
        "created_at": subscription.created_at,
    }
    if secret:
        data["secret"] = secret
    return s.SubscriptionSerializer(data).data


class WebhookCollection(ApiView):
    required_scope = Scope.WEBHOOKS

    @extend_schema(
        operation_id="webhook_list",
        tags=["webhooks"],
        responses={200: s.SubscriptionSerializer(many=True), **errors(401, 403, 429)},
    )
    def get(self, request):
        subscriptions = WebhookSubscription.objects.filter(client=self.client).order_by("pk")
        return Response([_subscription_data(subscription) for subscription in subscriptions])

    @extend_schema(
        operation_id="webhook_create",
        tags=["webhooks"],
        request=s.SubscriptionInSerializer,
        responses={201: s.SubscriptionSerializer, **errors(400, 401, 403, 429)},
        summary="Subscribe an address to events; the answer holds the signing secret, once",
    )
    def post(self, request):
        body = s.SubscriptionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription, secret = webhook_subscribe(client=self.client, **body.validated_data)
        return Response(_subscription_data(subscription, secret), status=status.HTTP_201_CREATED)


class WebhookDetail(ApiView):
    required_scope = Scope.WEBHOOKS

    def subscription(self, pk):
        subscription = WebhookSubscription.objects.filter(pk=pk, client=self.client).first()
        if subscription is None:
            raise exceptions.NotFound()
        return subscription

    @extend_schema(
        operation_id="webhook_read",
        tags=["webhooks"],
        responses={200: s.SubscriptionSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request, pk):
        return Response(_subscription_data(self.subscription(pk)))

    @extend_schema(
        operation_id="webhook_deactivate",
        tags=["webhooks"],
        responses={200: s.SubscriptionSerializer, **errors(401, 403, 404, 429)},
        summary="Stop a subscription (kept with its delivery log)",
    )
    def delete(self, request, pk):
        return Response(_subscription_data(webhook_unsubscribe(subscription=self.subscription(pk))))
