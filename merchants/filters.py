import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Merchant, MerchantCategory, MerchantPolicy, MerchantStatus


class MerchantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=MerchantStatus.choices)
    category = django_filters.ChoiceFilter(label=_("category"), choices=MerchantCategory.choices)
    floor = django_filters.CharFilter(label=_("floor"), method="on_floor")
    flagged = django_filters.BooleanFilter(label=_("flagged"))
    low_deposit = django_filters.BooleanFilter(label=_("deposit below threshold"), method="deposit_low")

    class Meta:
        model = Merchant
        fields = ["q", "status", "category", "floor", "flagged", "low_deposit"]

    def __init__(self, *args, mall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(brand__icontains=value)
            | Q(company_name__icontains=value)
            | Q(credit_code__iexact=value)
            | Q(booths__number__iexact=value)
        ).distinct()

    def on_floor(self, queryset, name, value):
        return queryset.filter(booths__floor__iexact=value.strip()).distinct()

    def deposit_low(self, queryset, name, value):
        # The mall's own threshold; for "all malls" each merchant is held to its mall's line,
        # approximated by the default when no mall is chosen.
        threshold = (
            MerchantPolicy.for_mall(self.mall).deposit_low_threshold
            if self.mall
            else MerchantPolicy().deposit_low_threshold
        )
        low = Q(deposit_balance__lt=threshold)
        return queryset.filter(low) if value else queryset.exclude(low)
