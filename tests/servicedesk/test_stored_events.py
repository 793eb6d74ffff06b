"""Stored texts are events rendered in the reader's language (issue 15 §2): a line written while
the clerk works in Chinese reads in English for an English reader and the other way round; no
service writes a translated sentence into a stored field; old rows are recoded."""

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services as complaint_services
from complaints.models import Action, HandlingEntry, Result
from servicedesk import texts
from servicedesk.models import Notification
from servicedesk.notifications import notify, send_notification_emails
from servicedesk.roles import Role
from tests.complaints.factories import register

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english(stored):
    return texts.render_in(stored, "en")


def chinese(stored):
    return texts.render_in(stored, "zh-hans")


# --- the registry -------------------------------------------------------------------------------


def test_an_event_reads_in_each_language():
    stored = texts.event("complaint.assigned", name="李专员")
    assert english(stored) == "Assigned to 李专员."
    assert chinese(stored) == "派给 李专员。"


def test_labels_dates_and_lists_follow_the_reader():
    stored = texts.event(
        "complaint.escalated",
        grounds=[texts.event("complaint.ground.refuses"), texts.event("complaint.ground.open_days", days=15)],
    )
    assert english(stored) == "Escalated to advance compensation: the merchant refuses, open more than 15 days."
    assert "商户拒绝" in chinese(stored) and "、" in chinese(stored) and "Escalated" not in chinese(stored)
    resolved = texts.event("complaint.resolved", result=Result.REPAIRED.label, agreement="OK")
    assert english(resolved) == "Resolved: Repaired. OK"
    assert not re.search("[a-z]{3}", chinese(resolved).replace("OK", ""))
    # An aware time is shown in Shanghai whatever hour it was written at (23:30 UTC is 07:30 next day).
    at = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert "2026-12-02 07:30" in english(texts.event("notice.clock_due", number="TS-1", clock="x", due=at))


def test_free_text_and_unknown_codes_are_shown_as_they_are():
    assert texts.render("顾客来电催促") == "顾客来电催促"
    assert texts.render("") == "" and texts.render(None) == ""
    future = texts.MARK + '{"c":"some.future.code","p":{"x":1}}'
    assert "some.future.code" in texts.render(future)  # never a 500, never lost
    with pytest.raises(KeyError):
        texts.event("no.such.code")


def test_every_template_renders_in_both_languages_with_its_parameters():
    for code, template in texts.EVENTS.items():
        names = set(re.findall(r"%\((\w+)\)", str(template)))
        stored = texts.event(code, **dict.fromkeys(names, 3))
        assert english(stored), code
        # A Chinese rendering is Chinese: every template is translated (no English words left).
        assert not re.search(r"[A-Za-z]{4}", chinese(stored)), (code, chinese(stored))


# --- through the services and the pages ---------------------------------------------------------


@pytest.mark.django_db
def test_written_in_chinese_read_in_english(mall, staff, client):
    desk = staff(Role.FRONT_DESK)
    supervisor = staff(Role.SUPERVISOR)
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员", last_name="")
    with translation.override("zh-hans"):
        complaint = register(mall, desk)
        complaint_services.complaint_assign(complaint=complaint, actor=supervisor, assignee=officer)
    lines = list(HandlingEntry.objects.filter(complaint=complaint).values_list("text", flat=True))
    assert all(texts.is_event(line) for line in lines)
    assert not any(CJK.search(line.split("{", 1)[0]) for line in lines)
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert "Assigned to 李专员." in page and "Registered (" in page
    assert "派给" not in page and "登记投诉（" not in page
    assert texts.MARK not in page
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    notices = client.get(reverse("notifications:list")).text
    assert f"Complaint {complaint.number} assigned to you" in notices


@pytest.mark.django_db
def test_written_in_english_read_in_chinese(mall, staff, client):
    desk = staff(Role.FRONT_DESK)
    supervisor = staff(Role.SUPERVISOR)
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员", last_name="")
    with translation.override("en"):
        complaint = register(mall, desk)
        complaint_services.complaint_assign(complaint=complaint, actor=supervisor, assignee=officer)
    client.force_login(supervisor)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).text  # Chinese by default
    assert "派给 李专员。" in page
    assert "Assigned to" not in page
    # The audit history's reason reads in Chinese too.
    history = [entry.reason for entry in complaint_history(complaint)]
    with translation.override("zh-hans"):
        assert str(Action.ASSIGN.label) in history


def complaint_history(complaint):
    from servicedesk.history import timeline

    with translation.override("zh-hans"):
        return timeline(complaint)


@pytest.mark.django_db
def test_e_mails_go_out_in_chinese_whatever_the_writer_used(mall, staff):
    manager = staff(Role.MANAGER, email="m@example.com")
    with translation.override("en"):
        notify([manager], key="t:1", title=texts.event("notice.complaint_assigned", number="TS-1"))
    send_notification_emails(list(Notification.objects.values_list("pk", flat=True)))
    assert mail.outbox[-1].subject == "[客服中心] 投诉 TS-1 已派给您"


