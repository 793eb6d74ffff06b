"""Events stored as codes with parameters, shown in the reader's language (issue 15).

A service never writes a translated sentence into a stored text (a history reason, a handling-log
line, a notification): it writes `event("complaint.assigned", name=...)`, a code and its
parameters, and every page renders it with `render()` (the `|event_text` filter) in the
language of whoever reads it. A Chinese clerk and an English-reading manager see the same line
in their own language, and no line comes out half-and-half.

Parameters are kept as data: a translatable label (a choice's label, `gettext_lazy(...)`) keeps
its msgid and is translated at read time; dates and times are kept as ISO values and shown in
Asia/Shanghai; numbers stay numbers; names and free text stay as typed. A stored text that is
not an event (free text typed by a person, a row written before events existed) is shown as it
is, so nothing is ever lost.

The registry is `EVENTS`: code -> lazy template. Codes are stable; a template's wording may
change (the old rows then read in the new wording). `recode()` turns a sentence written before
this module existed back into its event, for the migration of old rows.
"""

import functools
import json
import re
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Model
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

MARK = "\u2063ev:"  # an invisible separator that nobody types, then "ev:"

EVENTS = {
    # --- any record --------------------------------------------------------------------------
    "action": _("%(action)s"),
    "lines": _("%(lines)s"),
    "settings.effective": _("Settings taking effect on %(day)s"),
    "knowledge.edited": _("edited"),
    # --- complaints --------------------------------------------------------------------------
    "complaint.registered": _("Registered (%(channel)s)."),
    "complaint.first_contact": _("First contact with the customer."),
    "complaint.first_contact_note": _("First contact with the customer. %(note)s"),
    "complaint.merchant_recorded": _("Merchant recorded: %(merchant)s, booth %(booth)s."),
    "complaint.assigned": _("Assigned to %(name)s."),
    "complaint.forwarded": _("Forwarded to %(merchant)s."),
    "complaint.forwarded_note": _("Forwarded to %(merchant)s. %(note)s"),
    "complaint.merchant_replied": _("%(answer)s: %(reply)s"),
    # the merchant, in the merchant portal (issue 19)
    "complaint.merchant_answered": _(
        "From the merchant (merchant portal): %(answer)s. Proposes: %(remedy)s; amount: %(amount)s. "
        "%(reply)s (%(files)s files attached)"
    ),
    # the customer, through the status link (issue 18)
    "complaint.customer_accepted": _("The customer agreed to the proposal through the status link at %(when)s."),
    "complaint.customer_accepted_title": _("Customer accepted the proposal on %(number)s: record the resolution"),
    "complaint.customer_rejected": _("Customer does not agree (status link): %(note)s"),
    "complaint.customer_rejected_title": _("Customer rejected the proposal on %(number)s"),
    "complaint.customer_withdrew": _("Withdrawn by the customer through the status link: %(reason)s"),
    "complaint.customer_withdrew_title": _("Customer withdrew %(number)s"),
    "complaint.customer_unsatisfied_title": _("Customer unsatisfied in the survey on %(number)s"),
    "complaint.proposed": _("Proposed: %(proposal)s"),
    "complaint.resolved": _("Resolved: %(result)s. %(agreement)s"),
    "complaint.disagrees": _("Customer does not agree: %(note)s"),
    "complaint.not_accepted": _("Not accepted: %(reason)s. The customer must be told within 7 working days."),
    "complaint.withdrawn": _("Withdrawn: %(note)s"),
    "complaint.paused": _("Clock paused: %(reason)s"),
    "complaint.resumed": _("Clock resumed after %(days).1f days; deadlines moved accordingly."),
    "complaint.escalated": _("Escalated to advance compensation: %(grounds)s."),
    "complaint.referred": _("Referred to %(body)s."),
    "complaint.called_back": _("Called back: %(response)s. %(note)s"),
    "complaint.callback_failed": _("Callback attempt %(n)s: customer not reached. %(note)s"),
    "complaint.reopened": _("Reopened: %(note)s"),
    "complaint.closed": _("Closed."),
    "complaint.closed_note": _("Closed. %(note)s"),
    "complaint.open_too_long": _("Open more than %(days)s days"),
    "complaint.ground.open_days": _("open more than %(days)s days"),
    "complaint.ground.refuses": _("the merchant refuses"),
    "complaint.ground.exited": _("the merchant has exited"),
    "notice.complaint_escalated": _("Complaint %(number)s escalated to advance compensation"),
    "notice.official_complaint": _("Government or media complaint %(number)s"),
    "notice.online_complaint": _("Complaint %(number)s filed online by the customer"),
    "notice.online_return": _("Return request %(number)s made online by the customer"),
    "notice.official_complaint_body": _("%(channel)s, received %(when)s. Please take charge of the reception at once."),
    "notice.complaint_assigned": _("Complaint %(number)s assigned to you"),
    "notice.price_tag_reported_fixed": _("%(merchant)s reports the price tag at booth %(booth)s fixed: re-check it"),
    "notice.merchant_answered": _("%(merchant)s answered complaint %(number)s in the merchant portal"),
    "notice.merchant_reply_due": _("Complaint %(number)s: please answer by %(due)s"),
    "notice.merchant_reply_due_body": _("The customer service centre is waiting for your answer."),
    "notice.clock_due": _("%(number)s: %(clock)s due %(due)s"),
    "notice.clock_due_body": _("The deadline is near. Please act on the complaint before it passes."),
    "notice.clock_overdue": _("%(number)s: %(clock)s overdue since %(due)s"),
    "notice.clock_overdue_body": _("Assignee: %(assignee)s."),
    "notice.open_too_long": _("%(number)s open more than %(days)s days: review for advance compensation"),
    "notice.open_too_long_days_body": _(
        "A demand left unanswered for more than %(days)s days counts as deliberate delay."
    ),
    # --- compensations -----------------------------------------------------------------------
    "compensation.deposit_reference": _("advance compensation %(number)s"),
    "compensation.deposit_ledger": _("deposit ledger"),
    "notice.compensation_paid": _("Advance compensation %(number)s paid to the customer"),
    "notice.merchant_owes": _("%(merchant)s owes %(amount)s yuan for %(number)s, due %(due)s"),
    "notice.merchant_owes_body": _("Its deposit covered %(taken)s yuan."),
    "notice.written_off": _("%(amount)s yuan of %(number)s written off"),
    "notice.compensation_waits": _("Advance compensation %(number)s (%(amount)s yuan) waits for your approval"),
    "notice.compensation_step": _("Approved at step %(n)s by %(name)s; now %(tier)s."),
    "notice.compensation_approved": _("Advance compensation %(number)s approved: pay %(amount)s yuan by %(due)s"),
    "notice.compensation_rejected": _("Advance compensation %(number)s rejected"),
    "notice.compensation_proposed_body": _("Complaint %(complaint)s · %(merchant)s"),
    "notice.compensation_pay_due": _("Pay advance compensation %(number)s (%(amount)s yuan): due %(due)s"),
    "notice.compensation_pay_late": _("Advance compensation %(number)s is not paid; it was due %(due)s"),
    "notice.compensation_reminder": _("Reminder: advance compensation %(number)s still waits for your approval"),
    "notice.merchant_not_repaid": _("%(merchant)s has not repaid %(amount)s yuan for %(number)s (due %(due)s)"),
    # --- follow-ups --------------------------------------------------------------------------
    "callback.reassigned": _("Reassigned"),
    "notice.callback_overdue": _("Callback overdue: %(callback)s"),
    "notice.callback_overdue_body": _("Deadline %(deadline)s; assigned to %(assignee)s."),
    # --- front desk --------------------------------------------------------------------------
    "handover.confirmed": _("confirmed"),
    "handover.not_confirmed": _("not confirmed in time"),
    "notice.handover_discrepancies": _("Handover received with discrepancies"),
    "notice.handover_unconfirmed": _("Handover not confirmed: %(handover)s"),
    "notice.handover_unconfirmed_body": _("Handed over by %(who)s at %(time)s; nobody has confirmed receiving it."),
    "notice.incident_told": _("%(kind)s %(number)s recorded at the desk: please take charge"),
    "incident.overdue": _("past its deadline"),
    "notice.incident_overdue": _("%(kind)s %(number)s is past its deadline (%(due)s)"),
    "roster.copied": _("copied from four weeks earlier"),
    "roster.edited": _("roster drawn up"),
    "roster.changed": _("changed after publishing: %(reason)s"),
    "broadcast.missed_line": _("%(start)s–%(end)s %(type)s"),
    "broadcast.version": _("version %(version)d"),
    "broadcast.one_off": _("one-off announcement"),
    "broadcast.approved": _("approved"),
    "broadcast.taken_off": _("taken off the programme"),
    "broadcast.default_programme": _("default programme"),
    "broadcast.missed": _("not ticked by the end of the slot"),
    "notice.broadcast_waits": _("Broadcast awaiting approval: %(slot)s"),
    "notice.broadcast_waits_body": _("%(who)s added a %(type)s broadcast; it goes on air once approved."),
    "notice.broadcasts_missed": _("%(count)d broadcast slots missed on %(day)s"),
    # --- merchants ---------------------------------------------------------------------------
    "inspection.passed_again": _("passed re-inspection"),
    "inspection.fixed": _("marked fixed"),
    "inspection.merchant_reported_fixed": _("the merchant reported it fixed (merchant portal)"),
    "notice.merchant_flagged": _("Merchant flagged for price tags: %(merchant)s"),
    "merchant.flagged": _("%(n)d price-tag failures within %(days)d days"),
    "merchant.exit_noticed": _("exit noticed"),
    "merchant.exit_confirmed": _("exit confirmed"),
    "merchant.deposit_released": _("deposit released"),
    "merchant.hold_extended": _("hold extended: cases still open"),
    "notice.hold_extended": _("Deposit hold extended: %(merchant)s"),
    "notice.hold_extended_body": _("Cases are still open; the deposit is now held until %(date)s."),
    "notice.hold_ended": _("Deposit hold ended: %(merchant)s"),
    "notice.hold_ended_body": _("The hold ended on %(date)s and no case is open; the deposit can be released."),
    "merchant.document_replaced": _("replaced by a newer upload"),
    "merchant.documents_verified": _("entry documents verified"),
    "merchant.started_trading": _("started trading"),
    # --- returns -----------------------------------------------------------------------------
    "return.overridden": _("eligibility overridden: %(reason)s"),
    "notice.return_refund_past_line": _("Return %(number)s: refund past the %(days)d-day delay line"),
    "notice.return_refund_overdue": _("Return %(number)s: refund overdue since %(due)s"),
    "notice.return_refund_due": _("Return %(number)s: refund due by %(due)s"),
    "notice.return_refused": _("Merchant refuses return %(number)s"),
    "notice.return_refused_body": _("%(merchant)s refuses an eligible return; consider advance compensation."),
    # --- exchanges ---------------------------------------------------------------------------
    "notice.exchange_merchant_refused": _("Merchant refuses exchange %(number)s"),
    "notice.exchange_merchant_refused_body": _(
        "%(merchant)s refused in the merchant portal; uphold the refusal or override it."
    ),
    "notice.exchange_past_line": _("Exchange %(number)s: not handled within %(days)d days"),
}


