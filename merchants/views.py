from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from servicedesk.navigation import require_section

from .models import Booth, Merchant


@login_required
def merchant_list(request):
    section = require_section(request.user, "merchants")
    merchants = (
        Merchant.objects.for_user(request.user)
        .select_related("mall")
        .prefetch_related(Prefetch("booths", queryset=Booth.objects.filter(is_active=True)))
        .order_by("mall__code", "brand")
    )
    if request.mall is not None:
        merchants = merchants.for_mall(request.mall)
    return render(request, "merchants/index.html", {"section": section, "merchants": merchants[:200]})
