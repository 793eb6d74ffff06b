from django.utils.translation import gettext_lazy as _

LABEL = _("Advance compensations")


def open_compensations_of(merchant):
    """Compensations not yet settled with the merchant: on its page and its exit checklist."""
    from .models import Compensation

    return Compensation.objects.open().filter(merchant=merchant).order_by("proposed_at")
