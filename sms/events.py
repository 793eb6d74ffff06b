"""What an SMS can say: one registered event per kind of message.

An event has a code (stored on each outbox row), the text the customer reads (Chinese: the
customer's SMS is always in Chinese), the order of its parameters for the provider's template
(Tencent Cloud fills `{1}`, `{2}` ... of an approved template in this order) and which parameters
are secrets (a link token, a code): those are masked in every log line and scrubbed from the
outbox row once the message is sent or given up.

Apps register their own events in `AppConfig.ready()` with `register_event(...)`; the mall's
settings (`SmsPolicy.templates`) map each code to the provider's template id.
"""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SmsEvent:
    code: str
    text: str  # str.format with the named parameters
    params: tuple = ()
    secret: frozenset = field(default_factory=frozenset)
    # Urgent messages (a confirmation code the customer is waiting for) ignore quiet hours and
    # the opt-out: the customer asked for them just now.
    urgent: bool = False

    def render(self, params, masked=False):
        values = {name: str(params.get(name, "")) for name in self.params}
        if masked:
            values = {name: mask_secret(value) if name in self.secret else value for name, value in values.items()}
        return self.text.format(**values)

    def template_params(self, params):
        return [str(params.get(name, "")) for name in self.params]


EVENTS = {}


def register_event(code, text, params=(), secret=(), urgent=False):
    """Declare an SMS event; registering the same code again replaces it (tests, reloads)."""
    unknown = set(secret) - set(params)
    if unknown:
        raise ValueError(f"secret parameters not in params: {sorted(unknown)}")
    EVENTS[code] = SmsEvent(code=code, text=text, params=tuple(params), secret=frozenset(secret), urgent=urgent)
    return EVENTS[code]


def get_event(code):
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"unknown SMS event {code!r}; register it with sms.events.register_event") from None


_LINK_TOKEN = re.compile(r"(/[cm]/)([A-Za-z0-9_\-]{6,})")


def mask_secret(value):
    """A secret as a log line or the admin shows it: a link keeps its first 4 token characters."""
    value = str(value)
    if _LINK_TOKEN.search(value):
        return _LINK_TOKEN.sub(lambda m: f"{m.group(1)}{m.group(2)[:4]}…", value)
    return "*" * min(len(value), 6) if value else ""


# --- The customer's messages (DOMAIN.md §8a) -----------------------------------------------------
register_event(
    "case_registered",
    "您的{kind}已登记，编号{number}。查看进度、补充材料：{link} 如有疑问请致电{phone}。",
    params=("kind", "number", "link", "phone"),
    secret=("link",),
)
register_event(
    "proposal_made",
    "您的{kind}{number}有了处理方案，请点击查看并确认：{link}",
    params=("kind", "number", "link"),
    secret=("link",),
)
register_event(
    "case_resolved",
    "您的{kind}{number}已处理完毕：{result}。详情：{link}",
    params=("kind", "number", "result", "link"),
    secret=("link",),
)
register_event(
    "refunded",
    "您的退货{number}已退款{amount}元，请留意到账。详情：{link}",
    params=("number", "amount", "link"),
    secret=("link",),
)
register_event(
    "compensation_approved",
    "您的先行赔偿{number}已批准，金额{amount}元。请于{due}前携带身份证件到客服中心签收领取。详情：{link}",
    params=("number", "amount", "due", "link"),
    secret=("link",),
)
register_event(
    "compensation_rejected",
    "您的先行赔偿{number}未获批准，客服中心将与您联系其他解决办法。详情：{link}",
    params=("number", "link"),
    secret=("link",),
)
register_event(
    "survey",
    "您的投诉{number}已处理完毕，请您评价我们的服务（满意/基本满意/不满意）：{link}",
    params=("number", "link"),
    secret=("link",),
)
register_event(
    "verification_code",
    "您的验证码是{code}，5分钟内有效。如非本人操作请忽略。",
    params=("code",),
    secret=("code",),
    urgent=True,
)
