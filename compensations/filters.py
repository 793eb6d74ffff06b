"""The register's filters: status, tier, merchant, period (a whole month, DOMAIN.md §9)."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from merchants.models import Merchant

from .models import Compensation, Status, Tier


class CompensationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("All states"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Approval tier"), empty_label=_("All tiers"))
    merchant = django_filters.ModelChoiceFilter(
        queryset=Merchant.objects.none(), label=_("Merchant"), empty_label=_("All merchants")
    )
    period = django_filters.CharFilter(
        method="filter_period", label=_("Month proposed"), widget=forms.TextInput(attrs={"type": "month"})
    )

    class Meta:
        model = Compensation
        fields = []

    def __init__(self, data=None, *args, user, mall=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        merchants = Merchant.objects.for_user(user).order_by("brand")
        if mall is not None:
            merchants = merchants.for_mall(mall)
        self.filters["merchant"].queryset = merchants
        for field in self.form.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            )

    def filter_period(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-"))
            first = datetime.date(year, month, 1)
        except ValueError:
            return queryset.none()
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return queryset.filter(proposed_at__date__gte=first, proposed_at__date__lt=following)