def event(code, **params):
    """The stored form of event `code` with `params` (a str: it fits any text field)."""
    if code not in EVENTS:
        raise KeyError(f"unknown event code {code!r}: add it to servicedesk.texts.EVENTS")
    payload = {"c": code}
    if params:
        payload["p"] = {name: _store(value) for name, value in params.items()}
    return MARK + json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def label(value):
    """A choice's label as an event parameter: translated when read, whatever the writer's language."""
    return getattr(value, "label", value)


def is_event(stored):
    return isinstance(stored, str) and stored.startswith(MARK)


def render(stored):
    """The stored text in the active language: an event rendered, anything else as it is."""
    if not is_event(stored):
        return "" if stored is None else str(stored)
    try:
        payload = json.loads(stored[len(MARK) :])
        template = EVENTS[payload["c"]]
        params = {name: _show(value, name) for name, value in payload.get("p", {}).items()}
        text = str(template) % params if params else str(template)
    except (ValueError, KeyError, TypeError):
        return stored[len(MARK) :]  # a code this version does not know: show the data, never fail
    return text.strip()


def render_in(stored, language):
    with translation.override(language):
        return render(stored)


def _store(value):
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())
        if len(args) == 1:
            return {"t": str(args[0])}
        if len(args) == 2:
            return {"t": str(args[1]), "ctx": str(args[0])}
        return str(value)
    if isinstance(value, list | tuple):
        return {"list": [_store(item) for item in value]}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, Model):
        full_name = getattr(value, "get_full_name", None)
        return (full_name() if full_name else "") or str(value)
    if value is None:
        return ""
    return str(value)


