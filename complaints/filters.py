"""The register's filters: period, status, channel, category, merchant, assignee, overdue, search."""

import re
from datetime import datetime, time
from functools import cache, partial

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Right
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from merchants.models import Merchant
from servicedesk.filtersets import QuickCopyFilterSet
from servicedesk.fixedsql import FixedQuery, Literal
from servicedesk.form_renderer import QuickSelect
from servicedesk.model_choices import read_choices
from servicedesk.models import Customer, StaffMembership
from servicedesk.phones import normalise_mobile

from .models import Category, Channel, Complaint, ComplaintDeadline, Status

DATE = forms.DateInput(attrs={"type": "date"})
FULL_NUMBER = re.compile(r"TS-[A-Z0-9]+-\d{8}-\d{4,}")
MOBILE_LENGTH = 11
DATE_DIGITS = 8  # from a whole day (20261126) on, digits may also be part of a complaint number


MERCHANT_COLUMNS = ("brand",)
ASSIGNEE_COLUMNS = ("first_name", "last_name", "username")


def _full_name(first_name, last_name, username):
    """An assignee's label from its columns: what the field's label_from_instance gives."""
    return f"{first_name} {last_name}".strip() or username


def _merchants_in(merchants):
    return merchants.order_by("brand")


def _handlers_of(scope, mall):
    """Who has complaints in `scope`: one EXISTS per member of staff (an index probe on assignee),
    not a DISTINCT over every complaint the user can see."""
    handlers = get_user_model().objects.filter(Exists(scope.filter(assignee=OuterRef("pk"))))
    if mall is not None:
        # Only the mall's own staff (memberships are never deleted, so former staff too) can
        # have been assigned its complaints; without this every user of the chain is probed.
        handlers = handlers.filter(pk__in=StaffMembership.objects.filter(mall=mall).values("user_id"))
    return handlers.order_by("first_name", "pk")


# A mall's drop-downs (for_user_in() is for_mall() there: MallScopedQuerySet.whole_mall), as the
# fields' querysets would read them with read_choices(): building and compiling the two querysets
# cost ~1 ms of Python a page (issue #22). The rows are read on every rendering, never kept: a new
# merchant or member of staff is offered at once. tests/complaints/test_register_choices.py.
@cache
def _merchant_options():
    return FixedQuery(
        Merchant,
        lambda mall_id: _merchants_in(Merchant.objects.for_mall(mall_id)).values_list("pk", *MERCHANT_COLUMNS),
        ("mall",),
    )


@cache
def _assignee_options():
    return FixedQuery(
        get_user_model(),
        lambda complaints_mall_id, staff_mall_id: _handlers_of(
            Complaint.objects.for_mall(complaints_mall_id), staff_mall_id
        ).values_list("pk", *ASSIGNEE_COLUMNS),
        (Literal(1), "assigned_complaints__mall", "memberships__mall"),  # EXISTS(SELECT 1 ...)
    )


