from django.utils.translation import gettext_lazy as _


def open_returns_of(merchant):
    from .models import ReturnRequest

    return ReturnRequest.objects.open().filter(merchant=merchant).order_by("requested_on")


LABEL = _("No-reason returns")