def _show(value, name=""):
    if isinstance(value, str) and is_event(value):
        return render(value)  # an event inside an event (the grounds of an escalation, lines)
    if not isinstance(value, dict):
        return value
    if "t" in value:
        return pgettext(value["ctx"], value["t"]) if "ctx" in value else gettext(value["t"])
    if "list" in value:
        chinese = (translation.get_language() or "").startswith("zh")
        separator = "\n" if name == "lines" else "、" if chinese else ", "
        return separator.join(str(_show(item)) for item in value["list"])
    if "dt" in value:
        return formats.date_format(timezone.localtime(datetime.fromisoformat(value["dt"])), "Y-m-d H:i")
    if "d" in value:
        return date.fromisoformat(value["d"]).isoformat()
    if "n" in value:
        return value["n"]
    return value


# --- old rows: a sentence written before events existed back to its event ---------------------

_NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def _pattern(template):
    """A regex that matches `template` rendered with any parameters, naming each parameter."""
    parts, position, seen = [], 0, set()
    for match in _NAMED.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group(1)
        parts.append(f"(?P=_{name})" if name in seen else f"(?P<_{name}>.*?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("^" + "".join(parts).replace("%%", "%") + "$", re.DOTALL)


def _has_words(literal):
    letters = re.sub(r"\W", "", literal)
    return len(letters) >= (2 if re.search(r"[\u4e00-\u9fff]", letters) else 4)


@functools.lru_cache(maxsize=8)
def _label_index(language):
    """Every choice label as written in `language` -> the lazy label (to translate it again)."""
    with translation.override(language):
        return {str(lazy): lazy for lazy in choice_labels()}


@functools.lru_cache(maxsize=8)
def _patterns(language):
    with translation.override(language):
        templates = {code: str(template) for code, template in EVENTS.items()}
    # A template that is mostly its parameters ("%(action)s", "%(answer)s：%(reply)s") would
    # match any free text: only templates with words of their own are recognised.
    compiled = [
        (code, _pattern(template)) for code, template in templates.items() if _has_words(_NAMED.sub("", template))
    ]
    # The most specific first: fewer free parameters, then the longer template.
    return sorted(compiled, key=lambda item: (item[1].groups, -len(item[1].pattern)))


def recode(text, languages=("zh-hans", "en")):
    """The event a sentence of the old kind was rendered from, or the text unchanged.

    A parameter that reads as one of the project's choice labels becomes that label again (so it
    is translated too); other parameters stay the text they were (names, typed notes).
    """
    if not text or is_event(text):
        return text
    stripped = text.strip()
    for language in languages:
        for code, pattern in _patterns(language):
            match = pattern.match(stripped)
            if match:
                labels = _label_index(language)
                params = {name[1:]: labels.get(value, value) for name, value in match.groupdict().items()}
                return event(code, **params)
    return text


def recode_label(text, labels, languages=("zh-hans", "en")):
    """An old reason that was only a choice's label ("已指派", "assigned") back to the `action`
    event with that label, so it reads in the reader's language; `labels` are lazy labels."""
    if not text or is_event(text):
        return text
    for language in languages:
        with translation.override(language):
            for lazy in labels:
                if str(lazy) == text.strip():
                    return event("action", action=lazy)
    return text


def choice_labels():
    """Every choice label the project defines (TextChoices/IntegerChoices subclasses), lazily."""
    from django.db.models import Choices

    labels, pending = [], list(Choices.__subclasses__())
    while pending:
        choices = pending.pop()
        pending.extend(choices.__subclasses__())
        if choices.__module__.split(".")[0] in {"django", "rest_framework"}:
            continue
        labels.extend(member.label for member in choices)
    return labels


def recode_rows(queryset, field, labels=(), batch=1000):
    """Recode `field` of every row of `queryset` whose text is an old sentence; returns how many.
    Safe to run any number of times (an event is left alone, free text stays free text)."""
    changed, total = [], 0
    model = queryset.model
    pk_name = model._meta.pk.name
    for pk, text in queryset.exclude(**{f"{field}__startswith": MARK}).values_list(pk_name, field).iterator():
        if not text:
            continue
        new = recode_label(text, labels) if labels else text
        if new == text:
            new = recode(text)
        if new != text:
            changed.append(model(**{pk_name: pk, field: new}))
        if len(changed) >= batch:
            model._default_manager.bulk_update(changed, [field])
            total += len(changed)
            changed = []
    if changed:
        model._default_manager.bulk_update(changed, [field])
        total += len(changed)
    return total


def join_names(values, separator="sep"):
    """Names in a sentence in the reader's punctuation: 张三、李四 in Chinese, "A, B" in English
    (separator="semi": ；/; ). Messages built in Python use it, never a typed full-width mark."""
    chinese = (translation.get_language() or "zh-hans").lower().startswith("zh")
    marks = {"sep": ("、", ", "), "semi": ("；", "; ")}[separator]
    return (marks[0] if chinese else marks[1]).join(str(value) for value in values)
