"""The broadcast programme: scripts, slots, approvals, today's ticks, and the nightly missed-slot scan."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.access import has_role, require_role, roles_in
from servicedesk.models import Mall
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.services import save_by

from ..models import (
    ANNOUNCEMENT_TEXT_MAX,
    ANNOUNCEMENT_TYPES,
    BroadcastPlay,
    BroadcastScript,
    BroadcastSlot,
    FrontDeskPolicy,
    PlayStatus,
    SlotType,
    Weekday,
)
from .common import APPROVERS, DESK_ROLES, hhmm
from .programme import DEFAULT_SCRIPTS, default_slots

logger = logging.getLogger(__name__)

# --- Scripts ----------------------------------------------------------------------------------


@transaction.atomic
def script_create(*, mall, actor, title, slot_type, text_zh, text_en=""):
    require_role(actor, mall, *DESK_ROLES)
    script = BroadcastScript(
        mall=mall, title=title.strip(), slot_type=slot_type, text_zh=text_zh.strip(), text_en=text_en.strip()
    )
    script.validate_constraints()
    return save_by(script, actor)


@transaction.atomic
def script_revise(*, script, actor, title, text_zh, text_en=""):
    """A new version of the script; the old texts stay in its history."""
    require_role(actor, script.mall_id, *DESK_ROLES)
    script = BroadcastScript.objects.select_for_update(of=("self",), no_key=True).get(pk=script.pk)
    changed = (script.title, script.text_zh, script.text_en) != (title.strip(), text_zh.strip(), text_en.strip())
    if not changed:
        return script
    script.title, script.text_zh, script.text_en = title.strip(), text_zh.strip(), text_en.strip()
    script.version += 1
    script.validate_constraints()
    return save_by(
        script,
        actor,
        update_fields=["title", "text_zh", "text_en", "version"],
        reason=texts.event("broadcast.version", version=script.version),
    )


def default_scripts(*, mall, actor):
    """The starting library for `mall` (missing titles only). Returns {key: script}."""
    policy = FrontDeskPolicy.for_mall(mall)
    values = {
        "mall": mall.name,
        "phone": mall.service_phone or "—",
    }
    minutes = {
        "closing_first": policy.first_closing_notice_minutes,
        "closing_second": policy.second_closing_notice_minutes,
    }
    library = {}
    for key, (title, slot_type, text_zh, text_en) in DEFAULT_SCRIPTS.items():
        script = BroadcastScript.objects.filter(mall=mall, title=title).first()
        if script is None:
            fill = {**values, "minutes": minutes.get(key, "")}
            script = save_by(
                BroadcastScript(
                    mall=mall,
                    title=title,
                    slot_type=slot_type,
                    text_zh=text_zh.format(**fill),
                    text_en=text_en.format(**fill),
                ),
                actor,
            )
        library[key] = script
    return library


# --- Slots ------------------------------------------------------------------------------------


def _clashes(slot):
    """Active, non-emergency slots that share a day with `slot` and overlap it."""
    others = (
        BroadcastSlot.objects.active()
        .filter(mall=slot.mall_id, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at)
        .exclude(slot_type=SlotType.EMERGENCY)
        .exclude(on_date__isnull=False, text__gt="")  # announcements slot in between
        .exclude(pk=slot.pk)
    )
    if slot.on_date is not None:
        return list(others.for_day(slot.on_date))
    # A weekly slot meets that weekday's template and the one-off slots still to come on it.
    candidates = others.filter(Q(on_date__isnull=True) | Q(on_date__gte=timezone.localdate()))
    return [
        other
        for other in candidates
        if (other.weekday if other.on_date is None else other.on_date.weekday()) == slot.weekday
    ]


def slot_errors(slot, mall, policy):
    """Overlap and opening-hours rules (DOMAIN.md §7); emergencies are exempt from both."""
    errors = {}
    if slot.starts_at is None or slot.ends_at is None:
        return errors
    if slot.starts_at >= slot.ends_at:
        errors["ends_at"] = _("A slot must end after it starts.")
        return errors
    if slot.slot_type == SlotType.EMERGENCY:
        return errors
    earliest = mall.opens_at
    if slot.slot_type == SlotType.STAFF:
        # The staff reminder is the one announcement made before the doors open.
        opening = datetime.combine(timezone.localdate(), mall.opens_at)
        earliest = (opening - timedelta(minutes=policy.staff_reminder_minutes)).time()
    if slot.starts_at < earliest or slot.ends_at > mall.closes_at:
        errors["starts_at"] = _(
            "The slot must lie within opening hours (%(opens)s–%(closes)s); only emergencies may fall outside."
        ) % {"opens": hhmm(earliest), "closes": hhmm(mall.closes_at)}
        return errors
    clashes = _clashes(slot)
    if clashes:
        errors["starts_at"] = _("The slot overlaps %(slots)s.") % {
            "slots": "、".join(f"{hhmm(c.starts_at)}–{hhmm(c.ends_at)} {c.get_slot_type_display()}" for c in clashes)
        }
    return errors


def _check_approval(slot, actor, instructed_by):
    """Approve `slot` by `actor`; an emergency also records the manager who ordered it."""
    if slot.slot_type == SlotType.EMERGENCY:
        instructed_by = instructed_by or slot.instructed_by
        if instructed_by is None and Role.MANAGER in roles_in(actor, slot.mall_id):
            instructed_by = actor
        if instructed_by is None or not has_role(instructed_by, slot.mall_id, Role.MANAGER):
            raise ValidationError(
                {
                    "instructed_by": _(
                        "An emergency broadcast goes out only on the manager's instruction: name the manager."
                    )
                }
            )
        slot.instructed_by = instructed_by
    slot.approved_by = actor
    slot.approved_at = timezone.now()


@transaction.atomic
def slot_add(
    *,
    mall,
    actor,
    starts_at,
    ends_at,
    slot_type,
    weekday=None,
    on_date=None,
    script=None,
    announcer=None,
    notes="",
    instructed_by=None,
):
    """Add a slot to the weekly programme (`weekday`) or to one day (`on_date`).

    Front desk staff may add one-off slots; the weekly programme is the supervisor's or manager's.
    A promotion or emergency added by an approver is approved at once; added by the desk, it
    waits for a supervisor and does not go on air until approved.
    """
    require_role(actor, mall, *(APPROVERS if on_date is None else DESK_ROLES))
    # Serialise slot changes per mall so two people cannot add overlapping slots at once.
    mall = Mall.objects.select_for_update(of=("self",), no_key=True).get(pk=mall.pk)
    policy = FrontDeskPolicy.for_mall(mall)
    slot = BroadcastSlot(
        mall=mall,
        weekday=weekday,
        on_date=on_date,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_type=slot_type,
        script=script,
        announcer=announcer,
        notes=notes.strip(),
    )
    errors = {}
    if (weekday is None) == (on_date is None):
        errors["weekday"] = _("Choose a weekday for the weekly programme, or a date for a one-off slot.")
    if weekday is not None and weekday not in Weekday.values:
        errors["weekday"] = _("Choose a weekday.")
    if on_date is not None and on_date < timezone.localdate():
        errors["on_date"] = _("A one-off slot cannot be added to a past day.")
    if script is not None and (script.mall_id != mall.pk or not script.is_active):
        errors["script"] = _("Choose a script of this mall that is in use.")
    if announcer is not None and not roles_in(announcer, mall) - {Role.HEAD_OFFICE, Role.ADMIN}:
        errors["announcer"] = _("The announcer must be a member of this mall's staff.")
    if instructed_by is not None:
        if slot_type != SlotType.EMERGENCY:
            errors["instructed_by"] = _("Only an emergency broadcast records the manager's instruction.")
        elif not has_role(instructed_by, mall, Role.MANAGER):
            errors["instructed_by"] = _("Name a manager of this mall.")
        else:
            slot.instructed_by = instructed_by
    if not errors:
        errors.update(slot_errors(slot, mall, policy))
    if errors:
        raise ValidationError(errors)
    if slot.needs_approval and has_role(actor, mall, *APPROVERS):
        _check_approval(slot, actor, instructed_by)
    save_by(slot, actor)
    _draw_up_today(mall)
    if slot.awaiting_approval:
        notify(
            staff_of(mall, Role.SUPERVISOR),
            key=f"broadcast-slot:{slot.pk}:approval",
            title=texts.event("notice.broadcast_waits", slot=slot),
            body=texts.event(
                "notice.broadcast_waits_body",
                who=actor.get_full_name() or actor.username,
                type=SlotType(slot.slot_type).label,
            ),
            url="/frontdesk/broadcast/programme/",
            mall=mall,
        )
    return slot


ANNOUNCEMENT_MINUTES = 5


@transaction.atomic
def announcement_add(*, mall, actor, slot_type, text, played=False):
    """A one-off announcement in the desk's own words (寻人寻物, a notice), on today's programme
    from now: a line marked 待播 to tick when read out, or ticked at once (`played`).

    Like an emergency it is read out as it happens, so it needs no free slot and may fall outside
    the opening hours (a child lost as the mall closes is still paged); unlike an emergency it
    needs no approval. Other slots are not refused because of it.
    """
    require_role(actor, mall, *DESK_ROLES)
    errors = {}
    if slot_type not in ANNOUNCEMENT_TYPES:
        errors["slot_type"] = _("Choose paging or a notice.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write what is to be read out.")
    elif len(text) > ANNOUNCEMENT_TEXT_MAX:
        errors["text"] = _("At most %(n)d characters (now %(count)d).") % {
            "n": ANNOUNCEMENT_TEXT_MAX,
            "count": len(text),
        }
    if errors:
        raise ValidationError(errors)
    _draw_up_today(mall)  # before the announcement's own line, so today never holds it alone
    now = timezone.localtime()
    starts = now.replace(second=0, microsecond=0)
    last_moment = starts.replace(hour=23, minute=59, second=59)
    ends = min(starts + timedelta(minutes=ANNOUNCEMENT_MINUTES), last_moment)
    slot = save_by(
        BroadcastSlot(
            mall=mall,
            on_date=now.date(),
            starts_at=starts.time(),
            ends_at=ends.time(),
            slot_type=slot_type,
            text=text,
            announcer=actor,
        ),
        actor,
        reason=texts.event("broadcast.one_off"),
    )
    play = save_by(
        BroadcastPlay(mall=mall, slot=slot, day=now.date(), starts_at=slot.starts_at, ends_at=slot.ends_at),
        actor,
    )
    if played:
        play = play_tick(play=play, actor=actor)
    return play


@transaction.atomic
def slot_approve(*, slot, actor, instructed_by=None):
    require_role(actor, slot.mall_id, *APPROVERS)
    slot = BroadcastSlot.objects.select_for_update(of=("self",), no_key=True).get(pk=slot.pk)
    if not slot.needs_approval:
        raise ValidationError(_("Only promotions and emergencies need approval."))
    if slot.approved_at is not None:
        raise ValidationError(_("This slot is already approved."))
    if not slot.is_active:
        raise ValidationError(_("This slot has been taken off the programme."))
    _check_approval(slot, actor, instructed_by)
    slot = save_by(
        slot,
        actor,
        update_fields=["approved_by", "approved_at", "instructed_by"],
        reason=texts.event("broadcast.approved"),
    )
    _draw_up_today(slot.mall)
    return slot


@transaction.atomic
def slot_retire(*, slot, actor):
    """Take a slot off the programme; what was played stays in the record."""
    require_role(actor, slot.mall_id, *(APPROVERS if slot.on_date is None else DESK_ROLES))
    slot = BroadcastSlot.objects.select_for_update(of=("self",), no_key=True).get(pk=slot.pk)
    if not slot.is_active:
        return slot
    slot.is_active = False
    # Lines already drawn up stay in the record; the day's programme hides the unplayed ones.
    return save_by(slot, actor, update_fields=["is_active"], reason=texts.event("broadcast.taken_off"))


@transaction.atomic
def programme_generate_default(*, mall, actor, weekdays=None):
    """Fill the weekly programme from the mall's opening hours with the default slots.

    Weekdays that already have slots are left alone, so running it again adds nothing.
    Returns {weekday: slots created}.
    """
    require_role(actor, mall, *APPROVERS)
    mall = Mall.objects.select_for_update(of=("self",), no_key=True).get(pk=mall.pk)
    policy = FrontDeskPolicy.for_mall(mall)
    library = default_scripts(mall=mall, actor=actor)
    created = {}
    planned = BroadcastSlot.objects.active().filter(mall=mall, on_date__isnull=True)
    busy = set(planned.values_list("weekday", flat=True))
    for weekday in Weekday.values if weekdays is None else weekdays:
        if weekday in busy:
            continue
        created[weekday] = []
        for default in default_slots(mall.opens_at, mall.closes_at, policy):
            slot = BroadcastSlot(
                mall=mall,
                weekday=weekday,
                starts_at=default.starts_at,
                ends_at=default.ends_at,
                slot_type=default.slot_type,
                script=library[default.script_key],
            )
            errors = slot_errors(slot, mall, policy)
            if errors:  # a policy that does not fit the opening hours: say so, save nothing
                raise ValidationError(errors)
            created[weekday].append(save_by(slot, actor, reason=texts.event("broadcast.default_programme")))
    _draw_up_today(mall)
    return created


# --- The day's programme ----------------------------------------------------------------------


def programme_draw_up(*, mall, day):
    """Make the day's lines from the slots on air that day. Safe to repeat: existing lines stay."""
    slots = BroadcastSlot.objects.on_air().for_mall(mall).for_day(day).select_related("script")
    BroadcastPlay.objects.bulk_create(
        [
            BroadcastPlay(
                mall_id=mall.pk,
                slot=slot,
                day=day,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                script_version=slot.script.version if slot.script else None,
            )
            for slot in slots
        ],
        ignore_conflicts=True,
    )
    return BroadcastPlay.objects.filter(mall=mall, day=day)


