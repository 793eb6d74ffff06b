"""Customer links: issue, open, and what the customer sends through one."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.tokens import is_link_token, new_link_token, token_digest
from servicedesk.uploads import validate_photo

from .cases import CASE_KINDS, ended_at, load_case
from .models import MAX_PHOTOS_PER_CASE, TEXT_MAX, CaseLink, CaseMessage, LinkPolicy


def case_type_of(case):
    for kind in CASE_KINDS.values():
        if case._meta.label_lower == kind.model_label:
            return kind.case_type
    return {"complaint": "complaint", "returnrequest": "return", "compensation": "compensation"}[case._meta.model_name]


def link_issue(*, case, purpose):
    """A fresh link to `case`; returns the token (shown once: in an SMS, on paper). Stored hashed."""
    token = new_link_token()
    CaseLink.objects.create(
        mall_id=case.mall_id,
        case_type=case_type_of(case),
        case_id=case.pk,
        token_hash=token_digest(token),
        purpose=purpose,
    )
    return token


def link_url(token):
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:case', args=[token])}"


def link_open(token, now=None):
    """(link, case, expired) for a token; (None, None, False) when no such link."""
    if not is_link_token(token):
        return None, None, False
    digest = token_digest(token)
    link = CaseLink.objects.filter(token_hash=digest).select_related("mall").first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None, None, False
    case = load_case(link.case_type, link.case_id)
    if case is None:
        return None, None, False
    end = ended_at(link.case_type, case)
    if end is not None:
        days = LinkPolicy.for_mall(link.mall_id, on=timezone.localdate(end)).valid_days_after_end
        if (now or timezone.now()) > end + timedelta(days=days):
            return link, None, True
    return link, case, False


def messages_of(link):
    return list(CaseMessage.objects.filter(case_type=link.case_type, case_id=link.case_id).select_related("author"))


def case_messages(case):
    """The messages with the customer on a case, as its staff page lists them (a queryset)."""
    return CaseMessage.objects.filter(case_type=case_type_of(case), case_id=case.pk).select_related("author")


@transaction.atomic
def customer_send(*, link, text="", photos=()):
    """The customer's message and/or photos (JPG/PNG, size-checked, at most 10 per case)."""
    text = (text or "").strip()
    errors = {}
    if len(text) > TEXT_MAX:
        errors["text"] = _("At most %(max)d characters.") % {"max": TEXT_MAX}
    photos = list(photos)
    types = []
    for photo in photos:
        try:
            types.append(validate_photo.content_type(photo))
        except ValidationError as error:
            errors.setdefault("photos", []).extend(error.messages)
    already = CaseMessage.objects.filter(case_type=link.case_type, case_id=link.case_id).exclude(photo="").count()
    if already + len(photos) > MAX_PHOTOS_PER_CASE:
        errors.setdefault("photos", []).append(
            _("At most %(max)d photos per case; %(left)d more can be added.")
            % {"max": MAX_PHOTOS_PER_CASE, "left": max(MAX_PHOTOS_PER_CASE - already, 0)}
        )
    if not text and not photos:
        errors["text"] = _("Write a message or add a photo.")
    if errors:
        raise ValidationError(errors)
    created = []
    base = {"mall_id": link.mall_id, "case_type": link.case_type, "case_id": link.case_id}
    if text:
        created.append(CaseMessage.objects.create(direction=CaseMessage.Direction.FROM_CUSTOMER, text=text, **base))
    for photo, content_type in zip(photos, types, strict=True):
        message = CaseMessage(
            direction=CaseMessage.Direction.FROM_CUSTOMER, token=secrets.token_hex(8), photo_type=content_type, **base
        )
        message.mall = link.mall
        message.photo.save(photo.name, photo, save=False)
        message.save()
        created.append(message)
    return created


@transaction.atomic
def message_to_customer(*, case, actor, text):
    """An officer's message for the customer to read on the case page (first name shown)."""
    from servicedesk.access import require_role
    from servicedesk.roles import Role

    require_role(actor, case.mall, Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("At most %(max)d characters.") % {"max": TEXT_MAX}})
    return CaseMessage.objects.create(
        mall_id=case.mall_id,
        case_type=case_type_of(case),
        case_id=case.pk,
        direction=CaseMessage.Direction.TO_CUSTOMER,
        text=text,
        author=actor,
    )
