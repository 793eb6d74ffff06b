# ruff: noqa: S608  (SQL built from this file's own constants; no outside input)
"""One callback record (issue 17): the complaint's own copy of its callback
(`callback_at`, `callback_response`, `callback_note`, `failed_callbacks`, dropped by complaints
0011) moves onto the service callback, the record the complaint now reads.

Set-based, a few INSERT ... SELECT and UPDATE statements whatever the number of complaints (a
1M-complaint chain migrates in the time of one scan of the complaints table and an index probe
per complaint with values). Per complaint with values:

1. the current round has a service callback still on the worklist but the complaint was called
   back from its page: the callback is done, with what the customer said;
2. the current round has none and the customer was reached: a done service callback with the
   response, the note and the time; the failed attempts before it count as attempts;
3. none and only failed attempts, on a complaint that is resolved (waiting for its callback) or
   closed: a service callback with those attempts: unreachable once they reach the mall's
   attempts allowed (or the complaint was closed), else to call again;
4. a reopened complaint (its response cleared by the reopening) whose previous round has none:
   that round's done callback, unsatisfied (the only answer that reopens), at its time.

Failed attempts of a complaint that moved on otherwise (reopened, ended) were shown nowhere and
are not carried. The new rows have no attempt log (the attempts count stands; no one is named
for the old calls). Dates are the Asia/Shanghai day (TIME_ZONE) of the resolution, as the daily
scheduling computes them. The reverse copies the current round's callback back.
"""

from django.db import migrations

# Local day of a timestamp column, plus days, per database.
_DAY = {
    "postgresql": "((({col}) AT TIME ZONE 'Asia/Shanghai')::date + {days})",
    "sqlite": "date({col}, '+8 hours', '+' || ({days}) || ' days')",
}
_NOW = {"postgresql": "now()", "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')"}
_TODAY = {"postgresql": "CURRENT_DATE", "sqlite": "date('now')"}

RESOLVED_AT = "COALESCE(c.resolved_at, c.callback_at, c.received_at)"


def _sql(vendor):
    day = _DAY[vendor]
    now, today = _NOW[vendor], _TODAY[vendor]
    callback_days = (
        "COALESCE((SELECT p.callback_days FROM complaints_complaintpolicy p WHERE p.mall_id = c.mall_id "
        f"AND p.effective_from <= {today} ORDER BY p.effective_from DESC LIMIT 1), 3)"
    )
    max_attempts = (
        "COALESCE((SELECT p.max_attempts FROM followups_callbackpolicy p WHERE p.mall_id = c.mall_id "
        f"AND p.effective_from <= {today} ORDER BY p.effective_from DESC LIMIT 1), 3)"
    )
    columns = (
        "kind, round, due_on, deadline_on, status, attempts, first_attempt_at, next_attempt_at, outcome, note, "
        "source, survey_sent_at, survey_wait_until, finished_at, overdue_at, created_at, assignee_id, complaint_id, "
        "customer_id, mall_id, sale_id"
    )

    def missing(round_):
        return (
            "NOT EXISTS (SELECT 1 FROM followups_callback b WHERE b.kind = 'service' "
            f"AND b.complaint_id = c.id AND b.round = {round_})"
        )

    def insert(round_, status, attempts, first_at, outcome, note, finished_at, where):
        return (
            f"INSERT INTO followups_callback ({columns}) "
            f"SELECT 'service', {round_}, {day.format(col=RESOLVED_AT, days=1)}, "
            f"{day.format(col=RESOLVED_AT, days=callback_days)}, {status}, {attempts}, {first_at}, NULL, "
            f"{outcome}, {note}, 'phone', NULL, NULL, {finished_at}, NULL, {now}, c.assignee_id, c.id, "
            f"c.customer_id, c.mall_id, NULL FROM complaints_complaint c WHERE {where} AND {missing(round_)}"
        )

    return [
        # 1. an open callback of the round, the complaint called back from its page meanwhile
        "UPDATE followups_callback SET status = 'done', "
        "outcome = (SELECT c.callback_response FROM complaints_complaint c WHERE c.id = complaint_id), "
        "note = (SELECT c.callback_note FROM complaints_complaint c WHERE c.id = complaint_id), "
        "finished_at = (SELECT COALESCE(c.callback_at, c.resolved_at) FROM complaints_complaint c "
        "WHERE c.id = complaint_id), "
        "attempts = attempts + 1, next_attempt_at = NULL, survey_wait_until = NULL "
        "WHERE kind = 'service' AND status IN ('open', 'retry') AND EXISTS (SELECT 1 FROM complaints_complaint c "
        "WHERE c.id = complaint_id AND c.reopen_count = round AND c.callback_response <> '')",
        # 2. reached, no callback of the round
        insert(
            "c.reopen_count",
            "'done'",
            "c.failed_callbacks + 1",
            "COALESCE(c.callback_at, c.resolved_at)",
            "c.callback_response",
            "c.callback_note",
            "COALESCE(c.callback_at, c.resolved_at)",
            "c.callback_response <> ''",
        ),
        # 3. only failed attempts, waiting for the callback or closed
        insert(
            "c.reopen_count",
            f"CASE WHEN c.status = 'closed' OR c.failed_callbacks >= {max_attempts} "
            "THEN 'unreachable' ELSE 'retry' END",
            "c.failed_callbacks",
            "NULL",
            "'not_reached'",
            "c.callback_note",
            f"CASE WHEN c.status = 'closed' OR c.failed_callbacks >= {max_attempts} THEN {now} ELSE NULL END",
            "c.callback_response = '' AND c.failed_callbacks > 0 AND c.status IN ('resolved', 'closed')",
        ),
        # 4. the reached callback of the round before a reopening
        insert(
            "c.reopen_count - 1",
            "'done'",
            "1",
            "c.callback_at",
            "'unsatisfied'",
            "c.callback_note",
            "c.callback_at",
            "c.callback_response = '' AND c.callback_at IS NOT NULL AND c.reopen_count > 0",
        ),
    ]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    vendor = connection.vendor if connection.vendor in _DAY else "postgresql"
    with connection.cursor() as cursor:
        for statement in _sql(vendor):
            cursor.execute(statement)


def backwards(apps, schema_editor):
    """The complaint's fields again, from the current round's service callback."""
    reached = "('satisfied', 'mostly_satisfied', 'unsatisfied')"
    current = (
        "FROM followups_callback b WHERE b.kind = 'service' AND b.complaint_id = complaints_complaint.id "
        "AND b.round = complaints_complaint.reopen_count"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_complaint SET "
            f"callback_response = COALESCE((SELECT b.outcome {current} AND b.outcome IN {reached}), ''), "
            f"callback_at = (SELECT b.finished_at {current} AND b.outcome IN {reached}), "
            f"callback_note = COALESCE((SELECT b.note {current}), ''), "
            f"failed_callbacks = COALESCE((SELECT b.attempts - CASE WHEN b.outcome IN {reached} THEN 1 ELSE 0 END "
            f"{current}), 0) "
            f"WHERE EXISTS (SELECT 1 {current})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0008_callback_week_figures_covered"),
        ("complaints", "0010_merchant_portal_reply"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