def _draw_up_today(mall):
    """After a change to the slots: today's lines include it at once (pages never draw up)."""
    programme_draw_up(mall=mall, day=timezone.localdate())


def programmes_draw_up(day=None):
    """Hourly (beat): today's programme of every active mall, each mall in its own transaction,
    so a mall whose slots fail does not hold up the others. Repeating it adds nothing; the
    first run after midnight makes the day's lines, later runs catch a run missed while beat
    was down. Returns the number of malls drawn up."""
    day = day or timezone.localdate()
    done = 0
    for mall in Mall.objects.active().order_by("pk"):
        try:
            with transaction.atomic():
                programme_draw_up(mall=mall, day=day)
            done += 1
        except Exception:
            logger.exception("drawing up the broadcast programme of mall %s on %s failed", mall.pk, day)
    return done


@transaction.atomic
def play_tick(*, play, actor):
    """Tick a line of today's programme as played, with the time."""
    require_role(actor, play.mall_id, *DESK_ROLES)
    play = (
        BroadcastPlay.objects.select_for_update(of=("self",), no_key=True)
        .select_related("slot__script")
        .get(pk=play.pk)
    )
    now = timezone.localtime()
    if play.day != now.date():
        raise ValidationError(_("Only today's programme can be ticked."))
    if play.status == PlayStatus.PLAYED:
        raise ValidationError(_("Already ticked at %(time)s.") % {"time": hhmm(timezone.localtime(play.played_at))})
    if play.status == PlayStatus.MISSED:
        raise ValidationError(_("This slot was flagged as missed."))
    policy = FrontDeskPolicy.for_mall(play.mall_id)
    earliest = datetime.combine(play.day, play.starts_at) - timedelta(minutes=policy.early_tick_minutes)
    if now.replace(tzinfo=None) < earliest:
        raise ValidationError(
            _("This slot starts at %(time)s; it can be ticked from %(earliest)s.")
            % {"time": hhmm(play.starts_at), "earliest": hhmm(earliest)}
        )
    play.status = PlayStatus.PLAYED
    play.played_at = now
    play.played_by = actor
    if play.slot.script_id:
        play.script_version = play.slot.script.version
    return save_by(play, actor, update_fields=["status", "played_at", "played_by", "script_version"])