@pytest.mark.django_db
def test_a_long_event_title_is_kept_whole(mall, staff):
    manager = staff(Role.MANAGER)
    title = texts.event("notice.merchant_owes", merchant="很" * 150, amount="1.00", number="PC-1", due="2026-12-01")
    notify([manager], key="t:2", title=title)
    stored = Notification.objects.get().title
    assert stored == title and len(stored) > 200
    assert english(stored).startswith("很")


# --- old rows -----------------------------------------------------------------------------------


def test_old_sentences_are_recoded_in_either_language():
    recoded = texts.recode("派给 李专员。")
    assert texts.is_event(recoded) and english(recoded) == "Assigned to 李专员."
    assert chinese(texts.recode("Forwarded to 梵居沙发.")) == "已转交 梵居沙发。"
    assert texts.recode("顾客来电催促") == "顾客来电催促"  # free text stays free text
    label = texts.recode_label(str(Action.ASSIGN.label), texts.choice_labels())
    with translation.override("zh-hans"):
        zh_label = str(Action.ASSIGN.label)
    assert texts.is_event(label) and chinese(label) == zh_label


@pytest.mark.django_db
def test_the_recode_command_turns_old_rows_into_events_once(mall, staff):
    desk = staff(Role.FRONT_DESK)
    with translation.override("zh-hans"):
        complaint = register(mall, desk)
    entry = HandlingEntry.objects.filter(complaint=complaint).first()
    with translation.override("zh-hans"):
        old_line = texts.render(entry.text)
    HandlingEntry.objects.filter(pk=entry.pk).update(text=old_line)
    HandlingEntry.objects.create(
        complaint=complaint,
        kind="note",
        happened_at=timezone.now() - timedelta(minutes=1),
        text="顾客来电催促",
        author=desk,
    )
    call_command("recode_stored_texts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry.refresh_from_db()
    assert texts.is_event(entry.text) and english(entry.text).startswith("Registered (")
    assert HandlingEntry.objects.filter(text="顾客来电催促").exists()
    before = list(HandlingEntry.objects.order_by("pk").values_list("text", flat=True))
    call_command("recode_stored_texts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(HandlingEntry.objects.order_by("pk").values_list("text", flat=True)) == before


# --- no service writes a sentence ---------------------------------------------------------------

STORED_KEYWORDS = {"reason", "title", "body", "log", "text", "default_change_reason"}
STORED_ATTRIBUTES = {"flagged_reason", "history_change_reason", "_change_reason"}
# Calls whose text is not stored (a message shown once, an e-mail sent now).
NOT_STORED = {"ValidationError", "PermissionDenied", "EmailMessage", "send_mail", "RowError"}
SENTENCE_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "str", "format"}


def service_files():
    files = sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/services/*.py"))
    return [path for path in files if ".venv" not in path.parts]


def writes_a_sentence(node):
    """A translated or literal sentence, or one glued together, rather than an event or data."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str) and CJK.search(inner.value):
            return True
        if isinstance(inner, ast.JoinedStr):
            return True
        if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Mod | ast.Add):
            return True
        if isinstance(inner, ast.Call):
            name = inner.func.id if isinstance(inner.func, ast.Name) else getattr(inner.func, "attr", "")
            if name == "event":
                return False  # an event's parameters are data
            if name in SENTENCE_CALLS:
                return True
    return False


def test_no_service_writes_a_sentence_into_a_stored_text():
    """Grep the services: every reason/title/body/log line they store is an event or data."""
    offenders = []
    for path in service_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            callee = getattr(node, "func", None)
            callee = getattr(callee, "id", None) or getattr(callee, "attr", None)
            if isinstance(node, ast.Call) and callee not in NOT_STORED:
                for keyword in node.keywords:
                    if keyword.arg in STORED_KEYWORDS and writes_a_sentence(keyword.value):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {keyword.arg}=")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    stored = isinstance(target, ast.Attribute) and target.attr in STORED_ATTRIBUTES
                    if stored and writes_a_sentence(node.value):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{target.attr} =")
    assert len(service_files()) > 30
    assert offenders == []


def test_the_sentence_check_sees_a_sentence():
    """The check above is not vacuous: the old ways of writing are caught."""
    for source in (
        'save_by(x, a, reason=_("confirmed"))',
        'notify(r, key=k, title=_("Complaint %(n)s") % {"n": 1})',
        'move(c, log=f"{label}：{reply}")',
        "save_by(x, a, reason=str(Action.PAY.label))",
        'notify(r, key=k, body="、".join(grounds))',
        'log_action(c, text="已登记")',
    ):
        call = ast.parse(source).body[0].value
        assert any(writes_a_sentence(k.value) for k in call.keywords if k.arg in STORED_KEYWORDS), source
    call = ast.parse('notify(r, key=k, title=texts.event("x", n=_("y") % 1), body=note)').body[0].value
    assert not any(writes_a_sentence(k.value) for k in call.keywords if k.arg in STORED_KEYWORDS)
