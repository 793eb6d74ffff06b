from datetime import time

import factory
from django.utils import timezone

from frontdesk.models import (
    BroadcastScript,
    BroadcastSlot,
    Channel,
    Enquiry,
    EnquiryTopic,
    Handover,
    Shift,
    SlotType,
)
from tests.factories import MallFactory, UserFactory


class BroadcastScriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BroadcastScript

    mall = factory.SubFactory(MallFactory)
    title = factory.Sequence(lambda n: f"播音稿{n}")
    slot_type = SlotType.SAFETY
    text_zh = "顾客朋友们请注意安全。"
    text_en = "Dear customers, please mind your safety."


class BroadcastSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BroadcastSlot

    mall = factory.SubFactory(MallFactory)
    weekday = 0
    starts_at = time(11, 0)
    ends_at = time(11, 5)
    slot_type = SlotType.SAFETY


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    mall = factory.SubFactory(MallFactory)
    shift = Shift.MORNING
    outgoing = factory.SubFactory(UserFactory)
    handed_over_at = factory.LazyFunction(timezone.now)
    keys_and_items = "总台钥匙一串、对讲机两台"
    open_matters = "顾客李女士下午来取发票"


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    mall = factory.SubFactory(MallFactory)
    channel = Channel.WALK_IN
    received_at = factory.LazyFunction(timezone.now)
    received_on = factory.LazyAttribute(lambda o: timezone.localdate(o.received_at))
    topic = EnquiryTopic.DIRECTIONS
    question = "卫生间在哪里？"
    answer = "二楼东侧。"
    recorded_by = factory.SubFactory(UserFactory)
