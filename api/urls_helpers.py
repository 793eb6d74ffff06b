"""Paths of the API's resources, for event payloads and feed entries."""

from django.urls import reverse

from .models import ChangeKind

_ROUTES = {
    ChangeKind.COMPLAINT: "api:complaint-detail",
    ChangeKind.RETURN: "api:return-detail",
    ChangeKind.COMPENSATION: "api:compensation-detail",
    ChangeKind.MERCHANT: "api:merchant-detail",
    ChangeKind.REFERRAL: "api:referral-detail",
}


def resource_path(kind, reference):
    return reverse(_ROUTES[kind], kwargs={"reference": reference})