class ComplaintFilter(QuickCopyFilterSet):
    received_from = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("Received from"), widget=DATE
    )
    received_to = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("to"), widget=DATE
    )
    # The drop-downs write their options without a dict per option (QuickSelect: the same HTML).
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Status"), empty_label=_("All states"), widget=QuickSelect
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Channel"), empty_label=_("All channels"), widget=QuickSelect
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices,
        label=pgettext_lazy("complaint", "Category"),
        empty_label=_("All categories"),
        widget=QuickSelect,
    )
    merchant = django_filters.ModelChoiceFilter(
        queryset=Merchant.objects.none(), label=_("Merchant"), empty_label=_("All merchants"), widget=QuickSelect
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.none(), label=_("Assignee"), empty_label=_("Anyone"), widget=QuickSelect
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    # Carried by the weekly report's drill-down links (hidden: the figure's own definition).
    closed_from = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__gte", label=_("Ended from"), widget=forms.HiddenInput
    )
    closed_to = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__lte", label=_("Ended to"), widget=forms.HiddenInput
    )
    referred_from = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__gte", label=_("Referred from"), widget=forms.HiddenInput
    )
    referred_to = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__lte", label=_("Referred until"), widget=forms.HiddenInput
    )
    open_on = django_filters.DateFilter(
        method="filter_open_on", label=_("Open at the start of"), widget=forms.HiddenInput
    )
    repeats = django_filters.BooleanFilter(
        field_name="repeat_of", lookup_expr="isnull", exclude=True, label=_("Repeats"), widget=forms.HiddenInput
    )
    q = django_filters.CharFilter(method="search", label=_("Number, mobile or name"))

    class Meta:
        model = Complaint
        fields = []

    def __init__(self, data=None, *args, user, mall=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user, self.mall = user, mall
        merchant, assignee = self.filters["merchant"], self.filters["assignee"]
        # The querysets check a submitted merchant or assignee: they are made only when one is
        # submitted (~0.5 ms a page, #22). A mall's drop-downs read their options with statements
        # compiled once per process (below), the same SQL as these querysets' values_list().
        merchant_rows = assignee_rows = None
        mall_id = getattr(mall, "pk", mall)
        if mall is not None and Merchant.objects.whole_mall(user, mall):
            merchant_rows = partial(_merchant_options().rows, mall_id)
        if mall is not None and Complaint.objects.whole_mall(user, mall):
            assignee_rows = partial(_assignee_options().rows, mall_id, mall_id)
        if (mall is not None and merchant_rows is None) or self._given("merchant"):
            merchant.queryset = self._merchants(user, mall)
        if (mall is not None and assignee_rows is None) or self._given("assignee"):
            assignee.queryset = self._handlers(user, mall)
        assignee.field.label_from_instance = lambda u: u.get_full_name() or u.username
        # The drop-downs' options from their label columns (the same labels as above and
        # Merchant.__str__, tests/complaints/test_register_choices.py): a few hundred merchants.
        read_choices(merchant.field, MERCHANT_COLUMNS, str, merchant_rows)
        read_choices(assignee.field, ASSIGNEE_COLUMNS, _full_name, assignee_rows)
        if mall is None:
            # All malls at once (head office): thousands of merchants and staff make no usable
            # drop-down and cost more to render than the page. A merchant or assignee still
            # filters when a link names one; choosing a mall brings the lists back.
            for name in ("merchant", "assignee"):
                self.filters[name].field.widget = forms.HiddenInput()
        for name, field in self.form.fields.items():
            css = {"overdue": "form-check-input", "q": "form-control form-control-sm"}.get(name)
            if css is None:
                css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def _given(self, name):
        """Whether the data names a value for the filter `name` (as its widget reads it: a value
        the field would not treat as empty, so one its queryset is asked about)."""
        return bool(self.data.get(f"{self.form_prefix}-{name}" if self.form_prefix else name))

    @staticmethod
    def _merchants(user, mall):
        """The merchants the drop-down offers and a submitted merchant must be one of."""
        return _merchants_in(Merchant.objects.for_user_in(user, mall))

    @staticmethod
    def _handlers(user, mall):
        """The staff the drop-down offers and a submitted assignee must be one of."""
        return _handlers_of(Complaint.objects.for_user_in(user, mall), mall)

    @cached_property
    def customers(self):
        """The customers a search looks in (made when a search needs them)."""
        return Customer.objects.for_user_in(self.user, self.mall)

    def filter_open_on(self, queryset, name, value):
        """Received before 00:00 of that day (Asia/Shanghai) and not ended by then."""
        moment = timezone.make_aware(datetime.combine(value, time.min))
        return queryset.filter(received_at__lt=moment).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late = ComplaintDeadline.objects.filter(
            complaint=OuterRef("pk"), met_at__isnull=True, due_at__lte=timezone.now()
        )
        return queryset.filter(Exists(late))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        mobile = normalise_mobile(value)
        # Whole numbers are looked up by index; parts of them by trigram indexes (PostgreSQL),
        # each side of an OR on its own index: matching customers first, then one BitmapOr.
        if FULL_NUMBER.fullmatch(value.upper()):
            return queryset.filter(number=value.upper())
        if mobile.isdigit() and len(mobile) == MOBILE_LENGTH:
            # On the customer the rows already join (a complaint's customer is of its mall): a
            # semi-join on a second copy of the customers cost PostgreSQL ~2 ms more planning
            # than the whole look-up takes to run (issue 22, docs/benchmarks.md §23).
            return queryset.filter(customer__mobile=mobile)
        if mobile.isdigit() and len(mobile) >= 4:
            # The last digits of a mobile (by the last-4 index), or a fragment of a number.
            customers = self.customers.annotate(last4=Right("mobile", 4)).filter(
                last4=mobile[-4:], mobile__endswith=mobile
            )
            if len(mobile) < DATE_DIGITS:
                # "0007" is in every day's seventh number: only a mobile's end is worth finding.
                # On the joined customer, by the same last-4 index (planning 8 -> 1 ms, §23).
                return queryset.alias(customer_last4=Right("customer__mobile", 4)).filter(
                    customer_last4=mobile[-4:], customer__mobile__endswith=mobile
                )
            return self._customer_or_number(queryset, customers, value)
        if not value.isascii():
            # Chinese text is a name (numbers are ASCII): one semi-join on the customers (on the
            # joined customer instead, PostgreSQL walks the complaints: 3 -> 23 ms, §23).
            return queryset.filter(customer__in=self.customers.filter(name__contains=value))
        # Latin text: a fragment of a number, or (rarely) a name written in Latin letters.
        return self._customer_or_number(queryset, self.customers.filter(name__contains=value), value)

    def _customer_or_number(self, queryset, customers, value):
        """A UNION of two indexed lookups: an OR across the join would make PostgreSQL walk
        the whole register in date order looking for the few rows that match either side."""
        by_customer = Complaint.objects.filter(customer__in=customers).order_by().values("pk")
        by_number = Complaint.objects.filter(number__contains=value.upper()).order_by().values("pk")
        return queryset.filter(pk__in=by_customer.union(by_number))