def flag_missed_broadcasts(now=None):
    """Nightly: lines not ticked by the end of their slot become "missed"; the supervisor and
    manager hear once per mall and day. Running it twice changes nothing the second time."""
    now = timezone.localtime(now)
    today = now.date()
    flagged = 0
    for mall in Mall.objects.active():
        with transaction.atomic():
            programme_draw_up(mall=mall, day=today)
            due = (
                BroadcastPlay.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
                .filter(mall=mall, status=PlayStatus.DUE, day__lte=today, slot__is_active=True)
                .select_related("slot")
            )
            missed = [play for play in due if play.day < today or play.ends_at <= now.time()]
            for play in missed:
                play.status = PlayStatus.MISSED
                save_by(play, None, update_fields=["status"], reason=texts.event("broadcast.missed"))
            for day in sorted({play.day for play in missed}):
                lines = [p for p in missed if p.day == day]
                notify(
                    staff_of(mall, Role.SUPERVISOR, Role.MANAGER),
                    key=f"broadcast:{mall.pk}:{day.isoformat()}:missed",
                    title=texts.event("notice.broadcasts_missed", count=len(lines), day=day),
                    body=texts.event(
                        "lines",
                        lines=[
                            texts.event(
                                "broadcast.missed_line",
                                start=hhmm(p.starts_at),
                                end=hhmm(p.ends_at),
                                type=SlotType(p.slot.slot_type).label,
                            )
                            for p in lines
                        ],
                    ),
                    url=f"/frontdesk/broadcast/?date={day.isoformat()}",
                    mall=mall,
                )
            flagged += len(missed)
    return flagged
